// The raw native binding typed in one file, as onnxruntime-node's lib/binding.ts does:
// every export of binding/addon.cc (and of the Register* functions it calls) with its
// arguments and results, grouped by the .cc file that exports it, and `native`, the loaded
// binding seen through that type (lib/native.ts loads it). The facade imports the binding
// from here and nowhere else. A new native entry point is declared in its file's group
// below; test/binding.test.js checks these names against the loaded addon.
// Nothing here is public: the facade validates arguments before they reach these calls.
import type { Moments } from './contours';
import type { ShapeKind } from './demo/synthetic_shapes';
import type { ThresholdMode } from './metrics/options';
import type { GraphOperation } from './signature';
import type { Stats } from './stats';

/** @internal The loaded binding (lib/native.ts loads it). */
export { native } from './native';

// ---------------------------------------------------------------------------------------
// Sync / async twins

/** @internal One operation exported twice: inline, and off the event loop (a Promise). */
export interface Twin<Args extends unknown[], R> {
  sync(...args: Args): R;
  async(...args: Args): Promise<R>;
}

/**
 * @internal Both entry points of every twin in T, named as ExportOp (binding/workers/op_job.h)
 * names them, which is the facade's rule too: `x` returns a Promise (libuv pool), `xSync`
 * runs inline.
 */
export type Twins<T> = {
  [K in keyof T & string]: T[K] extends Twin<infer A, infer R> ? (...args: A) => Promise<R> : never;
} & {
  [K in keyof T & string as `${K}Sync`]: T[K] extends Twin<infer A, infer R> ? (...args: A) => R : never;
};

// ---------------------------------------------------------------------------------------
// Native objects

/** @internal A class the native side constructs or recognises (native objects, error kinds). */
export type NativeClass = abstract new (...args: never[]) => object;

/** @internal An instance of NativeTensor (binding/tf/tensor_wrap.cc). */
export interface NativeTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly byteLength: number;
  readonly disposed: boolean;
  readonly shared: boolean;
  data(): ArrayBuffer;
  stringBytes(): Buffer[];
  copy(): NativeTensor;
  dispose(): void;
}

/** @internal An instance of NativeMat (binding/cv/mat_wrap.cc). */
export interface NativeMat {
  readonly rows: number;
  readonly cols: number;
  readonly channels: number;
  readonly dtype: string;
  readonly type: number;
  readonly step: number;
  readonly byteLength: number;
  readonly isContinuous: boolean;
  readonly readOnly: boolean;
  readonly disposed: boolean;
  data(): ArrayBuffer;
  clone(): NativeMat;
  roi(x: number, y: number, width: number, height: number): NativeMat;
  setTo(values: number[], onShared: string): NativeMat;
  threshold(thresh: number, maxval: number, type: string, inPlace: boolean, onShared: string): NativeMat;
  makeWritable(): NativeMat;
  dispose(): void;
}

/** @internal An instance of NativeModel (binding/tf/model_wrap.cc); runs are modelRun below. */
export interface NativeModel {
  operations(): GraphOperation[];
  operationInputs(name: string): Array<{ name: string; type: string }>;
  dispose(): void;
  readonly disposed: boolean;
}

// ---------------------------------------------------------------------------------------
// binding/addon.cc

/** @internal */
export interface AddonExports {
  NativeTensor: NativeClass;
  NativeMat: NativeClass;
  stats(): Stats;
  flushDeferred(): void;
  versions(): { tensorflow: string; opencv: string };
  isNative(value: unknown, kind: 'tensor' | 'mat' | 'model'): boolean;
  setMaxAllocationBytes(n: number): number;
  maxAllocationBytes(): number;
  /** The error classes in ErrorKind order (lib/errors.ts). */
  registerErrors(ctors: readonly NativeClass[]): void;
  errorKindCount: number;
}

// ---------------------------------------------------------------------------------------
// binding/tf/tensor_api.cc, binding/tf/model_api.cc

