// Drawing for overlays. rectangle, circle, line, drawContours and putText draw into the
// Mat in place (synchronously: they are cheap) and return it for chaining; memory another
// owner sees is not drawn on (ReadOnlyError, or a copy first with { onShared: 'copy' }).
// addWeighted blends two Mats into a new one, e.g. a coloured mask over an image.
import { withCallerStack } from '../async_stack';
import { ArgumentError, DTypeError } from '../errors';
import { Mat, Rect, matHandle } from '../mat';
import { MAT_DTYPES, MatDType, isMatDType } from '../dtype';
import { native } from '../binding';
import * as a from '../image_args';
import type { Color, LineType, OnShared, Point } from '../image_args';
import { optionKeys, OptionKeys } from '../option_keys';
import * as v from '../validate';

export interface StrokeOptions {
  /** Line width in pixels (1..1000), or 'filled' where a shape can be filled. Default 1. */
  thickness?: number | 'filled';
  /** Default 8. */
  lineType?: LineType;
  /** When another owner sees the memory: 'throw' (default, ReadOnlyError) or 'copy' first. */
  onShared?: OnShared;
}

export interface DrawContoursOptions extends StrokeOptions {
  /** Which contour to draw; default -1 (all). */
  index?: number;
}

/** OpenCV's Hershey fonts (printable ASCII; other characters are drawn as '?'). */
export type HersheyFont =
  'simplex' | 'plain' | 'duplex' | 'complex' | 'triplex' | 'complex-small' | 'script-simplex' | 'script-complex';

export interface PutTextOptions {
  /** Default 'simplex'. */
  font?: HersheyFont;
  /** Default 1. */
  fontScale?: number;
  /** Default 1. */
  thickness?: number;
  /** Default 8. */
  lineType?: LineType;
  onShared?: OnShared;
}

export interface AddWeightedOptions {
  /** Added to every result value. Default 0. */
  gamma?: number;
  /** Result dtype; required when the two Mats differ in dtype. */
  dtype?: MatDType;
}

declare module '../mat' {
  // Declaration merging needs the same type parameters as Mat's own declaration, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Mat<D extends MatDType = MatDType> {
    /** Draws a rectangle in place (thickness 'filled' fills it). */
    rectangle(rect: Rect, color: Color, options?: StrokeOptions): this;
    /** Draws a circle in place. */
    circle(center: Point, radius: number, color: Color, options?: StrokeOptions): this;
    /** Draws a line segment in place. */
    line(from: Point, to: Point, color: Color, options?: StrokeOptions): this;
    /** Draws contours (Int32Arrays of x, y pairs, as findContours returns) in place. */
    drawContours(contours: readonly Int32Array[], color: Color, options?: DrawContoursOptions): this;
    /** Draws text in place; `origin` is the bottom-left corner of the text. */
    putText(text: string, origin: Point, color: Color, options?: PutTextOptions): this;
    /** this * alpha + other * beta + gamma, as a new Mat (same size and channels). */
    addWeighted(alpha: number, other: Mat, beta: number, options?: AddWeightedOptions): Promise<Mat>;
    /** Synchronous twin of addWeighted(). */
    addWeightedSync(alpha: number, other: Mat, beta: number, options?: AddWeightedOptions): Mat;
  }
}

const strokeTable = { thickness: true, lineType: true, onShared: true } as const;
const RECTANGLE_KEYS = optionKeys<StrokeOptions>('Mat.rectangle', strokeTable);
const CIRCLE_KEYS = optionKeys<StrokeOptions>('Mat.circle', strokeTable);
const LINE_KEYS = optionKeys<StrokeOptions>('Mat.line', strokeTable);
const DRAW_CONTOURS_KEYS = optionKeys<DrawContoursOptions>('Mat.drawContours', { ...strokeTable, index: true });
const PUT_TEXT_KEYS = optionKeys<PutTextOptions>('Mat.putText', {
  font: true,
  fontScale: true,
  thickness: true,
  lineType: true,
  onShared: true,
});
const ADD_WEIGHTED_KEYS = optionKeys<AddWeightedOptions>('Mat.addWeighted', { gamma: true, dtype: true });

function stroke(options: StrokeOptions | undefined, allowFilled: boolean, keys: OptionKeys<StrokeOptions>) {
  const o = v.optionsObject(options, keys);
  return {
    thickness: a.thickness(o.thickness, 'options.thickness', allowFilled),
    lineType: a.lineType(o.lineType, 'options.lineType'),
    onShared: a.onShared(o.onShared, 'options.onShared'),
  };
}

