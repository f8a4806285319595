// Geometry operations on Mats: resize, crop (a copy, or a read-only-while-shared view
// like roi()), pad, letterbox, flip, rotate. Each returns a new Mat (own memory) off the
// event loop, with a synchronous twin. Plus the fit helpers that tell where an image lands
// in a letterboxed or center-cropped target (to map detections back).
import { withCallerStack } from '../async_stack';
import { ArgumentError } from '../errors';
import { Mat, Rect, matHandle } from '../mat';
import type { MatDType } from '../dtype';
import { native } from '../binding';
import { defineMatOp } from './define';
import * as a from '../image_args';
import type { Color, Interpolation, Size } from '../image_args';
import { optionKeys } from '../option_keys';
import * as v from '../validate';

/** Scale factors instead of a size: the output is round(cols * fx) x round(rows * fy), sampled with exactly these factors (cv2.resize(fx=, fy=)). */
export interface ScaleFactors {
  fx: number;
  fy: number;
}

export interface ResizeOptions {
  /** Default 'linear'. 'area' is the better choice to shrink a lot. */
  interpolation?: Interpolation;
}

export interface CropOptions {
  /** 'copy' (default): own memory. 'view': no copy, like roi(): it and its parent are read-only for in-place writes while both live. */
  mode?: 'copy' | 'view';
}

export interface Padding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export type BorderType = 'constant' | 'replicate' | 'reflect' | 'reflect101' | 'wrap';

export interface PadOptions {
  /** Default 'constant'. */
  border?: BorderType;
  /** The constant border's value (per channel, in the Mat's channel order). Default 0. */
  value?: Color;
}

export interface LetterboxOptions {
  /** Padding value, per channel in the Mat's channel order. Default 0. */
  fill?: Color;
  /** Default 'linear'. */
  interpolation?: Interpolation;
}

export type FlipDirection = 'horizontal' | 'vertical' | 'both';

/** Where a letterboxed image lands in its target: scale = target / source, and the inner rectangle. */
export interface LetterboxGeometry extends Rect {
  scale: number;
}

declare module '../mat' {
  interface Mat<D extends MatDType = MatDType> {
    /** cv::resize to a size or by factors, off the event loop. */
    resize(size: Size | ScaleFactors, options?: ResizeOptions): Promise<Mat<D>>;
    /** Synchronous twin of resize(). */
    resizeSync(size: Size | ScaleFactors, options?: ResizeOptions): Mat<D>;
    /** The pixels inside `rect` (which must lie inside the Mat). */
    crop(rect: Rect, options?: CropOptions): Promise<Mat<D>>;
    /** Synchronous twin of crop(). */
    cropSync(rect: Rect, options?: CropOptions): Mat<D>;
    /** cv::copyMakeBorder: a larger Mat with borders (a number pads every side). */
    pad(padding: Padding | number, options?: PadOptions): Promise<Mat<D>>;
    /** Synchronous twin of pad(). */
    padSync(padding: Padding | number, options?: PadOptions): Mat<D>;
    /** Resizes to fit inside `size` keeping the aspect ratio, centred, padded with `fill` (see letterboxGeometry). */
    letterbox(size: Size, options?: LetterboxOptions): Promise<Mat<D>>;
    /** Synchronous twin of letterbox(). */
    letterboxSync(size: Size, options?: LetterboxOptions): Mat<D>;
    /** cv::flip. */
    flip(direction: FlipDirection): Promise<Mat<D>>;
    /** Synchronous twin of flip(). */
    flipSync(direction: FlipDirection): Mat<D>;
    /** cv::rotate by clockwise quarter turns. */
    rotate(degrees: 90 | 180 | 270): Promise<Mat<D>>;
    /** Synchronous twin of rotate(). */
    rotateSync(degrees: 90 | 180 | 270): Mat<D>;
  }
}

const RESIZE_KEYS = optionKeys<ResizeOptions>('Mat.resize', { interpolation: true });
const PAD_KEYS = optionKeys<PadOptions>('Mat.pad', { border: true, value: true });
const LETTERBOX_KEYS = optionKeys<LetterboxOptions>('Mat.letterbox', { fill: true, interpolation: true });
const CROP_KEYS = optionKeys<CropOptions>('Mat.crop', { mode: true });