/** @internal */
export interface TensorExports {
  tensorAlloc(dtype: string, shape: number[]): NativeTensor;
  tensorFromBytes(
    dtype: string,
    shape: number[],
    data: ArrayBufferView | ArrayBuffer,
    mode: string,
    onUnaligned: string,
  ): NativeTensor;
  tensorFromStrings(shape: number[], data: Array<string | ArrayBufferView>): NativeTensor;
  /** A zero-copy Tensor over rows [firstRow, firstRow + rowCount) of dim 0. */
  tensorRows(tensor: NativeTensor, firstRow: number, rowCount: number): NativeTensor;
}

/** @internal What a load resolves with (metaGraphDef is empty for a frozen graph). */
export interface NativeLoaded {
  model: NativeModel;
  metaGraphDef: Buffer;
}

/** @internal */
export interface ModelExports extends Twins<{
  loadSavedModel: Twin<[dir: string, tags: string[], config: Buffer], NativeLoaded>;
  loadFrozenGraph: Twin<[graph: Uint8Array, config: Buffer], NativeLoaded>;
  /** The requested outputs; the model and the feeds stay pinned natively until the run ends. */
  modelRun: Twin<
    [model: NativeModel, feeds: string[], tensors: NativeTensor[], outputs: string[], runOptions?: Buffer],
    NativeTensor[]
  >;
}> {
  NativeModel: NativeClass;
}

// ---------------------------------------------------------------------------------------
// binding/cv/mat_api.cc, binding/bridge/convert_api.cc

/** @internal */
export interface MatExports extends Twins<{
  matDecode: Twin<[data: ArrayBufferView | ArrayBuffer, flags: string, maxPixels?: number, reduce?: number], NativeMat>;
}> {
  matFromBytes(
    rows: number,
    cols: number,
    channels: number,
    dtype: string,
    data: ArrayBufferView | ArrayBuffer,
    mode: string,
  ): NativeMat;
  matZeros(rows: number, cols: number, channels: number, dtype: string): NativeMat;
}

/** @internal */
export interface NativeMatToTensorOptions {
  mode: string;
  fallback: string;
  dtype?: string;
  channelsFirst: boolean;
  batch: boolean;
}

/** @internal Whether a conversion aliased its source, and why not when it copied. */
export interface NativeCopyReport {
  zeroCopy: boolean;
  copyReason: string | null;
}

/** @internal */
export type ConvertExports = Twins<{
  matToTensor: Twin<[mat: NativeMat, options: NativeMatToTensorOptions], NativeCopyReport & { tensor: NativeTensor }>;
  tensorToMat: Twin<
    [tensor: NativeTensor, options: { mode: string; fallback: string }],
    NativeCopyReport & { mat: NativeMat }
  >;
}>;

// ---------------------------------------------------------------------------------------
// binding/cv/*_ops.cc, encode_op.cc, contours.cc, draw_ops.cc; binding/bridge/preprocess_api.cc

/** @internal */
export interface NativeSize {
  width: number;
  height: number;
}

/** @internal */
export interface NativeRect extends NativeSize {
  x: number;
  y: number;
}

/** @internal */
export interface NativePoint {
  x: number;
  y: number;
}

/** @internal */
export interface NativeContours {
  contours: Int32Array[];
  hierarchy: Int32Array;
}

/** @internal */
export interface NativePreprocessSpec {
  width: number;
  height: number;
  resize: string;
  interpolation: string;
  channels: number;
  channelOrder: string;
  dtype: string;
  scale: number;
  mean: number[];
  std: number[];
  fill: number[];
  layout: string;
  decodeScale: string;
  maxPixels: number;
  /** evaluate() only (float32): y = float(pixel) / divisor, Python's `image / 255`, instead of scale / mean / std. */
  divisor?: number;
  /** evaluate() only: the interpolation for images the fit shrinks (default: `interpolation` for all). */
  shrinkInterpolation?: string;
}

/** @internal An image preprocess reads: encoded bytes or a Mat. */
export type NativeImage = ArrayBufferView | ArrayBuffer | NativeMat;

