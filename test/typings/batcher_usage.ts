// Compile-only check of the batcher typings: options, run() with images or tensors, the
// stats shape and BusyError. Run by test/typings.test.js.
import { Batcher, BatcherStats, BusyError, Tensor, loadSavedModel, Outputs } from '../../dist';

async function batcherUsage(): Promise<void> {
  const model = await loadSavedModel('segnet');
  const batcher: Batcher = model.batcher({
    maxBatchSize: 16,
    maxDelayMs: 2,
    maxQueue: 64,
    allowedBatchSizes: [1, 4, 16],
    warmup: true,
    preprocess: { scale: 1 / 255, resize: 'letterbox' },
    concurrency: 2,
  });
  await batcher.ready;
  const out: Outputs = await batcher.run(
    { image: Buffer.from([]) },
    { timeoutMs: 100, signal: AbortSignal.timeout(50) },
  );
  const rows: Outputs = await batcher.run({ image: Tensor.alloc('float32', [2, 64, 64, 3]) });
  const s: BatcherStats = batcher.stats();
  const p99: number = s.queueWaitMs.p99 + s.runMs.p99 + s.rejected.full + out.foreground!.size + rows.foreground!.size;
  const busy: string = new BusyError('x').code;
  // @ts-expect-error preprocess resize is a literal union
  model.batcher({ preprocess: { resize: 'fill' } });
  // @ts-expect-error timeoutMs is a number
  await batcher.run({ image: Buffer.from([]) }, { timeoutMs: '5' });
  await batcher.close();
  void p99;
  void busy;
}
void batcherUsage;