Mat.prototype.rectangle = function rectangle(this: Mat, rect: Rect, color: Color, options?: StrokeOptions) {
  const s = stroke(options, true, RECTANGLE_KEYS);
  native.rectangle(matHandle(this), a.rect(rect, 'rect'), a.color(color, 'color'), s.thickness, s.lineType, s.onShared);
  return this;
};

Mat.prototype.circle = function circle(
  this: Mat,
  center: Point,
  radius: number,
  color: Color,
  options?: StrokeOptions,
) {
  const s = stroke(options, true, CIRCLE_KEYS);
  const r = v.integer(radius, 'radius', 0, 2 ** 24);
  native.circle(
    matHandle(this),
    a.point(center, 'center'),
    r,
    a.color(color, 'color'),
    s.thickness,
    s.lineType,
    s.onShared,
  );
  return this;
};

Mat.prototype.line = function line(this: Mat, from: Point, to: Point, color: Color, options?: StrokeOptions) {
  const s = stroke(options, false, LINE_KEYS);
  native.line(
    matHandle(this),
    a.point(from, 'from'),
    a.point(to, 'to'),
    a.color(color, 'color'),
    s.thickness as number,
    s.lineType,
    s.onShared,
  );
  return this;
};

Mat.prototype.drawContours = function drawContours(
  this: Mat,
  contours: readonly Int32Array[],
  color: Color,
  options?: DrawContoursOptions,
) {
  const list = v.arrayItems(contours, 'contours', 1_000_000, 'an array of Int32Arrays') as Int32Array[];
  list.forEach((c, i) => {
    if (!(c instanceof Int32Array) || c.length % 2 !== 0) {
      throw new ArgumentError(`contours[${i}]: expected an Int32Array of x, y pairs, got ${v.describe(c)}`);
    }
  });
  const s = stroke(options, true, DRAW_CONTOURS_KEYS);
  const index = v.integer(
    v.optionsObject(options, DRAW_CONTOURS_KEYS).index ?? -1,
    'options.index',
    -1,
    Math.max(-1, list.length - 1),
  );
  native.drawContours(matHandle(this), list, index, a.color(color, 'color'), s.thickness, s.lineType, s.onShared);
  return this;
};

const FONTS: readonly HersheyFont[] = [
  'simplex',
  'plain',
  'duplex',
  'complex',
  'triplex',
  'complex-small',
  'script-simplex',
  'script-complex',
];

Mat.prototype.putText = function putText(
  this: Mat,
  text: string,
  origin: Point,
  color: Color,
  options?: PutTextOptions,
) {
  if (typeof text !== 'string') throw new ArgumentError(`text: expected a string, got ${v.describe(text)}`);
  const o = v.optionsObject(options, PUT_TEXT_KEYS);
  const font = v.oneOf(o.font, FONTS, 'options.font', 'simplex');
  const fontScale = o.fontScale === undefined ? 1 : v.finiteNumber(o.fontScale, 'options.fontScale');
  if (!(fontScale > 0 && fontScale <= 100))
    throw new ArgumentError(`options.fontScale: expected a number in (0, 100], got ${fontScale}`);
  const s = stroke({ thickness: o.thickness, lineType: o.lineType, onShared: o.onShared }, false, LINE_KEYS);
  native.putText(
    matHandle(this),
    text,
    a.point(origin, 'origin'),
    font,
    fontScale,
    a.color(color, 'color'),
    s.thickness as number,
    s.lineType,
    s.onShared,
  );
  return this;
};

function weightedArgs(
  self: Mat,
  alpha: unknown,
  other: unknown,
  beta: unknown,
  options: AddWeightedOptions | undefined,
) {
  const o = v.optionsObject(options, ADD_WEIGHTED_KEYS);
  if (o.dtype !== undefined && !isMatDType(o.dtype))
    throw new DTypeError(`options.dtype: expected one of ${MAT_DTYPES.join(', ')}, got ${v.describe(o.dtype)}`);
  return [
    matHandle(self),
    v.finiteNumber(alpha, 'alpha'),
    matHandle(other, 'other'),
    v.finiteNumber(beta, 'beta'),
    o.gamma === undefined ? 0 : v.finiteNumber(o.gamma, 'options.gamma'),
    o.dtype,
  ] as const;
}

Mat.prototype.addWeighted = async function addWeighted(
  this: Mat,
  alpha: number,
  other: Mat,
  beta: number,
  options?: AddWeightedOptions,
) {
  return new Mat(await withCallerStack(native.addWeighted(...weightedArgs(this, alpha, other, beta, options))));
};

Mat.prototype.addWeightedSync = function addWeightedSync(
  this: Mat,
  alpha: number,
  other: Mat,
  beta: number,
  options?: AddWeightedOptions,
) {
  return new Mat(native.addWeightedSync(...weightedArgs(this, alpha, other, beta, options)));
};