type M = NativeMat;
type Points = Int32Array | Float32Array;
type Thickness = number | 'filled';
type LineType = number | 'aa';

/** @internal The image twins, by their facade name (ExportOp). */
export interface ImageTwins {
  encode: Twin<[mat: M, format: string, quality: number | undefined, compression: number | undefined], Buffer>;
  resize: Twin<[mat: M, size: NativeSize | null, fx: number, fy: number, interpolation: string], M>;
  crop: Twin<[mat: M, rect: NativeRect], M>;
  pad: Twin<
    [mat: M, padding: { top: number; bottom: number; left: number; right: number }, border: string, value: number[]],
    M
  >;
  letterbox: Twin<[mat: M, size: NativeSize, fill: number[], interpolation: string], M>;
  flip: Twin<[mat: M, direction: string], M>;
  rotate: Twin<[mat: M, degrees: number], M>;
  cvtColor: Twin<[mat: M, code: string], M>;
  convertTo: Twin<[mat: M, dtype: string, scale: number[], shift: number[], perChannel: boolean], M>;
  normalize: Twin<[mat: M, norm: string, alpha: number, beta: number, dtype: string | undefined], M>;
  threshold: Twin<[mat: M, thresh: number, maxval: number, type: string], M>;
  inRange: Twin<[mat: M, lower: number[], upper: number[]], M>;
  findContours: Twin<[mat: M, mode: string, method: string], NativeContours>;
  countNonZero: Twin<[mat: M], number>;
  mean: Twin<[mat: M, mask: M | undefined], number[]>;
  moments: Twin<[mat: M, binary: boolean], Moments>;
  addWeighted: Twin<[a: M, alpha: number, b: M, beta: number, gamma: number, dtype: string | undefined], M>;
  preprocess: Twin<[images: NativeImage[], spec: NativePreprocessSpec], NativeTensor>;
  preprocessRows: Twin<
    [images: NativeImage[], spec: NativePreprocessSpec, rows: number],
    { tensor: NativeTensor; failures: Array<Error | null> }
  >;
}

/** @internal */
export interface ImageExports extends Twins<ImageTwins> {
  letterboxGeometry(srcW: number, srcH: number, dstW: number, dstH: number): NativeRect & { scale: number };
  centerCropRect(srcW: number, srcH: number, dstW: number, dstH: number): NativeRect;
  contourArea(points: Points, oriented: boolean): number;
  arcLength(points: Points, closed: boolean): number;
  boundingRect(points: Points): NativeRect;
  minEnclosingCircle(points: Points): NativePoint & { radius: number };
  contourMoments(points: Points): Moments;
  rectangle(
    mat: M,
    rect: NativeRect,
    color: number[],
    thickness: Thickness,
    lineType: LineType,
    onShared: string,
  ): void;
  circle(
    mat: M,
    center: NativePoint,
    radius: number,
    color: number[],
    thickness: Thickness,
    lineType: LineType,
    onShared: string,
  ): void;
  line(
    mat: M,
    from: NativePoint,
    to: NativePoint,
    color: number[],
    thickness: number,
    lineType: LineType,
    onShared: string,
  ): void;
  drawContours(
    mat: M,
    contours: Int32Array[],
    index: number,
    color: number[],
    thickness: Thickness,
    lineType: LineType,
    onShared: string,
  ): void;
  putText(
    mat: M,
    text: string,
    origin: NativePoint,
    font: string,
    fontScale: number,
    color: number[],
    thickness: number,
    lineType: LineType,
    onShared: string,
  ): void;
}

// ---------------------------------------------------------------------------------------
// binding/metrics/metrics_api.cc, binding/evaluate/evaluate_api.cc

/** @internal A metric input as native code reads it. */
export type NativeBatch = NativeTensor | NativeMat | NativeMat[];

/** @internal */
export interface NativeConfusionOptions {
  numClasses: number;
  ignoreClass: number | null;
  prediction: 'class-ids' | 'scores' | 'probability';
  threshold: number;
  masks: 'auto' | 'binary' | 'ids';
}

