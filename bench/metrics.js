#!/usr/bin/env node
// Circularity and MeanIoU over 1,000 masks of 512x512: tfcv's metric classes (async and sync)
// beside the seeds' approach in Python (a cv2 loop per mask; Keras' MeanIoU and a NumPy loop),
// run through the fixture venv when Python with cv2 is available, and beside a plain C++ loop
// over the same OpenCV calls (bench/native/metrics, built here with CMake). Same masks for all
// three (written once to raw files). Prints medians and ratios; never part of the test suite.
//
//   node bench/metrics.js [--count 1000] [--size 512] [--batch 50] [--iterations 5] [--quick]
// (--quick: 200 masks, 3 runs.) Results also go to bench/results/metrics.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tfcv = require('../dist');
const { native } = require('../dist/native');

const ROOT = path.resolve(__dirname, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUICK = process.argv.includes('--quick');
const COUNT = arg('count', QUICK ? 200 : 1000);
const SIZE = arg('size', 512);
const BATCH = arg('batch', 50);
const ITERATIONS = arg('iterations', QUICK ? 3 : 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function makeMasks(dir) {
  // One filled shape per mask (circle, ellipse or rotated square), as in the demo but at 512 px.
  const shapes = native.demoShapes(COUNT, SIZE, 1, true);
  const image = SIZE * SIZE;
  const masks = Buffer.alloc(COUNT * image);
  shapes.forEach((s, i) => {
    masks.set(new Uint8Array(s.mask.data()), i * image);
    s.mask.dispose();
  });
  // Truth class ids, and a prediction off by a few pixels (shifted 3 right, 2 down).
  const truth = Buffer.alloc(masks.length);
  const predicted = Buffer.alloc(masks.length);
  for (let i = 0; i < masks.length; i++) truth[i] = masks[i] > 127 ? 1 : 0;
  for (let n = 0; n < COUNT; n++) {
    for (let r = 2; r < SIZE; r++) {
      const src = n * image + (r - 2) * SIZE;
      predicted.set(truth.subarray(src, src + SIZE - 3), n * image + r * SIZE + 3);
    }
  }
  const files = { masks: path.join(dir, 'masks.raw'), truth: path.join(dir, 'truth.raw'), predicted: path.join(dir, 'predicted.raw') };
  fs.writeFileSync(files.masks, masks);
  fs.writeFileSync(files.truth, truth);
  fs.writeFileSync(files.predicted, predicted);
  return { masks, truth, predicted, files };
}

/** The data as batch tensors [BATCH, SIZE, SIZE] (made once, outside the timing). */
function batches(buffer) {
  const out = [];
  const image = SIZE * SIZE;
  for (let start = 0; start < COUNT; start += BATCH) {
    const n = Math.min(BATCH, COUNT - start);
    const t = tfcv.Tensor.alloc('uint8', [n, SIZE, SIZE]);
    t.data.set(buffer.subarray(start * image, (start + n) * image));
    out.push(t);
  }
  return out;
}

async function benchTfcv(data) {
  const { Bench } = await import('tinybench');
  const masks = batches(data.masks);
  const truth = batches(data.truth);
  const predicted = batches(data.predicted);
  const values = {};
  const bench = new Bench({ iterations: ITERATIONS, time: 0, warmupIterations: 1, warmupTime: 0 });
  bench
    .add('circularity (async)', async () => {
      const m = new tfcv.Circularity();
      for (const b of masks) await m.update(null, b);
      values.circularity = m.result().value;
    })
    .add('circularity (sync)', () => {
      const m = new tfcv.Circularity();
      for (const b of masks) m.updateSync(null, b);
    })
    .add('mean-iou (async)', async () => {
      const m = new tfcv.MeanIoU(2);
      for (let i = 0; i < truth.length; i++) await m.update(truth[i], predicted[i]);
      values.meanIoU = m.result().value;
    })
    .add('mean-iou (sync)', () => {
      const m = new tfcv.MeanIoU(2);
      for (let i = 0; i < truth.length; i++) m.updateSync(truth[i], predicted[i]);
    });
  await bench.run();
  const ms = {};
  for (const task of bench.tasks) ms[task.name] = task.result.latency.p50;
  for (const t of [...masks, ...truth, ...predicted]) t.dispose();
  return { ms, values };
}

function benchCpp(files) {
  const build = path.join(ROOT, 'build/bench-native/metrics');
  const source = path.join(__dirname, 'native/metrics');
  const exe = path.join(build, 'metrics_baseline');
  const stale = !fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(path.join(source, 'metrics_baseline.cc')).mtimeMs;
  if (stale) {
    for (const args of [['-S', source, '-B', build, '-DCMAKE_BUILD_TYPE=Release'], ['--build', build]]) {
      const r = spawnSync('cmake', args, { encoding: 'utf8' });
      if (r.status !== 0) return { error: `n/a: the C++ baseline did not build (cmake ${args[0]}): ${(r.stderr || r.error || '').toString().trim().split('\n').pop()}` };
    }
  }
  const r = spawnSync(exe, [files.masks, files.truth, files.predicted, COUNT, SIZE, SIZE, ITERATIONS].map(String), { encoding: 'utf8' });
  if (r.status !== 0) return { error: `n/a: the C++ baseline failed: ${r.stderr.trim()}` };
  const out = JSON.parse(r.stdout);
  return { ms: { circularity: median(out.circularity_ms), meanIoU: median(out.mean_iou_ms) }, values: { circularity: out.circularity_mean, meanIoU: out.mean_iou } };
}

function findPython() {
  const candidates = [path.join(process.env.TFCV_CACHE || path.join(os.homedir(), '.cache/tfcv'), 'venv/bin/python'), 'python3'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import cv2, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return { error: 'n/a: no Python with cv2 and numpy (run scripts/fixtures/setup_venv.sh for the fixture venv)' };
}

function benchPython(files) {
  const found = findPython();
  if (found.error) return found;
  const r = spawnSync(found.python, [path.join(__dirname, 'python/metrics_cv2.py'), files.masks, files.predicted, COUNT, SIZE, SIZE, ITERATIONS, BATCH].map(String), {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) return { error: `n/a: the Python loop failed: ${r.stderr.trim().split('\n').pop()}` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return {
    python: found.python,
    versions: { cv2: out.cv2, numpy: out.numpy, keras: out.keras, tensorflow: out.tensorflow },
    ms: { circularity: median(out.circularity_ms), numpyMeanIoU: median(out.numpy_mean_iou_ms), kerasMeanIoU: out.keras_mean_iou_ms ? median(out.keras_mean_iou_ms) : null },
    values: { circularity: out.circularity_mean, meanIoU: out.numpy_mean_iou, kerasMeanIoU: out.keras_mean_iou ?? null },
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-bench-metrics-'));
  try {
    const v = tfcv.versions();
    console.log(`metrics benchmark: ${COUNT} masks of ${SIZE}x${SIZE}, batches of ${BATCH}, median of ${ITERATIONS} runs`);
    console.log(`tfcv ${v.tfcv}, OpenCV ${v.opencv}, Node ${process.versions.node}, ${os.cpus().length} cores (${os.cpus()[0].model})\n`);
    const data = makeMasks(dir);
    const t = await benchTfcv(data);
    const cpp = benchCpp(data.files);
    const py = benchPython(data.files);

    const fmt = (ms) => (ms === null || ms === undefined ? 'n/a' : `${ms.toFixed(1)} ms`);
    const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
    const rows = [
      ['circularity', t.ms['circularity (async)'], t.ms['circularity (sync)'], cpp.ms?.circularity, py.ms?.circularity, 'cv2 loop'],
      ['mean-iou', t.ms['mean-iou (async)'], t.ms['mean-iou (sync)'], cpp.ms?.meanIoU, py.ms?.kerasMeanIoU, 'Keras MeanIoU'],
      ['mean-iou', t.ms['mean-iou (async)'], t.ms['mean-iou (sync)'], cpp.ms?.meanIoU, py.ms?.numpyMeanIoU, 'NumPy bincount loop'],
    ];
    console.log('metric        tfcv async   tfcv sync   plain C++   Python       Python / tfcv   tfcv / C++   (Python approach)');
    for (const [name, a, s, c, p, how] of rows) {
      console.log(`${name.padEnd(12)}  ${fmt(a).padStart(10)}  ${fmt(s).padStart(10)}  ${fmt(c).padStart(10)}  ${fmt(p).padStart(10)}  ${ratio(p, a).padStart(14)}  ${ratio(a, c).padStart(11)}   ${how}`);
    }
    if (cpp.error) console.log(`\nC++ baseline: ${cpp.error}`);
    if (py.error) console.log(`\nPython: ${py.error}`);
    else console.log(`\nPython: ${py.python} (cv2 ${py.versions.cv2}, NumPy ${py.versions.numpy}, Keras ${py.versions.keras ?? 'n/a'})`);
    const results = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, date: new Date().toISOString() },
      setup: { count: COUNT, size: SIZE, batch: BATCH, iterations: ITERATIONS, statistic: 'median ms per pass over all masks' },
      tfcv: t,
      cpp: cpp.error ? { error: cpp.error } : cpp,
      python: py.error ? { error: py.error } : py,
      ratios: {
        circularityPythonOverTfcv: py.ms ? py.ms.circularity / t.ms['circularity (async)'] : null,
        circularityTfcvOverCpp: cpp.ms ? t.ms['circularity (async)'] / cpp.ms.circularity : null,
        meanIouKerasOverTfcv: py.ms?.kerasMeanIoU ? py.ms.kerasMeanIoU / t.ms['mean-iou (async)'] : null,
        meanIouNumpyOverTfcv: py.ms ? py.ms.numpyMeanIoU / t.ms['mean-iou (async)'] : null,
        meanIouTfcvOverCpp: cpp.ms ? t.ms['mean-iou (async)'] / cpp.ms.meanIoU : null,
      },
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results/metrics.json'), JSON.stringify(results, null, 2) + '\n');
    // The same numbers everywhere, or the timings compare different work.
    console.log(
      `values: circularity tfcv ${t.values.circularity.toFixed(9)} C++ ${cpp.values?.circularity?.toFixed(9) ?? 'n/a'} Python ${py.values?.circularity?.toFixed(9) ?? 'n/a'}; ` +
        `mean IoU tfcv ${t.values.meanIoU.toFixed(9)} C++ ${cpp.values?.meanIoU?.toFixed(9) ?? 'n/a'} Python ${py.values?.meanIoU?.toFixed(9) ?? 'n/a'} Keras ${py.values?.kerasMeanIoU?.toFixed(7) ?? 'n/a'}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
