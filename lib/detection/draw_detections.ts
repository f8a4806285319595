// mat.drawDetections(): boxes with a filled label tag ("person 0.87"), drawn in place
// like the other drawing calls (memory another owner sees is not drawn on: ReadOnlyError,
// or a copy first with { onShared: 'copy' }).
import { ArgumentError } from '../errors';
import { Mat, matHandle } from '../mat';
import type { MatDType } from '../dtype';
import * as a from '../image_args';
import type { Color, OnShared } from '../image_args';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { BOX_FORMATS, BoxFormat, BoxesInput, readBoxes, readNumbers } from './boxes';
import { native } from '../binding';

export interface DrawDetectionsOptions {
  /** Class id per box: picks the colour and the name in the tag. */
  labels?: Int32Array | readonly number[];
  /** Score per box, shown in the tag with two decimals. */
  scores?: Float32Array | Float64Array | readonly number[];
  /** Names by class id; the id itself is shown when a name is missing. */
  classNames?: readonly string[];
  /** Colours by class id (cycled), or one colour for every box, in the Mat's channel order. Default: a 20-colour palette. */
  colors?: Color | readonly Color[];
  /** Line width of the boxes (1..1000). Default 2. */
  thickness?: number;
  /** Tag text size (OpenCV Hershey simplex scale). Default 0.5. */
  fontScale?: number;
  /** Layout of `boxes`. Default 'xywh' (what boxesFromTensor returns). */
  format?: BoxFormat;
  /** When another owner sees the memory: 'throw' (default, ReadOnlyError) or 'copy' first. */
  onShared?: OnShared;
}

declare module '../mat' {
  // Declaration merging needs the same type parameters as Mat's own declaration, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Mat<D extends MatDType = MatDType> {
    /** Draws detection boxes with label tags in place (uint8 Mats with 1, 3 or 4 channels); returns this. */
    drawDetections(boxes: BoxesInput, options?: DrawDetectionsOptions): this;
  }
}

// Tableau-like colours in BGR, distinct on photos and on each other.
const PALETTE: readonly number[][] = [
  [180, 119, 31],
  [14, 127, 255],
  [44, 160, 44],
  [40, 39, 214],
  [189, 103, 148],
  [75, 86, 140],
  [194, 119, 227],
  [127, 127, 127],
  [34, 189, 188],
  [207, 190, 23],
  [232, 199, 174],
  [120, 187, 255],
  [138, 223, 152],
  [150, 152, 255],
  [213, 176, 197],
  [148, 156, 196],
  [210, 182, 247],
  [199, 199, 199],
  [141, 219, 219],
  [229, 218, 158],
];

const DRAW_DETECTIONS_KEYS = optionKeys<DrawDetectionsOptions>('mat.drawDetections', {
  labels: true,
  scores: true,
  classNames: true,
  colors: true,
  thickness: true,
  fontScale: true,
  format: true,
  onShared: true,
});

/** Most class names / colours the options may list. */
const MAX_CLASS_NAMES = 2 ** 20;
const MAX_COLORS = 2 ** 16;

const INT32 = (x: number) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

Mat.prototype.drawDetections = function drawDetections(this: Mat, boxes: BoxesInput, options?: DrawDetectionsOptions) {
  const handle = matHandle(this);
  const o = v.optionsObject(options, DRAW_DETECTIONS_KEYS);
  const xywh = readBoxes(boxes, 'boxes', v.oneOf(o.format, BOX_FORMATS, 'options.format', 'xywh'));
  const n = xywh.length / 4;
  const labels = o.labels === undefined ? null : readNumbers(o.labels, 'options.labels', n, INT32, 'an int32 class id');
  const scores = o.scores === undefined ? null : readNumbers(o.scores, 'options.scores', n, () => true, 'a number');
  // Array options: length checked first, then read index by index (holes refused, not skipped).
  const classNames =
    o.classNames === undefined
      ? undefined
      : v.arrayItems(o.classNames, 'options.classNames', MAX_CLASS_NAMES, 'an array of strings');
  const badName = classNames === undefined ? -1 : classNames.findIndex((s) => typeof s !== 'string');
  if (badName >= 0)
    throw new ArgumentError(
      `options.classNames[${badName}]: expected a string (a hole is not allowed), got ${v.describe(classNames![badName])}`,
    );
  const colorList = Array.isArray(o.colors)
    ? v.arrayItems(o.colors, 'options.colors', MAX_COLORS, 'a colour or an array of colours')
    : undefined;
  let palette: number[][];
  if (o.colors === undefined) palette = PALETTE as number[][];
  else if (typeof o.colors === 'number' || (colorList !== undefined && colorList.every((c) => typeof c === 'number')))
    palette = [a.color(o.colors, 'options.colors')];
  else if (colorList !== undefined && colorList.length > 0)
    palette = (colorList as Color[]).map((c, i) => a.color(c, `options.colors[${i}]`));
  else
    throw new ArgumentError(
      `options.colors: expected a colour or a non-empty array of colours, got ${v.describe(o.colors)}`,
    );
  const thickness = o.thickness === undefined ? 2 : v.integer(o.thickness, 'options.thickness', 1, 1000);
  const fontScale = o.fontScale === undefined ? 0.5 : v.finiteNumber(o.fontScale, 'options.fontScale');
  if (!(fontScale > 0 && fontScale <= 100))
    throw new ArgumentError(`options.fontScale: expected a number in (0, 100], got ${fontScale}`);
  const onShared = a.onShared(o.onShared, 'options.onShared');

  const colors = new Float64Array(n * 4);
  const tags: Array<string | null> = new Array(n);
  for (let i = 0; i < n; i++) {
    const cls = labels === null ? 0 : labels[i]!;
    const c = palette[((cls % palette.length) + palette.length) % palette.length]!;
    for (let k = 0; k < 4; k++) colors[i * 4 + k] = c[Math.min(k, c.length - 1)]!;
    if (c.length < 4) colors[i * 4 + 3] = 255;
    const parts: string[] = [];
    if (labels !== null) parts.push((classNames?.[cls] as string | undefined) ?? String(cls));
    if (scores !== null) parts.push(Number(scores[i]).toFixed(2));
    tags[i] = parts.length > 0 ? parts.join(' ') : null;
  }
  native.drawDetections(handle, xywh, tags, colors, thickness, fontScale, onShared);
  return this;
};
