// From a detection model's box output to boxes in the source image's pixels: reads the
// layout (yxyx / xyxy / xywh / cxcywh, normalised or not), undoes the fit preprocess used
// (stretch, letterbox or center-crop, with the same geometry as letterboxGeometry() and
// centerCropRect()) and clips to the image. The typed answer to the classic failure of
// handing a float box tensor straight to drawing code.
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import type { Rect } from '../mat';
import type { Size } from '../image_args';
import * as a from '../image_args';
import { Tensor } from '../tensor';
import { centerCropRect, letterboxGeometry } from '../ops/geometry';
import type { LetterboxGeometry } from '../ops/geometry';
import type { PreprocessSpec, ResizeMode } from '../preprocess_spec';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { BOX_FORMATS, BoxFormat, writeXywh } from './boxes';

/**
 * How the model input was made from the source image. One of:
 * - `{ resize, source, target }`: the fit mode, the source image size and the model input size;
 * - `{ spec, source }`: the PreprocessSpec given to preprocess() (its width, height and resize);
 * - `{ letterbox, source, target? }`: the result of letterboxGeometry(source, target) (target needed for normalized boxes);
 * - `{ crop, target, source }`: the result of centerCropRect(source, target) and the target size.
 */
export type BoxGeometry =
  | { resize: ResizeMode; source: Size; target: Size }
  | { spec: Pick<PreprocessSpec, 'width' | 'height' | 'resize'>; source: Size }
  | { letterbox: LetterboxGeometry; source: Size; target?: Size }
  | { crop: Rect; target: Size; source: Size };

export interface BoxesFromTensorOptions {
  /** Layout of the four numbers of each box (required: a wrong guess silently swaps axes). */
  format: BoxFormat;
  /** Coordinates in [0, 1] of the model input (true) or in its pixels (false). Default false. */
  normalized?: boolean;
  /** How the model input was made; without it boxes are taken to be in the image's pixels already. */
  geometry?: BoxGeometry;
  /** Without geometry: the image size (needed for normalized boxes; boxes are clipped to it). */
  imageSize?: Size;
  /** For a [B, N, 4] tensor: which image of the batch. Default 0 (required when B > 1). */
  batchIndex?: number;
  /** Name used in error messages. Default 'tensor'. */
  name?: string;
}

const BOXES_KEYS = optionKeys<BoxesFromTensorOptions>('boxesFromTensor', {
  format: true,
  normalized: true,
  geometry: true,
  imageSize: true,
  batchIndex: true,
  name: true,
});

/** Where model-input pixels go in the source: source = offset + model * factor, per axis. */
interface Mapping {
  sx: number;
  sy: number;
  ox: number;
  oy: number;
  model: Size;
  source: Size | null;
}

function mappingOf(o: Partial<BoxesFromTensorOptions>): Mapping {
  const g = o.geometry;
  if (g === undefined) {
    const size = o.imageSize === undefined ? null : a.size(o.imageSize, 'options.imageSize');
    if (o.normalized === true && size === null)
      throw new ArgumentError('options.imageSize: required for normalized boxes without options.geometry');
    return { sx: 1, sy: 1, ox: 0, oy: 0, model: size ?? { width: 1, height: 1 }, source: size };
  }
  if (g === null || typeof g !== 'object')
    throw new ArgumentError(
      `options.geometry: expected { resize, source, target } | { spec, source } | { letterbox, source } | { crop, target, source }, got ${v.describe(g)}`,
    );
  const source = a.size((g as { source?: unknown }).source, 'options.geometry.source');
  if ('letterbox' in g) {
    const l = g.letterbox;
    if (l === null || typeof l !== 'object')
      throw new ArgumentError(
        `options.geometry.letterbox: expected letterboxGeometry()'s result, got ${v.describe(l)}`,
      );
    const inner = {
      x: v.finiteNumber(l.x, 'options.geometry.letterbox.x'),
      y: v.finiteNumber(l.y, 'options.geometry.letterbox.y'),
      width: v.finiteNumber(l.width, 'options.geometry.letterbox.width'),
      height: v.finiteNumber(l.height, 'options.geometry.letterbox.height'),
    };
    if (!(inner.width > 0 && inner.height > 0))
      throw new ArgumentError('options.geometry.letterbox: width and height must be > 0');
    // The model input size only matters for normalized boxes.
    const target = (g as { target?: unknown }).target;
    if (target === undefined && o.normalized === true)
      throw new ArgumentError('options.geometry.target: required with { letterbox } for normalized boxes');
    const model = target === undefined ? { width: 1, height: 1 } : a.size(target, 'options.geometry.target');
    return {
      sx: source.width / inner.width,
      sy: source.height / inner.height,
      ox: -inner.x * (source.width / inner.width),
      oy: -inner.y * (source.height / inner.height),
      model,
      source,
    };
  }
  if ('crop' in g) {
    const r = a.rect(g.crop, 'options.geometry.crop');
    const target = a.size(g.target, 'options.geometry.target');
    return cropMapping(r, target, source);
  }
  let resize: unknown, target: Size;
  if ('spec' in g) {
    const spec = g.spec;
    if (spec === null || typeof spec !== 'object')
      throw new ArgumentError(`options.geometry.spec: expected a PreprocessSpec, got ${v.describe(spec)}`);
    target = a.size({ width: spec.width, height: spec.height }, 'options.geometry.spec');
    resize = spec.resize ?? 'stretch';
  } else {
    target = a.size((g as { target?: unknown }).target, 'options.geometry.target');
    resize = (g as { resize?: unknown }).resize;
  }
  const mode = v.oneOf(resize, ['stretch', 'letterbox', 'center-crop'] as const, 'options.geometry.resize', 'stretch');
  if (mode === 'stretch')
    return { sx: source.width / target.width, sy: source.height / target.height, ox: 0, oy: 0, model: target, source };
  if (mode === 'center-crop') return cropMapping(centerCropRect(source, target), target, source);
  const l = letterboxGeometry(source, target);
  return {
    sx: source.width / l.width,
    sy: source.height / l.height,
    ox: -l.x * (source.width / l.width),
    oy: -l.y * (source.height / l.height),
    model: target,
    source,
  };
}

