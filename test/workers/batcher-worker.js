// Worker side of the batcher's worker_threads test: a batcher merges three calls, its
// views are read and disposed, and the worker exits with everything released.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const tfcv = require('../../dist');

async function main() {
  const model = await tfcv.loadSavedModel(workerData.model);
  const b = model.batcher();
  const rows = [1, 2, 1];
  const outs = await Promise.all(rows.map((n) => b.run({ image: tfcv.Tensor.alloc('float32', [n, 64, 64, 3]) })));
  const shapes = outs.map((o) => o.foreground.shape);
  for (const o of outs) for (const t of Object.values(o)) t.dispose();
  const { batches } = b.stats();
  await b.close();
  model.dispose();
  parentPort.postMessage({ batches, shapes });
}
main();