/** @internal Each kernel returns its per-image numbers in one Float64Array. */
export type MetricsExports = Twins<{
  /** [area, perimeter, circularity, threshold flag] per image. */
  metricCircularity: Twin<[batch: NativeBatch, threshold: number, mode: ThresholdMode], Float64Array>;
  /** [pixels above the threshold, threshold flag] per image. */
  metricPixelCount: Twin<[batch: NativeBatch, threshold: number, mode: ThresholdMode, argName: string], Float64Array>;
  /** [sum, count] per image. */
  metricPixelSum: Twin<[batch: NativeBatch], Float64Array>;
  /** numClasses^2 counts per image. */
  metricConfusion: Twin<[yTrue: NativeBatch, yPred: NativeBatch, options: NativeConfusionOptions], Float64Array>;
}>;

/** @internal */
export type EvaluateExports = Twins<{
  /** The truth masks as one class-id batch tensor. */
  evalMaskBatch: Twin<
    [masks: NativeMat[], spec: { height: number; width: number; mode: 'binary' | 'ids' | 'auto' }],
    NativeTensor
  >;
}>;

// ---------------------------------------------------------------------------------------
// binding/detection/detection_api.cc

/** @internal Packed truth of a batch of images (offsets: N + 1 box indices). */
export interface NativeCocoTruth {
  boxes: Float64Array;
  classes: Int32Array;
  crowd: Uint8Array;
  area: Float64Array;
  offsets: Uint32Array;
}

/** @internal Packed predictions of a batch of images. */
export interface NativeCocoPredictions {
  boxes: Float64Array;
  classes: Int32Array;
  scores: Float64Array;
  offsets: Uint32Array;
}

/** @internal */
export interface DetectionExports extends Twins<{
  /** The indices of the boxes kept. */
  detectionNms: Twin<
    [
      boxes: Float64Array,
      scores: Float32Array,
      classes: Int32Array | null,
      scoreThreshold: number,
      iouThreshold: number,
      eta: number,
      topK: number,
      maxComparisons: number,
      cancel: Uint8Array | undefined,
    ],
    Int32Array
  >;
  /** N per-image APs, then the match records (binding/detection/coco_params.h). */
  cocoMatch: Twin<[truth: NativeCocoTruth, predictions: NativeCocoPredictions], Float64Array>;
}> {
  /** The 12 stats, then per class [classId, 12 stats]. */
  cocoAccumulate(records: Float64Array[]): Float64Array;
  /** [classes, truth, best score/tp/fp], then per class [classId, truth, best score/tp/fp, precision 10x101, tp 1001, fp 1001]. */
  cocoCurves(records: Float64Array[]): Float64Array;
  drawDetections(
    mat: NativeMat,
    boxes: Float64Array,
    labels: Array<string | null>,
    colors: Float64Array,
    thickness: number,
    fontScale: number,
    onShared: string,
  ): void;
}

// ---------------------------------------------------------------------------------------
// binding/demo/demo_api.cc

/** @internal */
export interface DemoExports {
  demoShapes(count: number, size: number, seed: number): Array<{ image: NativeMat; mask: NativeMat; kind: ShapeKind }>;
  demoShapes(
    count: number,
    size: number,
    seed: number,
    maskOnly: true,
  ): Array<{ image: null; mask: NativeMat; kind: ShapeKind }>;
  /** PNG bytes: image `imageIndex` of `image` with the contours of `predicted` and `truth` drawn over it. */
  demoOverlayPng(
    image: NativeMat,
    imageIndex: number,
    predicted: NativeTensor | NativeMat,
    predictedIndex: number,
    truth: NativeTensor | NativeMat | null,
    truthIndex: number,
    threshold: number,
    scale: number,
  ): Buffer;
}

// ---------------------------------------------------------------------------------------

/** @internal Everything binding/addon.cc exports. */
export interface Binding
  extends
    AddonExports,
    TensorExports,
    ModelExports,
    MatExports,
    ConvertExports,
    ImageExports,
    MetricsExports,
    EvaluateExports,
    DetectionExports,
    DemoExports {}
