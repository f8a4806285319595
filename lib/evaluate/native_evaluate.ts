// The typed view of evaluate()'s native truth-mask batch builder (binding/evaluate/evaluate_api.cc).
import { native, NativeMat, NativeTensor } from '../native';

/** @internal */
export interface EvaluateBinding {
  evalMaskBatch(
    masks: NativeMat[],
    spec: { height: number; width: number; mode: 'binary' | 'ids' | 'auto' },
  ): NativeTensor;
  evalMaskBatchAsync(
    masks: NativeMat[],
    spec: { height: number; width: number; mode: 'binary' | 'ids' | 'auto' },
  ): Promise<NativeTensor>;
}

/** @internal */
export const evaluateNative = native as unknown as EvaluateBinding;
