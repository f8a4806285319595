// Runs detection work inside a worker: NMS and a COCO mAP update whose results go back to the
// main thread, then (when asked) starts more async work and waits to be terminated mid-flight.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const tfcv = require('../../dist');

async function main() {
  const n = 20000;
  const boxes = new Float64Array(n * 4);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    boxes.set([(i * 37) % 1000, (i * 91) % 1000, 20 + (i % 50), 20 + (i % 30)], i * 4);
    scores[i] = ((i * 7919) % 1000) / 1000;
  }
  const kept = await tfcv.nms(boxes, scores, { iouThreshold: 0.5 });
  const map = new tfcv.MeanAveragePrecision();
  const truth = { boxes: [[10, 10, 20, 20]], classes: [1] };
  await map.update([truth], [{ boxes: [[10, 10, 20, 20]], classes: [1], scores: [0.9] }]);
  const state = map.toJSON();
  if (workerData.hang) {
    for (let i = 0; i < 8; i++) tfcv.nms(boxes, scores, { iouThreshold: 0.3 }).catch(() => undefined);
    parentPort.postMessage({ kept: kept.length, state });
    setInterval(() => undefined, 1000); // until terminated
    return;
  }
  parentPort.postMessage({ kept: kept.length, state });
}
main().catch((error) => parentPort.postMessage({ error: String(error && error.stack) }));
