// The preprocess spec: what the model wants (size, channels and their order, dtype,
// normalisation, layout) and how to get there (fit mode, interpolation, decode scale).
// resolveSpec fills the documented defaults and checks everything before native code
// runs; specFromSignature derives a spec from a model input's { dtype, shape }.
import { ArgumentError, DTypeError, ShapeError } from './errors';
import { DEFAULT_MAX_PIXELS, MAX_MAX_PIXELS } from './mat';
import * as a from './image_args';
import type { Color, Interpolation } from './image_args';
import type { NativePreprocessSpec } from './binding';
import { PREPROCESS_KEYS, SPEC_OVERRIDES_KEYS } from './preprocess_keys';
import * as v from './validate';

/** 'stretch' ignores the aspect ratio; 'letterbox' fits inside and pads with `fill`; 'center-crop' fills the target and crops the overflow. */
export type ResizeMode = 'stretch' | 'letterbox' | 'center-crop';
export type ChannelOrder = 'RGB' | 'BGR';
export type PreprocessDType = 'float32' | 'uint8';
export type BatchLayout = 'NHWC' | 'NCHW';
/**
 * 'full' decodes JPEGs at full size, then resizes: exactly the chain of single operations.
 * 'auto' lets a JPEG much larger than the target decode at 1/2, 1/4 or 1/8 scale in the DCT
 * domain (libjpeg-turbo), the smallest that stays at least the size the fit needs, then
 * resizes: much faster, slightly different pixels (see the README for the measured cost).
 */
export type DecodeScale = 'auto' | 'full';

export interface PreprocessSpec<D extends PreprocessDType = PreprocessDType> {
  /** Target width in pixels. */
  width: number;
  /** Target height in pixels. */
  height: number;
  /** Default 'stretch'. */
  resize?: ResizeMode;
  /** 'letterbox' padding as a pixel value (0..255) before normalisation, in the output channel order. Default 0. */
  fill?: Color;
  /** Default 'linear'. */
  interpolation?: Interpolation;
  /** 3 (default; grayscale sources are replicated) or 1 (colour sources are converted to gray first). */
  channels?: 1 | 3;
  /** Order of the 3 output channels. Default 'RGB' (OpenCV decodes BGR; the swap is free in the fused write). */
  channelOrder?: ChannelOrder;
  /** Default 'float32'. 'uint8' writes raw pixels (scale, mean and std must keep their defaults). */
  dtype?: D;
  /** float32: value = (pixel * scale - mean[c]) / std[c]. Default 1 (e.g. 1/255 for [0, 1]). */
  scale?: number;
  /** Per output channel (or one for all), after scaling. Default 0. */
  mean?: number | readonly number[];
  /** Per output channel (or one for all), non-zero. Default 1. */
  std?: number | readonly number[];
  /** Default 'NHWC' ([N, H, W, C]); 'NCHW' gives [N, C, H, W]. */
  layout?: BatchLayout;
  /** Default 'full'. */
  decodeScale?: DecodeScale;
  /** Decode limit per image (see DecodeOptions.maxPixels). Default 100_000_000. */
  maxPixels?: number;
}

/** A spec with every field explicit, as specFromSignature returns it. */
export type ResolvedPreprocessSpec<D extends PreprocessDType = PreprocessDType> = Required<PreprocessSpec<D>>;

/** What specFromSignature reads from a model input: its dtype name and shape (-1 for unknown dims). */
export interface InputSignature {
  dtype: string;
  /** null (unknown rank, as a TensorSpec may say) is a ShapeError at run time. */
  shape: readonly number[] | null;
}

const RESIZE_MODES: readonly ResizeMode[] = ['stretch', 'letterbox', 'center-crop'];

/** @internal Defaults filled, everything checked; throws ArgumentError / DTypeError naming the field. */
export function resolveSpec(spec: PreprocessSpec | undefined): ResolvedPreprocessSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ArgumentError(`spec: expected { width, height, ... }, got ${v.describe(spec)}`);
  }
  v.optionsObject(spec, PREPROCESS_KEYS, 'spec');
  const width = v.integer(spec.width, 'spec.width', 1, 2 ** 31 - 1);
  const height = v.integer(spec.height, 'spec.height', 1, 2 ** 31 - 1);
  if (width * height > 2 ** 30) throw new ArgumentError(`spec: ${width}x${height} is over the limit of 2^30 pixels`);
  const channels = spec.channels ?? 3;
  if (channels !== 1 && channels !== 3)
    throw new ArgumentError(`spec.channels: expected 1 | 3, got ${v.describe(channels)}`);
  const dtype = spec.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'uint8')
    throw new DTypeError(`spec.dtype: expected 'float32' | 'uint8', got ${v.describe(dtype)}`);
  const scale = spec.scale === undefined ? 1 : v.finiteNumber(spec.scale, 'spec.scale');
  const mean = a.perChannel(spec.mean ?? 0, 'spec.mean', channels);
  const std = a.perChannel(spec.std ?? 1, 'spec.std', channels);
  std.forEach((s, i) => {
    if (s === 0) throw new ArgumentError(`spec.std[${i}]: expected a non-zero number, got 0`);
  });
  if (dtype === 'uint8' && (scale !== 1 || mean.some((m) => m !== 0) || std.some((s) => s !== 1))) {
    throw new ArgumentError("spec: scale, mean and std apply to dtype 'float32' only; 'uint8' output is raw pixels");
  }
  const fill = a.perChannel(spec.fill ?? 0, 'spec.fill', channels);
  fill.forEach((f, i) => {
    if (f < 0 || f > 255) throw new ArgumentError(`spec.fill[${i}]: expected a pixel value in 0..255, got ${f}`);
  });
  return {
    width,
    height,
    resize: v.oneOf(spec.resize, RESIZE_MODES, 'spec.resize', 'stretch'),
    fill,
    interpolation: a.interpolation(spec.interpolation, 'spec.interpolation', 'linear'),
    channels,
    channelOrder: v.oneOf(spec.channelOrder, ['RGB', 'BGR'] as const, 'spec.channelOrder', 'RGB'),
    dtype,
    scale,
    mean,
    std,
    layout: v.oneOf(spec.layout, ['NHWC', 'NCHW'] as const, 'spec.layout', 'NHWC'),
    decodeScale: v.oneOf(spec.decodeScale, ['auto', 'full'] as const, 'spec.decodeScale', 'full'),
    maxPixels:
      spec.maxPixels === undefined
        ? DEFAULT_MAX_PIXELS
        : v.integer(spec.maxPixels, 'spec.maxPixels', 1, MAX_MAX_PIXELS),
  };
}