function cropMapping(r: Rect, target: Size, source: Size): Mapping {
  if (!(r.width > 0 && r.height > 0)) throw new ArgumentError('options.geometry.crop: width and height must be > 0');
  return { sx: r.width / target.width, sy: r.height / target.height, ox: r.x, oy: r.y, model: target, source };
}

const BOX_DTYPES = ['float32', 'float64', 'int32'] as const;

/**
 * Boxes from a model's box output ([N, 4], or [B, N, 4] with options.batchIndex) in
 * source-image pixels: a Float32Array of [x, y, w, h] rows (4 per box, in the tensor's
 * order), clipped to the image when its size is known. Also takes a flat Float32Array /
 * Float64Array of 4 numbers per box.
 */
export function boxesFromTensor(
  tensor: Tensor | Float32Array | Float64Array,
  options: BoxesFromTensorOptions,
): Float32Array {
  if (options === undefined)
    throw new ArgumentError("options: required ({ format: 'yxyx' | 'xyxy' | 'xywh' | 'cxcywh', ... })");
  const o = v.optionsObject(options, BOXES_KEYS);
  const name = o.name === undefined ? 'tensor' : String(o.name);
  if (o.format === undefined)
    throw new ArgumentError(`options.format: required, one of ${BOX_FORMATS.map((f) => `'${f}'`).join(' | ')}`);
  const format = v.oneOf(o.format, BOX_FORMATS, 'options.format', 'xywh');
  if (o.normalized !== undefined && typeof o.normalized !== 'boolean')
    throw new ArgumentError(`options.normalized: expected a boolean, got ${v.describe(o.normalized)}`);
  const { values, count } = readRows(tensor, name, o.batchIndex);
  const m = mappingOf(o);
  const nx = o.normalized === true ? m.model.width : 1,
    ny = o.normalized === true ? m.model.height : 1;
  const out = new Float32Array(count * 4);
  const box = new Float64Array(4);
  for (let i = 0; i < count; i++) {
    const b = i * 4;
    writeXywh(format, values[b]!, values[b + 1]!, values[b + 2]!, values[b + 3]!, box, 0);
    let x1 = m.ox + box[0]! * nx * m.sx,
      y1 = m.oy + box[1]! * ny * m.sy;
    let x2 = x1 + box[2]! * nx * m.sx,
      y2 = y1 + box[3]! * ny * m.sy;
    if (m.source !== null) {
      x1 = clamp(x1, m.source.width);
      x2 = clamp(x2, m.source.width);
      y1 = clamp(y1, m.source.height);
      y2 = clamp(y2, m.source.height);
    }
    out[b] = x1;
    out[b + 1] = y1;
    out[b + 2] = Math.max(0, x2 - x1);
    out[b + 3] = Math.max(0, y2 - y1);
  }
  return out;
}

function clamp(x: number, hi: number): number {
  return Number.isNaN(x) ? 0 : Math.min(Math.max(x, 0), hi);
}

function readRows(tensor: unknown, name: string, batchIndex: unknown): { values: ArrayLike<number>; count: number } {
  if (tensor instanceof Float32Array || tensor instanceof Float64Array) {
    if (tensor.length % 4 !== 0)
      throw new ShapeError(`${name}: expected 4 numbers per box, got ${tensor.length} numbers`);
    return { values: tensor, count: tensor.length / 4 };
  }
  if (!(tensor instanceof Tensor))
    throw new ArgumentError(`${name}: expected a Tensor, Float32Array or Float64Array, got ${v.describe(tensor)}`);
  const dtype = tensor.dtype;
  if (!(BOX_DTYPES as readonly string[]).includes(dtype))
    throw new DTypeError(`${name}: expected a float32, float64 or int32 box tensor, got ${dtype}`);
  const shape = tensor.shape;
  const desc = `[${shape.join(',')}]`;
  if (shape.length !== 2 && shape.length !== 3)
    throw new ShapeError(`${name}: expected boxes [N,4] or [B,N,4], got rank ${shape.length} ${desc}`);
  if (shape[shape.length - 1] !== 4)
    throw new ShapeError(`${name}: expected a last dimension of 4 (one box per row), got ${desc}`);
  const data = tensor.data as Float32Array | Float64Array | Int32Array;
  if (shape.length === 2) return { values: data, count: shape[0]! };
  const batch = shape[0]!,
    n = shape[1]!;
  if (batchIndex === undefined && batch > 1)
    throw new ArgumentError(`options.batchIndex: required for a batch of ${batch} (${name} ${desc})`);
  const index = batchIndex === undefined ? 0 : v.integer(batchIndex, 'options.batchIndex', 0, Math.max(0, batch - 1));
  if (batch === 0) throw new ShapeError(`${name}: empty batch ${desc}`);
  const start = index * n * 4;
  return { values: data.subarray(start, start + n * 4), count: n };
}
