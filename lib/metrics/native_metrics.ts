// The typed view of the native metric kernels (binding/metrics/metrics_api.cc). Kept here
// rather than in native.ts so the metric layer adds entry points without touching the
// shared binding interface.
import { native, NativeMat, NativeTensor } from '../native';
import type { ThresholdMode } from './options';

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

/** @internal */
export interface MetricsBinding {
  /** [area, perimeter, circularity, threshold flag] per image. */
  metricCircularity(batch: NativeBatch, threshold: number, mode: ThresholdMode): Float64Array;
  metricCircularityAsync(batch: NativeBatch, threshold: number, mode: ThresholdMode): Promise<Float64Array>;
  /** [pixels above the threshold, threshold flag] per image. */
  metricPixelCount(batch: NativeBatch, threshold: number, mode: ThresholdMode, argName: string): Float64Array;
  metricPixelCountAsync(
    batch: NativeBatch,
    threshold: number,
    mode: ThresholdMode,
    argName: string,
  ): Promise<Float64Array>;
  metricPixelSum(batch: NativeBatch): Float64Array;
  metricPixelSumAsync(batch: NativeBatch): Promise<Float64Array>;
  metricConfusion(yTrue: NativeBatch, yPred: NativeBatch, options: NativeConfusionOptions): Float64Array;
  metricConfusionAsync(yTrue: NativeBatch, yPred: NativeBatch, options: NativeConfusionOptions): Promise<Float64Array>;
}

/** @internal */
export const metricsNative = native as unknown as MetricsBinding;