function resizeArgs(target: unknown, options: ResizeOptions | undefined): [Size | null, number, number, string] {
  const interpolation = a.interpolation(
    v.optionsObject(options, RESIZE_KEYS).interpolation,
    'options.interpolation',
    'linear',
  );
  if (target !== null && typeof target === 'object' && 'fx' in target) {
    const f = target as ScaleFactors;
    const fx = v.finiteNumber(f.fx, 'size.fx'),
      fy = v.finiteNumber(f.fy, 'size.fy');
    if (!(fx > 0) || !(fy > 0)) throw new ArgumentError(`size: expected positive factors, got fx ${fx}, fy ${fy}`);
    return [null, fx, fy, interpolation];
  }
  return [a.size(target, 'size'), 0, 0, interpolation];
}

function padArgs(padding: unknown, options: PadOptions | undefined): [Padding, BorderType, number[]] {
  const n = (x: unknown, name: string) => v.integer(x, name, 0, 2 ** 31 - 1);
  let p: Padding;
  if (typeof padding === 'number') {
    const all = n(padding, 'padding');
    p = { top: all, bottom: all, left: all, right: all };
  } else if (padding !== null && typeof padding === 'object') {
    const o = padding as Partial<Padding>;
    p = {
      top: n(o.top ?? 0, 'padding.top'),
      bottom: n(o.bottom ?? 0, 'padding.bottom'),
      left: n(o.left ?? 0, 'padding.left'),
      right: n(o.right ?? 0, 'padding.right'),
    };
  } else {
    throw new ArgumentError(`padding: expected a number or { top, bottom, left, right }, got ${v.describe(padding)}`);
  }
  const o = v.optionsObject(options, PAD_KEYS);
  const border = v.oneOf(
    o.border,
    ['constant', 'replicate', 'reflect', 'reflect101', 'wrap'] as const,
    'options.border',
    'constant',
  );
  return [p, border, a.color(o.value ?? 0, 'options.value')];
}

function letterboxArgs(size: unknown, options: LetterboxOptions | undefined): [Size, number[], string] {
  const o = v.optionsObject(options, LETTERBOX_KEYS);
  return [
    a.size(size, 'size'),
    a.color(o.fill ?? 0, 'options.fill'),
    a.interpolation(o.interpolation, 'options.interpolation', 'linear'),
  ];
}

function flipArgs(direction: unknown): [FlipDirection] {
  if (direction === undefined)
    throw new ArgumentError("direction: expected 'horizontal' | 'vertical' | 'both', got undefined");
  return [v.oneOf(direction, ['horizontal', 'vertical', 'both'] as const, 'direction', 'horizontal')];
}

function rotateArgs(degrees: unknown): [number] {
  if (degrees !== 90 && degrees !== 180 && degrees !== 270)
    throw new ArgumentError(`degrees: expected 90 | 180 | 270, got ${v.describe(degrees)}`);
  return [degrees];
}

defineMatOp('resize', resizeArgs, { sync: native.resizeSync, async: native.resize });
defineMatOp('pad', padArgs, { sync: native.padSync, async: native.pad });
defineMatOp('letterbox', letterboxArgs, { sync: native.letterboxSync, async: native.letterbox });
defineMatOp('flip', flipArgs, { sync: native.flipSync, async: native.flip });
defineMatOp('rotate', rotateArgs, { sync: native.rotateSync, async: native.rotate });

function cropMode(rect: unknown, options: CropOptions | undefined): [Rect, 'copy' | 'view'] {
  return [
    a.rect(rect, 'rect'),
    v.oneOf(v.optionsObject(options, CROP_KEYS).mode, ['copy', 'view'] as const, 'options.mode', 'copy'),
  ];
}

Mat.prototype.crop = async function crop(this: Mat, rect: Rect, options?: CropOptions): Promise<Mat> {
  const [r, mode] = cropMode(rect, options);
  if (mode === 'view') return this.roi(r);
  return new Mat(await withCallerStack(native.crop(matHandle(this), r)));
};

Mat.prototype.cropSync = function cropSync(this: Mat, rect: Rect, options?: CropOptions): Mat {
  const [r, mode] = cropMode(rect, options);
  return mode === 'view' ? this.roi(r) : new Mat(native.cropSync(matHandle(this), r));
};

/** Where an image of size `source` lands when letterboxed into `target` (the same arithmetic as letterbox() and preprocess). */
export function letterboxGeometry(source: Size, target: Size): LetterboxGeometry {
  const s = a.size(source, 'source'),
    t = a.size(target, 'target');
  return native.letterboxGeometry(s.width, s.height, t.width, t.height);
}

/** The region of an image of size `source` that preprocess's 'center-crop' resizes into `target`. */
export function centerCropRect(source: Size, target: Size): Rect {
  const s = a.size(source, 'source'),
    t = a.size(target, 'target');
  return native.centerCropRect(s.width, s.height, t.width, t.height);
}
