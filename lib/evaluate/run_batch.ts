// evaluate()'s model and metrics stages for one prepared batch: run the model, bring the
// truth to the predictions' size when the model's output is not at its input's, give every
// metric the batch, record each sample's values and show the batch to onBatch while its
// tensors are alive.
import { AbortError } from '../errors';
import type { Tensor } from '../tensor';
import type { Metric } from '../metrics/metric';
import type { EvaluateResult } from './evaluate';
import type { EvaluatePlan } from './plan';
import { maskBatchSync, PreparedBatch } from './prepare_batch';
import { StageTimer } from './stage_timer';

/** @internal */
export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('evaluate: aborted');
}

// The output is the run's own tensor (nobody else sees it): scaled where it lies. Float32
// products are rounded to float32 as numpy's float32 multiplication rounds them.
function scaleInPlace(tensor: Tensor, scale: number): void {
  const data = tensor.data as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! * scale;
}

/** @internal Runs one batch and adds it to `result` (images, batches, samples). */
export async function runBatch(
  plan: EvaluatePlan,
  timer: StageTimer,
  batch: PreparedBatch,
  result: EvaluateResult,
): Promise<void> {
  checkAbort(plan.signal);
  const { output, metrics } = plan;
  const outputs = await timer.time('run', () =>
    plan.model.run(batch.feeds!, { signature: plan.signatureKey, outputs: [output], signal: plan.signal }),
  );
  const predictions = outputs[output]!;
  if (plan.predictionScale !== 1) scaleInPlace(predictions, plan.predictionScale);
  let truth = batch.truth;
  try {
    const ps = predictions.shape;
    if (truth !== null && ps.length >= 3 && (ps[1] !== truth.shape[1] || ps[2] !== truth.shape[2])) {
      truth = maskBatchSync(plan, batch.loaded, ps[1]!, ps[2]!);
    }
    const truthFor = (m: Metric) => (!m.usesTruth ? null : (batch.labels ?? truth));
    const values = await timer.time('metrics', () =>
      Promise.all(metrics.map((m) => m.update(truthFor(m), predictions))),
    );
    const byName: Record<string, number[]> = {};
    metrics.forEach((m, j) => (byName[m.name] = values[j]!));
    batch.ids.forEach((id, i) => {
      const row: Record<string, number | null> = {};
      for (const m of metrics) {
        const x = byName[m.name]![i]!;
        row[m.name] = Number.isNaN(x) ? null : x;
      }
      result.samples.push({ id, values: row });
    });
    result.images += batch.ids.length;
    result.batches++;
    await plan.onBatch?.({
      ids: batch.ids,
      images: batch.loaded.map((s) => s.image),
      truth,
      predictions,
      values: byName,
    });
  } finally {
    predictions.dispose();
    if (truth !== batch.truth) truth?.dispose();
  }
}
