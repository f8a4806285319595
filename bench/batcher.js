#!/usr/bin/env node
// The batcher on its own, without HTTP: images/s against the number of concurrent callers
// (each awaiting one single-row run() after another) for model.batcher() and for plain
// model.run() at the same concurrency, on the tiny CNN (cnn_module, 32x32), segnet (64x64)
// and MobileNetV2-224 when it can be had. Fixed duration per level, one process; the ratio
// column is batched / plain.
// Usage: node bench/batcher.js [--quick]
'use strict';
const os = require('node:os');
const path = require('node:path');
const tfcv = require('../dist');
const setup = require('./lib/setup');
const { writeResults } = require('./lib/report');

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 1 : 3;
const CONCURRENCY = [1, 2, 4, 8, 16, 32];

/** `callers` loops, each awaiting `call()` until the time is up; returns images/s and the mean latency. */
async function drive(call, callers) {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  let latency = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const out = await call();
        latency += performance.now() - t0;
        for (const t of Object.values(out)) t.dispose();
        done++;
      }
    }),
  );
  return { imagesPerSec: done / SECONDS, meanLatencyMs: latency / done };
}

async function main() {
  const cases = [
    ['tiny CNN 32x32 (cnn_module)', path.join(setup.root, 'test/fixtures/models/cnn_module')],
    ['segnet 64x64', path.join(setup.root, 'test/fixtures/models/segnet')],
  ];
  const mobilenet = setup.mobilenet();
  if (!mobilenet.error) cases.push(['MobileNetV2-224', mobilenet.dir]);
  else console.log(`MobileNetV2: n/a: ${mobilenet.error}`);
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const results = [];
  for (const [label, dir] of cases) {
    const model = await tfcv.loadSavedModel(dir, { warmup: true });
    const [key, spec] = Object.entries(model.inputs())[0];
    const input = tfcv.Tensor.alloc('float32', [1, ...spec.shape.slice(1)]);
    input.data.fill(0.5);
    const batcher = model.batcher({ maxBatchSize: 32 });
    console.log(`\n${label}, ${SECONDS} s per level: images/s (mean latency ms)`);
    console.log('callers  model.run          batcher            ratio  mean batch');
    for (const callers of CONCURRENCY) {
      const plain = await drive(() => model.run({ [key]: input }), callers);
      const before = batcher.stats();
      const batched = await drive(() => batcher.run({ [key]: input }), callers);
      const after = batcher.stats();
      const meanBatch = (after.images - before.images) / Math.max(1, after.batches - before.batches);
      results.push({ model: label, callers, plain, batched, meanBatch });
      const cell = (r) => `${r.imagesPerSec.toFixed(0).padStart(7)} (${r.meanLatencyMs.toFixed(2).padStart(6)})`;
      console.log(
        `${String(callers).padStart(7)}  ${cell(plain)}  ${cell(batched)}  ${(batched.imagesPerSec / plain.imagesPerSec).toFixed(2).padStart(5)}x  ${meanBatch.toFixed(2).padStart(10)}`,
      );
    }
    await batcher.close();
    input.dispose();
    model.dispose();
  }
  console.log(
    `\nload average at end: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const file = writeResults('batcher', { seconds: SECONDS, loadAverage: os.loadavg(), results });
  console.log(`results: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
