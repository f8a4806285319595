#!/usr/bin/env node
// This checkout against another one (the base): the facade's hot paths — model runs, Mat <->
// Tensor handoff, decode, preprocess, an image op, a metric update, each sync and async —
// measured for both builds in the same minutes, so a refactor can show its figures are within
// run-to-run noise (the machine drifts more between two `npm run bench` runs than the code
// does). Each round runs every case in a fresh child process per build, the builds' order
// alternating; the figure is the median of the round medians; ratio = this / base.
// Usage: node bench/ab.js --base <checkout with dist/ and a built addon> [--rounds 5] [--time 400]
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { fmt, writeResults } = require('./lib/report');

const CASES = [
  'segnet runSync, batch 1',
  'segnet run (async), batch 1',
  "Mat -> Tensor 'share' 1 MB, sync",
  "Mat -> Tensor 'copy' 1 MB, async",
  "Tensor -> Mat 'share' 1 MB, sync",
  'decodeSync 640x480 JPEG',
  'decode (async) 640x480 JPEG',
  'preprocessSync 640x480 JPEG -> 64x64 float32',
  'preprocess (async) 640x480 JPEG -> 64x64 float32',
  'resizeSync 640x480 -> 320x240',
  'resize (async) 640x480 -> 320x240',
  'MeanIoU updateSync, 8 masks 64x64',
  'MeanIoU update (async), 8 masks 64x64',
];

// Runs in the child: measures every case against the checkout `root`, prints JSON medians (ms).
async function child(root, time) {
  const fs = require('node:fs');
  const { Bench } = require('tinybench');
  const tfcv = require(path.join(root, 'dist'));
  const fixtures = path.join(__dirname, '..', 'test', 'fixtures');
  const model = tfcv.loadSavedModelSync(path.join(fixtures, 'models', 'segnet'));
  const image = tfcv.Tensor.from(new Float32Array(64 * 64 * 3).fill(0.5), { shape: [1, 64, 64, 3] });
  const jpeg = fs.readFileSync(path.join(fixtures, 'images', 'photo_640x480.jpg'));
  const photo = tfcv.Mat.decodeSync(jpeg);
  const big = tfcv.Mat.zeros(342, 1024, { channels: 3 });
  const bigTensor = tfcv.Tensor.alloc('uint8', [342, 1024, 3]);
  const spec = { width: 64, height: 64, dtype: 'float32', scale: 1 / 255 };
  const masks = tfcv.Tensor.from(
    new Uint8Array(8 * 64 * 64).map((_, i) => (i % 7 < 3 ? 1 : 0)),
    {
      shape: [8, 64, 64, 1],
    },
  );
  const iou = new tfcv.MeanIoU(2);
  const dispose = (outputs) => Object.values(outputs).forEach((t) => t.dispose());
  const fns = {
    'segnet runSync, batch 1': () => dispose(model.runSync({ image })),
    'segnet run (async), batch 1': async () => dispose(await model.run({ image })),
    "Mat -> Tensor 'share' 1 MB, sync": () => tfcv.toTensorSync(big, { mode: 'share', fallback: 'throw' }).dispose(),
    "Mat -> Tensor 'copy' 1 MB, async": async () => (await tfcv.toTensor(big)).dispose(),
    "Tensor -> Mat 'share' 1 MB, sync": () => tfcv.toMatSync(bigTensor, { mode: 'share' }).dispose(),
    'decodeSync 640x480 JPEG': () => tfcv.Mat.decodeSync(jpeg).dispose(),
    'decode (async) 640x480 JPEG': async () => (await tfcv.Mat.decode(jpeg)).dispose(),
    'preprocessSync 640x480 JPEG -> 64x64 float32': () => tfcv.preprocessSync(jpeg, spec).dispose(),
    'preprocess (async) 640x480 JPEG -> 64x64 float32': async () => (await tfcv.preprocess(jpeg, spec)).dispose(),
    'resizeSync 640x480 -> 320x240': () => photo.resizeSync({ width: 320, height: 240 }).dispose(),
    'resize (async) 640x480 -> 320x240': async () => (await photo.resize({ width: 320, height: 240 })).dispose(),
    'MeanIoU updateSync, 8 masks 64x64': () => iou.updateSync(masks, masks),
    'MeanIoU update (async), 8 masks 64x64': () => iou.update(masks, masks),
  };
  const out = {};
  for (const name of CASES) {
    const bench = new Bench({ time, warmupIterations: 10 });
    bench.add(name, fns[name]);
    await bench.run();
    out[name] = bench.tasks[0].result.latency.p50;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function main() {
  const baseArg = option('--base', null);
  if (!baseArg) {
    console.error('usage: node bench/ab.js --base <checkout with dist/ and a built addon> [--rounds 5] [--time 400]');
    process.exit(2);
  }
  const rounds = Number(option('--rounds', '5'));
  const time = Number(option('--time', '400'));
  const builds = { this: path.resolve(__dirname, '..'), base: path.resolve(baseArg) };
  const samples = { this: {}, base: {} };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['base', 'this'] : ['this', 'base'];
    for (const build of order) {
      const r = spawnSync(process.execPath, [__filename, '--child', builds[build], String(time)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) {
        console.error(`${build} (${builds[build]}) failed:\n${r.stderr.slice(-2000)}`);
        process.exit(1);
      }
      const medians = JSON.parse(r.stdout.trim().split('\n').pop());
      for (const [name, ms] of Object.entries(medians)) (samples[build][name] ??= []).push(ms);
    }
    console.error(`round ${round + 1}/${rounds} done`);
  }
  const results = CASES.map((name) => ({
    name,
    this: median(samples.this[name]),
    base: median(samples.base[name]),
    thisRounds: samples.this[name],
    baseRounds: samples.base[name],
  }));
  console.log(`\nthis checkout against ${builds.base} (median of ${rounds} round medians; ratio = this / base)`);
  const lines = results.map((r) => [r.name, fmt(r.this), fmt(r.base), `${(r.this / r.base).toFixed(3)}x`]);
  const header = ['case', 'this', 'base', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  for (const cells of [header, ...lines]) console.log(cells.map((c, i) => c.padEnd(widths[i])).join('  '));
  writeResults('ab', { base: builds.base, rounds, time, results });
  console.log(`(all rounds in bench/results/ab.json)`);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4])).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main();
}
