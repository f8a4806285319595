#!/usr/bin/env node
// End to end, per image: a 1920x1080 JPEG -> preprocess to 224x224 RGB float32 in [-1, 1]
// -> MobileNetV2-224 -> top-5. tfcv (preprocess + run, async and with runSync, full decode
// and decodeScale 'auto') beside the same steps in plain C++ (bench/native/runtime/
// e2e_baseline.cc) and in Python (cv2 + TensorFlow, bench/baselines/e2e_python.py).
// Usage: node bench/end-to-end.js [--quick]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Bench } = require('tinybench');
const tfcv = require('../dist');
const { encodeSessionOptions } = require('../dist/session_options');
const setup = require('./lib/setup');
const { printTable, writeResults } = require('./lib/report');

const quick = process.argv.includes('--quick');
const TIME_MS = quick ? 1000 : 4000;

async function measure(name, fn) {
  const bench = new Bench({ time: TIME_MS, warmupIterations: 5 });
  bench.add(name, fn);
  await bench.run();
  const l = bench.tasks[0].result.latency;
  return { name, median: l.p50, p99: l.p99 };
}

/** A photo-like 1920x1080 frame (gradients, shapes, noise), JPEG quality 90. */
async function photo() {
  const mat = tfcv.Mat.zeros(1080, 1920, { channels: 3 });
  const d = mat.data;
  let seed = 7;
  for (let y = 0; y < 1080; y++)
    for (let x = 0; x < 1920; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const i = (y * 1920 + x) * 3;
      const n = (seed >>> 24) % 24;
      d[i] = ((x * 200) / 1920 + n) | 0;
      d[i + 1] = ((y * 200) / 1080 + n) | 0;
      d[i + 2] = (100 + ((x + y) % 128) + n) | 0;
    }
  mat.circle({ x: 960, y: 540 }, 300, [240, 240, 240], { thickness: 'filled' });
  mat.rectangle({ x: 200, y: 150, width: 500, height: 300 }, [30, 40, 200], { thickness: 'filled' });
  return mat.encode('jpeg', { quality: 90 });
}

async function main() {
  const mobilenet = setup.mobilenet();
  if (mobilenet.error) {
    console.log(`end-to-end: n/a: ${mobilenet.error}`);
    return;
  }
  const jpeg = await photo();
  const jpegFile = path.join(os.tmpdir(), 'tfcv-bench-1080p.jpg');
  fs.writeFileSync(jpegFile, jpeg);
  const model = await tfcv.loadSavedModel(mobilenet.dir);
  const input = Object.values(model.inputs())[0];
  const outKey = Object.keys(model.outputs())[0];
  const spec = tfcv.specFromSignature(input, { scale: 2 / 255, mean: 1 });
  const specAuto = { ...spec, decodeScale: 'auto' };
  const top5 = (out) => {
    const s = out[outKey].data;
    const idx = Array.from(s.keys())
      .sort((a, b) => s[b] - s[a])
      .slice(0, 5);
    for (const t of Object.values(out)) t.dispose();
    return idx;
  };
  const rows = [];
  rows.push(
    await measure('tfcv preprocess + run (async)', async () => {
      const x = await tfcv.preprocess([jpeg], spec);
      top5(await model.run({ [input.key]: x }));
      x.dispose();
    }),
  );
  rows.push(
    await measure('tfcv preprocess + runSync', async () => {
      const x = await tfcv.preprocess([jpeg], spec);
      top5(model.runSync({ [input.key]: x }));
      x.dispose();
    }),
  );
  rows.push(
    await measure("tfcv, decodeScale 'auto'", async () => {
      const x = await tfcv.preprocess([jpeg], specAuto);
      top5(await model.run({ [input.key]: x }));
      x.dispose();
    }),
  );
  const native = setup.nativeBaselines();
  if (native.error) rows.push({ name: 'plain C++ (OpenCV + C API)', median: null, note: native.error });
  else {
    const r = spawnSync(
      path.join(native.dir, 'e2e_baseline'),
      [
        mobilenet.dir,
        input.name,
        model.outputs()[outKey].name,
        jpegFile,
        '224',
        String(Math.max(30, Math.round(TIME_MS / 25))),
        encodeSessionOptions({}).toString('hex'),
      ],
      { encoding: 'utf8' },
    );
    const j = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : null;
    rows.push(
      j
        ? { name: 'plain C++ (OpenCV + C API)', median: j.median_ms, p99: j.p99_ms }
        : { name: 'plain C++ (OpenCV + C API)', median: null, note: (r.stderr || '').slice(-200) },
    );
  }
  const py = setup.python();
  if (py.error) rows.push({ name: 'Python (cv2 + TF)', median: null, note: py.error });
  else {
    const r = spawnSync(
      py.python,
      [path.join(__dirname, 'baselines/e2e_python.py'), mobilenet.dir, jpegFile, '224', String(TIME_MS)],
      { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
    );
    const j = JSON.parse((r.stdout || '{"error":"no output"}').trim().split('\n').pop());
    rows.push(
      j.error
        ? { name: 'Python (cv2 + TF)', median: null, note: j.error }
        : { name: 'Python (cv2 + TF)', median: j.median_ms, p99: j.p99_ms },
    );
  }
  model.dispose();
  printTable(
    '1920x1080 JPEG -> 224x224 float32 -> MobileNetV2 -> top-5, per image',
    rows,
    'tfcv preprocess + run (async)',
  );
  const file = writeResults('end-to-end', { rows });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
