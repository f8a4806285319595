// The typed view of the native metric kernels (binding/metrics/metrics_api.cc). Kept here
// rather than in native.ts so the metric layer adds entry points without touching the
// shared binding interface.
import { native, NativeMat, NativeTensor } from '../native';

/** @internal A metric input as native code reads it. */
export type NativeBatch = NativeTensor | NativeMat | NativeMat[];

/** @internal */
export interface NativeConfusionOptions {
  numClasses: number;
  ignoreClass: number | null;
  prediction: 'class-ids' | 'scores' | 'probability';
  threshold: number;
}

/** @internal */
export interface MetricsBinding {
  metricCircularity(batch: NativeBatch, threshold: number): Float64Array;
  metricCircularityAsync(batch: NativeBatch, threshold: number): Promise<Float64Array>;
  metricPixelCount(batch: NativeBatch, threshold: number, argName: string): Float64Array;
  metricPixelCountAsync(batch: NativeBatch, threshold: number, argName: string): Promise<Float64Array>;
  metricPixelSum(batch: NativeBatch): Float64Array;
  metricPixelSumAsync(batch: NativeBatch): Promise<Float64Array>;
  metricConfusion(yTrue: NativeBatch, yPred: NativeBatch, options: NativeConfusionOptions): Float64Array;
  metricConfusionAsync(yTrue: NativeBatch, yPred: NativeBatch, options: NativeConfusionOptions): Promise<Float64Array>;
}

/** @internal */
export const metricsNative = native as unknown as MetricsBinding;
