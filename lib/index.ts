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
export { Model, loadSavedModel, loadSavedModelSync, loadFrozenGraph, loadFrozenGraphSync } from './model';
export type { LoadOptions, SavedModelOptions, RunOptions, Outputs } from './model';
export type { Feeds, Feed, ArrayFeed } from './feeds';
export type { SignatureInfo, TensorSpec, MetaGraphInfo, GraphOperation } from './signature';
export type { SessionOptions } from './session_options';
export * from './metrics/index';
