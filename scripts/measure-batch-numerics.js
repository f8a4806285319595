#!/usr/bin/env node
// Measures what batching does to a row's numbers, with TensorFlow's oneDNN kernels on and off
// (TF_ENABLE_ONEDNN_OPTS is read once when libtensorflow loads, so each setting runs in its own
// child process). For every model it reports, per batch size B:
//   - alone vs batched: the largest |difference| of a row run in a batch of B against the same
//     row run alone (batch 1), absolute and relative to the output's range, and how many
//     argmax decisions over the last axis flipped (with the smallest top-2 margin that flipped);
//   - row independence at a fixed B: the same row at another position with other companions,
//     bit for bit (the property a batcher padded to one size relies on).
// The figures are what docs/batching-numerics.md states. Usage:
//   node scripts/measure-batch-numerics.js [--rows 12] [--sizes 2,4,6,8,16] [--models a,b] [--json out.json]
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const FIXTURES = path.join(root, 'test/fixtures/models');

function arg(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** xorshift32 bytes: the same generator as test/helpers.js, so runs are reproducible. */
function randomBytes(n, seed) {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

function modelList() {
  const named = arg('--models', null);
  const all = [
    { name: 'cnn_keras', dir: path.join(FIXTURES, 'cnn_keras') },
    { name: 'cnn_module', dir: path.join(FIXTURES, 'cnn_module') },
    { name: 'segnet', dir: path.join(FIXTURES, 'segnet') },
    { name: 'shapedet', dir: path.join(FIXTURES, 'shapedet') },
  ];
  const mobilenet = path.join(
    process.env.TFCV_CACHE || path.join(require('node:os').homedir(), '.cache/tfcv'),
    'bench-models/mobilenet_v2',
  );
  if (fs.existsSync(path.join(mobilenet, 'saved_model.pb'))) all.push({ name: 'mobilenet_v2', dir: mobilenet });
  return named ? all.filter((m) => named.split(',').includes(m.name)) : all;
}

/** One row's float outputs, by output key, as Float64 copies. */
function rowsOf(out, rows) {
  const byKey = {};
  for (const [key, t] of Object.entries(out)) {
    if (t.dtype !== 'float32') continue;
    const per = t.size / t.shape[0];
    byKey[key] = Array.from({ length: rows }, (_, r) => Float32Array.from(t.data.subarray(r * per, (r + 1) * per)));
    byKey[key].lastDim = t.shape[t.shape.length - 1];
  }
  for (const t of Object.values(out)) t.dispose();
  return byKey;
}

function compare(a, b, lastDim) {
  let maxAbs = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let bitsDiffer = false;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > maxAbs) maxAbs = d;
    if (!Object.is(a[i], b[i])) bitsDiffer = true;
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  let flips = 0;
  let decisions = 0;
  let flipMargin = Infinity;
  if (lastDim > 1) {
    for (let i = 0; i < a.length; i += lastDim) {
      let ia = 0;
      let ib = 0;
      for (let k = 1; k < lastDim; k++) {
        if (a[i + k] > a[i + ia]) ia = k;
        if (b[i + k] > b[i + ib]) ib = k;
      }
      decisions++;
      if (ia !== ib) {
        flips++;
        flipMargin = Math.min(flipMargin, Math.abs(a[i + ia] - a[i + ib]));
      }
    }
  }
  return { maxAbs, range: hi - lo, bitsDiffer, flips, decisions, flipMargin };
}

async function child() {
  const tfcv = require(path.join(root, 'dist'));
  const rows = Number(arg('--rows', '12'));
  const sizes = arg('--sizes', '2,4,6,8,16').split(',').map(Number);
  const report = { onednn: process.env.TF_ENABLE_ONEDNN_OPTS ?? '(unset)', models: [] };
  for (const m of modelList()) {
    const model = tfcv.Model.loadSavedModelSync(m.dir);
    const [key, spec] = Object.entries(model.inputs())[0];
    const rowShape = spec.shape.slice(1);
    const per = rowShape.reduce((x, y) => x * y, 1);
    const make = (seeds) => {
      const data = new Float32Array(seeds.length * per);
      seeds.forEach((seed, r) =>
        data.set(
          Float32Array.from(randomBytes(per, seed), (b) => b / 256),
          r * per,
        ),
      );
      return tfcv.Tensor.from(data, { shape: [seeds.length, ...rowShape] });
    };
    const runRows = (seeds) => {
      const x = make(seeds);
      const out = model.runSync({ [key]: x });
      x.dispose();
      return rowsOf(out, seeds.length);
    };
    const alone = Array.from({ length: rows }, (_, r) => runRows([1000 + r]));
    const bySize = [];
    for (const B of sizes) {
      const acc = { B, maxAbs: 0, maxRel: 0, flips: 0, decisions: 0, flipMargin: Infinity, rowsDiffer: 0, checked: 0 };
      const indep = { positionsDiffer: 0, checked: 0 };
      for (let r = 0; r < rows; r++) {
        // Row r first in one batch, last in another, with different companions.
        const first = [1000 + r, ...Array.from({ length: B - 1 }, (_, i) => 5000 + r * 64 + i)];
        const last = [...Array.from({ length: B - 1 }, (_, i) => 9000 + r * 64 + i), 1000 + r];
        const a = runRows(first);
        const b = runRows(last);
        for (const out of Object.keys(a)) {
          const vsAlone = compare(alone[r][out][0], a[out][0], a[out].lastDim);
          acc.maxAbs = Math.max(acc.maxAbs, vsAlone.maxAbs);
          if (vsAlone.range > 0) acc.maxRel = Math.max(acc.maxRel, vsAlone.maxAbs / vsAlone.range);
          acc.flips += vsAlone.flips;
          acc.decisions += vsAlone.decisions;
          acc.flipMargin = Math.min(acc.flipMargin, vsAlone.flipMargin);
          acc.rowsDiffer += vsAlone.bitsDiffer ? 1 : 0;
          acc.checked++;
          indep.positionsDiffer += compare(a[out][0], b[out][B - 1], 1).bitsDiffer ? 1 : 0;
          indep.checked++;
        }
      }
      bySize.push({ ...acc, independence: indep });
    }
    report.models.push({ name: m.name, input: key, rowShape, bySize });
    model.dispose();
  }
  process.stdout.write(JSON.stringify(report));
}

function fmt(x) {
  return x === null || x === Infinity ? '-' : x === 0 ? '0' : x.toExponential(1);
}

function parent() {
  const results = [];
  for (const setting of ['1', '0']) {
    const r = spawnSync(process.execPath, [__filename, '--child', ...process.argv.slice(2)], {
      env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: setting, TF_CPP_MIN_LOG_LEVEL: '2' },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) {
      console.error(`TF_ENABLE_ONEDNN_OPTS=${setting}: the measurement failed (exit ${r.status})\n${r.stderr}`);
      process.exit(1);
    }
    results.push(JSON.parse(r.stdout));
  }
  const versions = spawnSync(
    process.execPath,
    ['-e', `console.log(JSON.stringify(require(${JSON.stringify(path.join(root, 'dist'))}).versions()))`],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  console.log(`machine: ${versions.stdout.trim()}`);
  console.log(
    'oneDNN | model | B | rows differing from alone | max |diff| | max |diff| / range | argmax flips / decisions (smallest margin flipped) | same row, other position+companions: bits differ',
  );
  for (const rep of results) {
    for (const m of rep.models) {
      for (const s of m.bySize) {
        console.log(
          [
            rep.onednn,
            m.name,
            s.B,
            `${s.rowsDiffer}/${s.checked}`,
            fmt(s.maxAbs),
            fmt(s.maxRel),
            `${s.flips}/${s.decisions} (${fmt(s.flipMargin)})`,
            `${s.independence.positionsDiffer}/${s.independence.checked}`,
          ].join(' | '),
        );
      }
    }
  }
  const out = arg('--json', null);
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
}

if (process.argv.includes('--child')) {
  child().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else parent();
