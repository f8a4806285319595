// Compile-only check of issue 11's surface: mask conventions, one-shot measurements, run's
// preprocess option, scope() / keep(), and `using` with Symbol.dispose. Run by test/typings.test.js.
import {
  Mat,
  Tensor,
  Model,
  MeanIoU,
  Dice,
  specFromSignature,
  scope,
  scopeSync,
  keep,
  circularity,
  circularitySync,
  foregroundFraction,
  foregroundFractionSync,
  meanIoU,
  meanIoUSync,
  dice,
  diceSync,
  MaskConvention,
} from '../../dist';

async function noMismatchUsage(model: Model, mat: Mat, jpeg: Buffer): Promise<void> {
  const convention: MaskConvention = 'auto';
  const iou = new MeanIoU(2, { masks: 'binary' });
  new Dice(2, { masks: convention, targetClassIds: [1] });
  // @ts-expect-error masks is 'auto' | 'binary' | 'ids'
  new MeanIoU(2, { masks: '0/255' });
  const c: number = await circularity(mat, { threshold: 'auto', emptyPolicy: 'nan' });
  const f: number = await foregroundFraction(mat, { threshold: 0.5 });
  const m: number = await meanIoU(mat, mat, { numClasses: 2, masks: 'auto' });
  const d: number = await dice(mat, mat, { targetClassIds: [1] });
  const sync: number[] = [circularitySync(mat), foregroundFractionSync(mat), meanIoUSync(mat, mat), diceSync(mat, mat)];
  // @ts-expect-error emptyPolicy of the one-shot circularity is 'zero' | 'nan'
  circularitySync(mat, { emptyPolicy: 'skip' });
  const spec = specFromSignature(model.inputs().image!, { scale: 1 / 255 });
  const out = await model.run({ image: mat }, { preprocess: spec });
  const outSync = model.runSync({ image: jpeg }, { preprocess: spec });
  const fraction: number = await scope(async () => {
    const { foreground } = await model.run({ image: jpeg }, { preprocess: spec });
    return foregroundFraction(foreground!);
  });
  const kept: Tensor = scopeSync(() => keep(Tensor.alloc('uint8', [1])));
  {
    using t = Tensor.alloc('float32', [2]);
    using view = Mat.zeros(2, 2);
    void [t.size, view.rows];
  }
  void [c, f, m, d, sync, out, outSync, fraction, kept, iou];
}
void noMismatchUsage;
