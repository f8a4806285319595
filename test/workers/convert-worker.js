// Worker body for test/workers.test.js: loads tfcv in its own environment, runs
// conversions (sync and async), leaves some objects undisposed on purpose (the
// environment's cleanup must release them) and reports a checksum.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const tfcv = require('../../dist');

async function main() {
  let checksum = 0;
  const kept = [];
  for (let i = 0; i < workerData.iterations; i++) {
    const px = new Uint8Array(16 * 16 * 3).fill((i + workerData.id) % 256);
    const mat = tfcv.Mat.fromBuffer(px, { rows: 16, cols: 16, channels: 3 });
    const t = i % 2 ? await tfcv.toTensor(mat, { dtype: 'float32' }) : tfcv.toTensorSync(mat, { mode: 'share' });
    const back = await tfcv.toMat(t, { mode: 'share' });
    checksum += back.data[0];
    if (i % 10 === 0)
      kept.push(t.data, back); // left for environment teardown
    else {
      back.dispose();
      t.dispose();
      mat.dispose();
    }
  }
  parentPort.postMessage({ id: workerData.id, checksum, versions: tfcv.versions() });
  if (workerData.hang) await new Promise(() => setInterval(() => {}, 1000)); // terminated by the parent
}

main().catch((err) => {
  parentPort.postMessage({ id: workerData.id, error: String(err && err.stack) });
});
