// Colour and value operations on Mats, each returning a new Mat off the event loop with a
// synchronous twin: cvtColor, convertTo (one or per-channel scale and shift), normalize
// (cv::normalize) and inRange masks. threshold lives on Mat itself (lib/mat.ts).
import { ArgumentError, DTypeError } from '../errors';
import '../mat';
import { MAT_DTYPES, MatDType, isMatDType } from '../dtype';
import * as a from '../image_args';
import type { Color } from '../image_args';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { native } from '../binding';
import { defineMatOp } from './define';

/** cv::cvtColor conversions by OpenCV's names; the source must have the channel count the name implies. */
export type ColorConversion =
  | 'BGR2RGB'
  | 'RGB2BGR'
  | 'BGR2GRAY'
  | 'RGB2GRAY'
  | 'GRAY2BGR'
  | 'GRAY2RGB'
  | 'BGR2BGRA'
  | 'RGB2RGBA'
  | 'BGRA2BGR'
  | 'RGBA2RGB'
  | 'BGR2RGBA'
  | 'RGB2BGRA'
  | 'BGRA2RGB'
  | 'RGBA2BGR'
  | 'BGRA2RGBA'
  | 'RGBA2BGRA'
  | 'BGRA2GRAY'
  | 'RGBA2GRAY'
  | 'GRAY2BGRA'
  | 'GRAY2RGBA'
  | 'BGR2HSV'
  | 'RGB2HSV'
  | 'HSV2BGR'
  | 'HSV2RGB'
  | 'BGR2HSV_FULL'
  | 'RGB2HSV_FULL'
  | 'HSV2BGR_FULL'
  | 'HSV2RGB_FULL'
  | 'BGR2HLS'
  | 'RGB2HLS'
  | 'HLS2BGR'
  | 'HLS2RGB'
  | 'BGR2Lab'
  | 'RGB2Lab'
  | 'Lab2BGR'
  | 'Lab2RGB'
  | 'BGR2YCrCb'
  | 'RGB2YCrCb'
  | 'YCrCb2BGR'
  | 'YCrCb2RGB'
  | 'BGR2YUV'
  | 'RGB2YUV'
  | 'YUV2BGR'
  | 'YUV2RGB';

export const COLOR_CONVERSIONS: readonly ColorConversion[] = [
  'BGR2RGB',
  'RGB2BGR',
  'BGR2GRAY',
  'RGB2GRAY',
  'GRAY2BGR',
  'GRAY2RGB',
  'BGR2BGRA',
  'RGB2RGBA',
  'BGRA2BGR',
  'RGBA2RGB',
  'BGR2RGBA',
  'RGB2BGRA',
  'BGRA2RGB',
  'RGBA2BGR',
  'BGRA2RGBA',
  'RGBA2BGRA',
  'BGRA2GRAY',
  'RGBA2GRAY',
  'GRAY2BGRA',
  'GRAY2RGBA',
  'BGR2HSV',
  'RGB2HSV',
  'HSV2BGR',
  'HSV2RGB',
  'BGR2HSV_FULL',
  'RGB2HSV_FULL',
  'HSV2BGR_FULL',
  'HSV2RGB_FULL',
  'BGR2HLS',
  'RGB2HLS',
  'HLS2BGR',
  'HLS2RGB',
  'BGR2Lab',
  'RGB2Lab',
  'Lab2BGR',
  'Lab2RGB',
  'BGR2YCrCb',
  'RGB2YCrCb',
  'YCrCb2BGR',
  'YCrCb2RGB',
  'BGR2YUV',
  'RGB2YUV',
  'YUV2BGR',
  'YUV2RGB',
];

export interface ConvertToOptions {
  /** Multiplier: a number, or an array (one value for all channels, or one per channel). Default 1. */
  scale?: number | readonly number[];
  /** Added after scaling: a number or an array, like scale. Default 0. */
  shift?: number | readonly number[];
}

export type NormType = 'minmax' | 'l1' | 'l2' | 'inf';

export interface NormalizeOptions {
  /** Default 'minmax': values are mapped linearly onto [alpha, beta]. Otherwise the chosen norm of the result is alpha. */
  norm?: NormType;
  /** Default 1 (for 'minmax': the lower bound, default 0). */
  alpha?: number;
  /** 'minmax' upper bound. Default 1 (with the default alpha: [0, 1]). */
  beta?: number;
  /** Result dtype; default the Mat's. */
  dtype?: MatDType;
}