/** @internal */
export function nativeSpec(spec: ResolvedPreprocessSpec): NativePreprocessSpec {
  return { ...spec, fill: spec.fill as number[], mean: spec.mean as number[], std: spec.std as number[] };
}

const isChannelDim = (d: number | undefined) => d === 1 || d === 3;

/**
 * A preprocess spec for a model input `{ dtype, shape }` (e.g. model.signatures[name].inputs[key]):
 * size, channels, dtype and layout come from the signature (a rank-4 shape; the channel dim
 * is where the 1 or 3 is, NHWC when both ends could be), everything else from `overrides`
 * (resize mode, normalisation, ...), which must also give width / height when the shape
 * leaves them unknown (-1). Overrides that contradict the signature are a ShapeError / DTypeError.
 */
export function specFromSignature<D extends PreprocessDType = PreprocessDType>(
  input: InputSignature,
  overrides?: Partial<PreprocessSpec<D>>,
): ResolvedPreprocessSpec<D> {
  if (input === null || typeof input !== 'object')
    throw new ArgumentError(`input: expected { dtype, shape }, got ${v.describe(input)}`);
  const o = v.optionsObject(overrides, SPEC_OVERRIDES_KEYS, 'overrides');
  const shape = input.shape;
  if (
    !Array.isArray(shape) ||
    shape.length > 32 ||
    v.arrayItems(shape, 'input.shape', 32).some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < -1)
  ) {
    throw new ShapeError(`input.shape: expected an array of integers (-1 for unknown), got ${v.describe(shape)}`);
  }
  if (shape.length !== 4)
    throw new ShapeError(`input.shape: expected a batch of images (rank 4, NHWC or NCHW), got [${shape.join(',')}]`);
  if (input.dtype !== 'float32' && input.dtype !== 'uint8') {
    throw new DTypeError(
      `input.dtype: preprocess writes float32 or uint8 tensors, the input wants ${v.describe(input.dtype)}`,
    );
  }
  let layout: BatchLayout;
  if (o.layout !== undefined) layout = v.oneOf(o.layout, ['NHWC', 'NCHW'] as const, 'overrides.layout', 'NHWC');
  else if (isChannelDim(shape[3])) layout = 'NHWC';
  else if (isChannelDim(shape[1])) layout = 'NCHW';
  else
    throw new ShapeError(
      `input.shape: [${shape.join(',')}] has no channel dim of 1 or 3 at either end; pass overrides.layout`,
    );
  const [c, h, w] = layout === 'NHWC' ? [shape[3]!, shape[1]!, shape[2]!] : [shape[1]!, shape[2]!, shape[3]!];
  if (!isChannelDim(c))
    throw new ShapeError(`input.shape: [${shape.join(',')}] as ${layout} has ${c} channels; preprocess writes 1 or 3`);
  const pick = (name: 'width' | 'height' | 'channels', known: number): number => {
    const given = o[name];
    if (known === -1) {
      if (given === undefined)
        throw new ShapeError(`input.shape: [${shape.join(',')}] leaves the ${name} unknown; pass overrides.${name}`);
      return given;
    }
    if (given !== undefined && given !== known)
      throw new ShapeError(`overrides.${name}: ${given} contradicts the signature's ${known} ([${shape.join(',')}])`);
    return known;
  };
  if (o.dtype !== undefined && o.dtype !== input.dtype) {
    throw new DTypeError(`overrides.dtype: ${v.describe(o.dtype)} contradicts the signature's ${input.dtype}`);
  }
  return resolveSpec({
    ...o,
    width: pick('width', w),
    height: pick('height', h),
    channels: pick('channels', c) as 1 | 3,
    dtype: input.dtype as D,
    layout,
  }) as ResolvedPreprocessSpec<D>;
}
