// The raw binding's detection entry points (binding/detection/detection_api.cc), typed
// apart from NativeBinding. detectionNms / cocoMatch have an `...Async` twin.
import { NativeMat, native } from '../native';

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

type NmsArgs = [
  boxes: Float64Array,
  scores: Float32Array,
  classes: Int32Array | null,
  scoreThreshold: number,
  iouThreshold: number,
  eta: number,
  topK: number,
];

/** @internal */
export interface NativeDetection {
  detectionNms(...args: NmsArgs): Int32Array;
  detectionNmsAsync(...args: NmsArgs): Promise<Int32Array>;
  /** N per-image APs, then the match records (binding/detection/coco_params.h). */
  cocoMatch(truth: NativeCocoTruth, predictions: NativeCocoPredictions): Float64Array;
  cocoMatchAsync(truth: NativeCocoTruth, predictions: NativeCocoPredictions): Promise<Float64Array>;
  cocoAccumulate(records: Float64Array[]): Float64Array;
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

/** @internal */
export const nativeDetection = native as unknown as NativeDetection;
