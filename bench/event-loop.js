#!/usr/bin/env node
// Event-loop health while models run, and memory over a long run loop: the figures behind
// the model runtime's promises (the tests assert the bounds; this prints the numbers).
//  1. event-loop delay (p50/p99/max) while one long segnet run (>= 200 ms) is in flight,
//     and while 8 runs are in flight at once, async vs the same work with runSync;
//  2. RSS and external memory before and after 5,000 runs.
'use strict';
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const tfcv = require('../dist');
const { writeResults } = require('./lib/report');

const MODELS = path.join(__dirname, '../test/fixtures/models');

async function delayWhile(label, work) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const timer = setInterval(() => {}, 1);
  h.enable();
  await new Promise((r) => setTimeout(r, 10)); // the histogram skips its first interval
  const start = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await new Promise((r) => setTimeout(r, 5)); // let the timer record a delay a blocked loop built up
  h.disable();
  clearInterval(timer);
  const row = { label, workMs: ms, p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  console.log(
    `${label.padEnd(44)} work ${ms.toFixed(0).padStart(5)} ms   loop delay p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  max ${row.max.toFixed(1)} ms`,
  );
  return row;
}

async function main() {
  const segnet = tfcv.loadSavedModelSync(path.join(MODELS, 'segnet'));
  const big = tfcv.Tensor.alloc('float32', [384, 64, 64, 3]);
  big.data.fill(0.5);
  const small = tfcv.Tensor.alloc('float32', [16, 64, 64, 3]);
  small.data.fill(0.5);
  const drop = (out) => Object.values(out).forEach((t) => t.dispose());
  drop(segnet.runSync({ image: big })); // warm-up: first-run allocations
  const delays = [];
  console.log('event-loop delay (1 ms timer) while segnet runs:');
  delays.push(await delayWhile('one long run, async', async () => drop(await segnet.run({ image: big }))));
  delays.push(await delayWhile('one long run, runSync', async () => drop(segnet.runSync({ image: big }))));
  delays.push(
    await delayWhile('8 concurrent runs (batch 16), async', async () =>
      (await Promise.all(Array.from({ length: 8 }, () => segnet.run({ image: small })))).forEach(drop),
    ),
  );

  const cnn = tfcv.loadSavedModelSync(path.join(MODELS, 'cnn_module'));
  const image = tfcv.Tensor.alloc('float32', [4, 32, 32, 3]);
  image.data.fill(0.5);
  for (let i = 0; i < 500; i++) drop(await cnn.run({ image }));
  global.gc?.();
  const before = { rss: process.memoryUsage().rss, external: tfcv.stats().externalBytes };
  for (let i = 0; i < 5000; i++) {
    const out = i % 2 ? await cnn.run({ image }) : cnn.runSync({ image });
    if (i % 3) drop(out); // the rest is left to the garbage collector
  }
  global.gc?.();
  await new Promise((r) => setImmediate(r));
  const after = { rss: process.memoryUsage().rss, external: tfcv.stats().externalBytes };
  const memory = {
    runs: 5000,
    rssBeforeMB: before.rss / 2 ** 20,
    rssAfterMB: after.rss / 2 ** 20,
    externalBefore: before.external,
    externalAfter: after.external,
  };
  console.log(
    `\nmemory over 5,000 runs: RSS ${memory.rssBeforeMB.toFixed(1)} -> ${memory.rssAfterMB.toFixed(1)} MB, tfcv external bytes ${before.external} -> ${after.external}`,
  );
  writeResults('event-loop', { delays, memory });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
