// Worker body for test/metrics.merge_law.test.js: evaluates its share of a synthetic set
// with its own metrics (in its own environment) and posts their states as JSON.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const tfcv = require('../../dist');

async function main() {
  const shapes = tfcv.syntheticShapes(workerData.count, { seed: workerData.seed });
  const mine = shapes.filter((_, i) => i % workerData.workers === workerData.index);
  const ids = mine.map((s) => s.mask.thresholdSync(0, 1));
  const metrics = [new tfcv.MeanIoU(2), new tfcv.Circularity(), new tfcv.AvgPixelValue()];
  for (const m of metrics)
    await m.update(m.usesTruth ? ids : null, m instanceof tfcv.AvgPixelValue ? mine.map((s) => s.image) : ids);
  parentPort.postMessage(metrics.map((m) => m.toJSON()));
}

main().catch((err) => parentPort.postMessage({ error: String(err && err.stack) }));
