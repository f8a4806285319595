#!/usr/bin/env node
// Handoff scaling: what it costs to pass image-sized memory between OpenCV, TensorFlow and
// JS, for 64 KB ... 64 MB. Mat -> Tensor and Tensor -> Mat with 'share' (zero-copy: must stay
// flat as size grows) and 'copy', Tensor -> JS typed-array view (zero-copy), beside a plain
// C++ memcpy of the same size (bench/native/runtime/memcpy_baseline.cc).
// Usage: node bench/handoff.js [--quick]
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Bench } = require('tinybench');
const tfcv = require('../dist');
const setup = require('./lib/setup');
const { printTable, writeResults } = require('./lib/report');

const quick = process.argv.includes('--quick');
const SIZES = [64 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20];

async function measure(name, fn, time) {
  const bench = new Bench({ time, warmupIterations: 5 });
  bench.add(name, fn);
  await bench.run();
  const l = bench.tasks[0].result.latency;
  return { name, median: l.p50, p99: l.p99 };
}

function memcpyRow(native, size, iterations) {
  if (native.error) return { name: 'plain C++ memcpy', median: null, note: native.error };
  const r = spawnSync(path.join(native.dir, 'memcpy_baseline'), [String(size), String(iterations)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return { name: 'plain C++ memcpy', median: null, note: r.stderr.slice(-200) };
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { name: 'plain C++ memcpy', median: j.median_ms, p99: j.p99_ms };
}

async function main() {
  const native = setup.nativeBaselines();
  const results = [];
  for (const size of SIZES) {
    const time = quick ? 150 : 600;
    // An RGB uint8 image of about `size` bytes: rows x cols x 3.
    const cols = 1024;
    const rows = Math.max(1, Math.round(size / (cols * 3)));
    const mat = tfcv.Mat.zeros(rows, cols, { channels: 3 });
    const tensor = tfcv.Tensor.alloc('uint8', [rows, cols, 3]);
    const rows_ = [
      memcpyRow(native, rows * cols * 3, size >= 16 << 20 ? 40 : 300),
      await measure(
        "Mat -> Tensor 'share'",
        () => tfcv.toTensorSync(mat, { mode: 'share', fallback: 'throw' }).dispose(),
        time,
      ),
      await measure("Mat -> Tensor 'copy'", () => tfcv.toTensorSync(mat).dispose(), time),
      await measure("Tensor -> Mat 'share'", () => tfcv.toMatSync(tensor, { mode: 'share' }).dispose(), time),
      await measure("Tensor -> Mat 'copy'", () => tfcv.toMatSync(tensor).dispose(), time),
      // A new Tensor handle each time, so the view is created (not the cached one returned).
      await measure(
        "Mat -> Tensor 'share' + JS view",
        () => {
          const t = tfcv.toTensorSync(mat, { mode: 'share', fallback: 'throw' });
          void t.data[0];
          t.dispose();
        },
        time,
      ),
    ];
    const mb = ((rows * cols * 3) / 2 ** 20).toFixed(2);
    printTable(`${mb} MB (${rows}x${cols}x3 uint8)`, rows_, 'plain C++ memcpy');
    results.push({ bytes: rows * cols * 3, rows: rows_ });
    mat.dispose();
    tensor.dispose();
  }
  const file = writeResults('handoff', { results });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
