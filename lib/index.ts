// Public entry point of tfcv.
export * from './errors';
export type { DType, MatDType, NumericDType, TypedArrayOf, DTypeArrayMap } from './dtype';
export { DTYPES, MAT_DTYPES } from './dtype';
export { Tensor } from './tensor';
export type { TensorFromOptions, TensorData, ShareMode } from './tensor';
export { Mat } from './mat';
export type { MatFromBufferOptions, DecodeOptions, DecodeFlags, InPlaceOptions, ThresholdOptions, ThresholdType, Rect } from './mat';
export { toTensor, toTensorSync, toMat, toMatSync } from './convert';
export type { ToTensorOptions, ToMatOptions, ConversionOptions, TransferMode, TensorLayout } from './convert';
export { stats, versions } from './stats';
export type { Stats } from './stats';
export { nativePath } from './native';
// Image pipeline: operations on Mats (methods added by lib/ops/*), contours, preprocess.
export { DEFAULT_MAX_PIXELS, MAX_MAX_PIXELS } from './mat';
export type { ThresholdSyncOptions } from './mat';
export type { Size, Point, Color, Interpolation, LineType, OnShared } from './image_args';
export { INTERPOLATIONS } from './image_args';
export * from './ops/codec';
export * from './ops/geometry';
export * from './ops/color';
export * from './ops/analysis';
export * from './ops/draw';
export * from './contours';
export { preprocess } from './preprocess';
export type { ImageInput } from './preprocess';
export { specFromSignature } from './preprocess_spec';
export type { PreprocessSpec, ResolvedPreprocessSpec, InputSignature, ResizeMode, ChannelOrder, PreprocessDType, BatchLayout, DecodeScale } from './preprocess_spec';
