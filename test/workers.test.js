// worker_threads: the addon is context-aware. Four workers load it, convert and exit while
// the main thread keeps converting; a worker terminated with live objects cleans up; no
// crash either way.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { tfcv } = require('./helpers');

function runWorker(id, iterations, hang = false) {
  const worker = new Worker(path.join(__dirname, 'workers/convert-worker.js'), {
    workerData: { id, iterations, hang },
  });
  const message = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const exit = new Promise((resolve) => worker.once('exit', resolve));
  return { worker, message, exit };
}

function expectedChecksum(id, iterations) {
  let sum = 0;
  for (let i = 0; i < iterations; i++) sum += (i + id) % 256;
  return sum;
}

describe('worker_threads', () => {
  it('four workers load the addon, convert and exit while the main thread keeps working', async () => {
    const iterations = 300;
    const workers = [0, 1, 2, 3].map((id) => runWorker(id * 50, iterations));
    let mainConversions = 0;
    let done = false;
    const all = Promise.all(workers.map((w) => w.message)).finally(() => {
      done = true;
    });
    while (!done) {
      const mat = tfcv.Mat.zeros(32, 32, { channels: 3 });
      const t = await tfcv.toTensor(mat, { dtype: 'float32' });
      t.dispose();
      mat.dispose();
      mainConversions++;
    }
    const results = await all;
    for (const r of results) {
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.checksum, expectedChecksum(r.id, iterations));
      assert.equal(r.versions.tensorflow, tfcv.versions().tensorflow);
    }
    const codes = await Promise.all(workers.map((w) => w.exit));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    assert.ok(mainConversions > 0, 'the main thread kept working');
  });

  it('a worker terminated with live tensors, Mats and views cleans up without crashing', async () => {
    const before = tfcv.stats().liveTensors;
    const w = runWorker(7, 40, true);
    const msg = await w.message;
    assert.equal(msg.error, undefined, msg.error);
    assert.ok(tfcv.stats().liveTensors > before, 'the worker holds tensors');
    await w.worker.terminate();
    await w.exit;
    // The worker's environment teardown finalizes its objects (stats are process-wide).
    assert.ok(
      tfcv.stats().liveTensors <= before,
      `live tensors after teardown: ${tfcv.stats().liveTensors} (before ${before})`,
    );
  });
});
