// The typed view of evaluate()'s native batch builders (binding/evaluate/evaluate_api.cc).
import { native, NativeMat, NativeTensor } from '../native';

/** @internal */
export interface NativeInputSpec {
  height: number;
  width: number;
  channels: number;
  order: 'rgb' | 'bgr';
  dtype: 'float32' | 'uint8';
  divisor: number;
}

/** @internal */
export interface EvaluateBinding {
  evalInputBatch(images: NativeMat[], spec: NativeInputSpec): NativeTensor;
  evalInputBatchAsync(images: NativeMat[], spec: NativeInputSpec): Promise<NativeTensor>;
  evalMaskBatch(masks: NativeMat[], spec: { height: number; width: number; mode: 'binary' | 'ids' | 'auto' }): NativeTensor;
  evalMaskBatchAsync(masks: NativeMat[], spec: { height: number; width: number; mode: 'binary' | 'ids' | 'auto' }): Promise<NativeTensor>;
}

/** @internal */
export const evaluateNative = native as unknown as EvaluateBinding;