declare module '../mat' {
  interface Mat<D extends MatDType = MatDType> {
    /** cv::cvtColor. A source with the wrong channel count is a ShapeError; HSV, HLS and Lab take uint8 or float32. */
    cvtColor(code: ColorConversion): Promise<Mat<D>>;
    /** Synchronous twin of cvtColor(). */
    cvtColorSync(code: ColorConversion): Mat<D>;
    /**
     * Converts to `dtype` computing x * scale + shift (rounded and saturated for integer
     * dtypes). Numbers: OpenCV's convertTo. Arrays (one value, or one per channel): tfcv's
     * per-channel kernel, the arithmetic preprocess uses (so the two agree bit for bit).
     */
    convertTo<T extends MatDType>(dtype: T, options?: ConvertToOptions): Promise<Mat<T>>;
    /** Synchronous twin of convertTo(). */
    convertToSync<T extends MatDType>(dtype: T, options?: ConvertToOptions): Mat<T>;
    /** cv::normalize over all channels together. */
    normalize(options?: NormalizeOptions): Promise<Mat>;
    /** Synchronous twin of normalize(). */
    normalizeSync(options?: NormalizeOptions): Mat;
    /** A uint8 mask: 255 where every channel lies in [lower, upper] (inclusive), else 0. */
    inRange(lower: Color, upper: Color): Promise<Mat<'uint8'>>;
    /** Synchronous twin of inRange(). */
    inRangeSync(lower: Color, upper: Color): Mat<'uint8'>;
  }
}

const CONVERT_TO_KEYS = optionKeys<ConvertToOptions>('Mat.convertTo', { scale: true, shift: true });
const NORMALIZE_KEYS = optionKeys<NormalizeOptions>('Mat.normalize', {
  norm: true,
  alpha: true,
  beta: true,
  dtype: true,
});

function dtypeArg(dtype: unknown, name: string): MatDType {
  if (!isMatDType(dtype))
    throw new DTypeError(`${name}: expected one of ${MAT_DTYPES.join(', ')}, got ${v.describe(dtype)}`);
  return dtype;
}

function numbers(value: unknown, name: string, fallback: number): number[] {
  if (value === undefined) return [fallback];
  if (typeof value === 'number') return [v.finiteNumber(value, name)];
  if (!Array.isArray(value) || value.length < 1 || value.length > 4) {
    throw new ArgumentError(`${name}: expected a number or one number per channel (1..4), got ${v.describe(value)}`);
  }
  return v.arrayItems(value, name, 4).map((x, i) => v.finiteNumber(x, `${name}[${i}]`));
}

defineMatOp(
  'cvtColor',
  (code: unknown): [ColorConversion] => {
    if (code === undefined)
      throw new ArgumentError("code: expected a ColorConversion such as 'BGR2RGB', got undefined");
    return [v.oneOf(code, COLOR_CONVERSIONS, 'code', 'BGR2RGB')];
  },
  { sync: native.cvtColorSync, async: native.cvtColor },
);

defineMatOp(
  'convertTo',
  (dtype: unknown, options?: ConvertToOptions): [MatDType, number[], number[], boolean] => {
    const o = v.optionsObject(options, CONVERT_TO_KEYS);
    const perChannel = Array.isArray(o.scale) || Array.isArray(o.shift);
    return [
      dtypeArg(dtype, 'dtype'),
      numbers(o.scale, 'options.scale', 1),
      numbers(o.shift, 'options.shift', 0),
      perChannel,
    ];
  },
  { sync: native.convertToSync, async: native.convertTo },
);

defineMatOp(
  'normalize',
  (options?: NormalizeOptions): [string, number, number, MatDType | undefined] => {
    const o = v.optionsObject(options, NORMALIZE_KEYS);
    const norm = v.oneOf(o.norm, ['minmax', 'l1', 'l2', 'inf'] as const, 'options.norm', 'minmax');
    const alpha = o.alpha === undefined ? (norm === 'minmax' ? 0 : 1) : v.finiteNumber(o.alpha, 'options.alpha');
    const beta = o.beta === undefined ? (norm === 'minmax' ? 1 : 0) : v.finiteNumber(o.beta, 'options.beta');
    return [norm, alpha, beta, o.dtype === undefined ? undefined : dtypeArg(o.dtype, 'options.dtype')];
  },
  { sync: native.normalizeSync, async: native.normalize },
);

// One number (every channel) or one per channel; the count is checked natively against the
// Mat's channels (ShapeError).
function bounds(value: unknown, name: string): number[] {
  if (typeof value === 'number') return [v.finiteNumber(value, name)];
  return a.color(value, name);
}

defineMatOp(
  'inRange',
  (lower: unknown, upper: unknown): [number[], number[]] => [bounds(lower, 'lower'), bounds(upper, 'upper')],
  {
    sync: native.inRangeSync,
    async: native.inRange,
  },
);
