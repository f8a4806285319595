// Public entry point of tfcv.
export * from './errors';
export type { DType, MatDType, NumericDType, TypedArrayOf, DTypeArrayMap } from './dtype';
export { DTYPES, MAT_DTYPES } from './dtype';
export { Tensor } from './tensor';
export { scope, scopeSync, keep } from './scope';
export type { ScopedResource } from './scope';
export type { TensorFromOptions, TensorData, ShareMode } from './tensor';
export { Mat } from './mat';
export type {
  MatFromBufferOptions,
  DecodeOptions,
  DecodeFlags,
  InPlaceOptions,
  ThresholdOptions,
  ThresholdType,
  Rect,
} from './mat';
export { toTensor, toTensorSync, toMat, toMatSync } from './convert';
export type { ToTensorOptions, ToMatOptions, ConversionOptions, TransferMode, TensorLayout } from './convert';
export { stats, versions } from './stats';
export { limits, setLimits, DEFAULT_MAX_ALLOCATION_BYTES } from './limits';
export type { Limits } from './limits';
export type { Stats, Versions } from './stats';
export type { OneDnnState } from './onednn';
export { nativePath } from './native';
export { Model, loadSavedModel, loadSavedModelSync, loadFrozenGraph, loadFrozenGraphSync } from './model';
export type { LoadOptions, SavedModelOptions, RunOptions, Outputs } from './model';
export { Batcher } from './batcher';
export type { BatcherOptions, BatchRunOptions, BatchFeeds, BatchFeed, BatchImage } from './batcher';
export type { BatcherStats } from './batcher_stats';
export type { Feeds, Feed, ArrayFeed } from './feeds';
export type { SignatureInfo, TensorSpec, MetaGraphInfo, GraphOperation } from './signature';
export type { SessionOptions } from './session_options';
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
export * from './detection/index';
export { topK, softmax } from './classification/top_k';
export type { TopKOptions, ClassScore, ScoresInput } from './classification/top_k';
export { preprocess, preprocessSync } from './preprocess';
export type { ImageInput } from './preprocess';
export { specFromSignature } from './preprocess_spec';
export type {
  PreprocessSpec,
  ResolvedPreprocessSpec,
  InputSignature,
  ResizeMode,
  ChannelOrder,
  PreprocessDType,
  BatchLayout,
  DecodeScale,
} from './preprocess_spec';
export * from './metrics/index';
export { evaluate } from './evaluate/evaluate';
export type {
  EvaluateOptions,
  EvaluateResult,
  EvaluateProgress,
  EvaluatedBatch,
  Preprocess,
  PreprocessContext,
  SampleValues,
  SkippedSample,
} from './evaluate/evaluate';
export type { Sample, Dataset } from './evaluate/sample';
export { folderDataset } from './evaluate/folder_dataset';
export { cocoDataset } from './evaluate/coco_dataset';
export type { CocoDataset, CocoCategory, CocoDatasetOptions } from './evaluate/coco_dataset';
export type {
  DetectionSample,
  DetectionOutputs,
  DetectionOptions,
  DetectionBatch,
} from './evaluate/evaluate_detection';
export type { FolderDataset, FolderDatasetOptions } from './evaluate/folder_dataset';
export { parseShard, selectShard, shardFromJobEnv } from './evaluate/shard';
export type { Shard } from './evaluate/shard';
export { syntheticShapes } from './demo/synthetic_shapes';
export { models } from './models';
export type { BundledModel, BundledTensor } from './models';
export type { SyntheticShape, SyntheticShapesOptions, ShapeKind } from './demo/synthetic_shapes';
export * from './serving/index';

export * from './stream/index';
