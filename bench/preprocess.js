#!/usr/bin/env node
// Side-by-side benchmark (not a test): 1920x1080 JPEG -> 224x224 RGB float32 tensor,
// normalised with ImageNet mean / std, NHWC, batches of 1 and 8, in one process with one
// harness (tinybench; medians):
//   - tfcv preprocess, decodeScale 'full' and 'auto'
//   - the same steps in plain C++ against the same OpenCV (bench/native/preprocess, built here by
//     CMake on first run): the floor, with a full and a reduced (IMREAD_REDUCED_COLOR_n)
//     decode, run off the event loop like tfcv (napi_async_work) and inline (sync)
//   - sharp (resize to 224x224 raw RGB) plus a JS loop that normalises into a Float32Array
//   - @u4/opencv4nodejs (imdecode, resize, cvtColor, convertTo + the same JS loop), when it
//     can be loaded; otherwise 'n/a: reason'
// Two JPEGs: the committed fixture (a smooth synthetic photo, q85) and a detailed one made
// here from it (fine texture, q95) whose entropy decoding costs like a real camera photo.
//
//   node bench/preprocess.js [--time ms-per-task] [--runs n] [--quick] [--json] [--markdown]
// Results are recorded in bench/README.md.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tfcv = require(path.join(root, 'dist'));

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const timeArg = args.indexOf('--time');
const TIME_MS = timeArg >= 0 ? Number(args[timeArg + 1]) : 300;
const runsArg = args.indexOf('--runs');
// Many short rounds, every contender in each: a task's number is the median of its
// per-round medians, so a burst of other work on the machine hits all contenders alike
// instead of deciding one of them.
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : quick ? 1 : 9;
const SIZE = 224;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const SPEC = {
  width: SIZE,
  height: SIZE,
  scale: 1 / 255,
  mean: MEAN,
  std: STD,
  channelOrder: 'RGB',
  layout: 'NHWC',
  dtype: 'float32',
};

// ---------------------------------------------------------------------------------------
// Contenders
// ---------------------------------------------------------------------------------------

/** Builds bench/native/preprocess with CMake when its module is missing or older than its source. */
function loadBaseline() {
  const dir = path.join(__dirname, 'native/preprocess');
  const build = path.join(dir, 'build');
  const module = path.join(build, 'baseline.node');
  const stale =
    !fs.existsSync(module) || fs.statSync(module).mtimeMs < fs.statSync(path.join(dir, 'baseline.cc')).mtimeMs;
  if (stale) {
    let headers;
    try {
      headers = require('node-api-headers').include_dir; // installed with cmake-js
    } catch {
      headers = path.join(path.dirname(process.execPath), '..', 'include', 'node');
    }
    for (const cmd of [
      ['cmake', ['-S', dir, '-B', build, '-DCMAKE_BUILD_TYPE=Release', `-DNODE_API_HEADERS=${headers}`, '-Wno-dev']],
      ['cmake', ['--build', build, '--parallel', '2']],
    ]) {
      const r = spawnSync(cmd[0], cmd[1], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      if (r.status !== 0)
        return {
          na: `the C++ baseline did not build: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' ')}`,
        };
    }
  }
  return { mod: require(module) };
}

function tryRequire(name, hint) {
  try {
    return { mod: require(name) };
  } catch (error) {
    const first = String(error && error.message).split('\n')[0];
    return { na: `${name} cannot be loaded (${first})${hint ? `; ${hint}` : ''}` };
  }
}

/** HWC uint8 RGB -> normalised float32 NHWC, the JS loop sharp and opencv4nodejs users write. */
function normalise(rgb, out, offset) {
  const a = STD.map((s) => 1 / 255 / s);
  const b = MEAN.map((m, c) => -m / STD[c]);
  for (let i = 0, n = SIZE * SIZE * 3; i < n; i += 3) {
    out[offset + i] = rgb[i] * a[0] + b[0];
    out[offset + i + 1] = rgb[i + 1] * a[1] + b[1];
    out[offset + i + 2] = rgb[i + 2] * a[2] + b[2];
  }
}

function contenders(baseline, sharp, cv) {
  const slot = SIZE * SIZE * 3;
  const list = [
    {
      name: "tfcv preprocess, decodeScale 'full'",
      full: true,
      run: (batch) => tfcv.preprocess(batch, { ...SPEC, decodeScale: 'full' }).then((t) => t.dispose()),
    },
    {
      name: "tfcv preprocess, decodeScale 'auto'",
      full: false,
      run: (batch) => tfcv.preprocess(batch, { ...SPEC, decodeScale: 'auto' }).then((t) => t.dispose()),
    },
    {
      name: 'plain C++ + OpenCV, full decode',
      full: true,
      cpp: 'async',
      na: baseline.na,
      run: (batch) => baseline.mod.runAsync(batch, SIZE, SIZE, 1),
    },
    {
      name: 'plain C++ + OpenCV, reduced decode',
      full: false,
      cpp: 'async',
      na: baseline.na,
      run: (batch, reduce) => baseline.mod.runAsync(batch, SIZE, SIZE, reduce),
    },
    {
      name: 'plain C++ + OpenCV, full decode, sync',
      full: true,
      cpp: 'sync',
      na: baseline.na,
      run: (batch) => baseline.mod.run(batch, SIZE, SIZE, 1),
    },
    {
      name: 'plain C++ + OpenCV, reduced decode, sync',
      full: false,
      cpp: 'sync',
      na: baseline.na,
      run: (batch, reduce) => baseline.mod.run(batch, SIZE, SIZE, reduce),
    },
    {
      name: 'sharp + JS normalise',
      full: false, // libvips shrinks JPEGs on load by default
      na: sharp.na,
      run: async (batch) => {
        const out = new Float32Array(batch.length * slot);
        const rgb = await Promise.all(
          batch.map((b) => sharp.mod(b).resize(SIZE, SIZE, { fit: 'fill' }).removeAlpha().raw().toBuffer()),
        );
        rgb.forEach((px, i) => normalise(px, out, i * slot));
        return out;
      },
    },
    {
      name: '@u4/opencv4nodejs + JS normalise',
      full: true,
      na: cv.na,
      run: async (batch) => {
        const out = new Float32Array(batch.length * slot);
        await Promise.all(
          batch.map(async (b, i) => {
            const m = await cv.mod.imdecodeAsync(b);
            const rgb = await (await m.resizeAsync(SIZE, SIZE)).cvtColorAsync(cv.mod.COLOR_BGR2RGB);
            normalise(rgb.getData(), out, i * slot);
          }),
        );
        return out;
      },
    },
  ];
  return list;
}

// ---------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------

/** The fixture with fine, deterministic texture added and re-encoded at q95. */
function detailedJpeg(fixture) {
  const photo = tfcv.Mat.decodeSync(fixture);
  const noise = new Uint8Array(photo.byteLength);
  let s = 12345;
  for (let i = 0; i < noise.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    noise[i] = (s >>> 24) & 0xff;
  }
  const texture = tfcv.Mat.fromBuffer(noise, { rows: photo.rows, cols: photo.cols, channels: 3 }).resizeSync({
    fx: 1,
    fy: 1,
  });
  const soft = texture
    .resizeSync({ width: photo.cols / 2, height: photo.rows / 2 }, { interpolation: 'area' })
    .resizeSync({ width: photo.cols, height: photo.rows });
  return photo.addWeightedSync(0.82, soft, 0.18, { gamma: -10 }).encodeSync('jpeg', { quality: 95 });
}

function checkAgreement(list, jpeg) {
  // Same steps, same OpenCV: the plain C++ result and tfcv 'full' must agree to float rounding.
  const floor = list.find((c) => c.cpp === 'sync' && c.full && !c.na);
  if (!floor) return 'n/a';
  return tfcv.preprocess([jpeg], { ...SPEC, decodeScale: 'full' }).then((t) => {
    const ours = t.data;
    const theirs = new Float32Array(floor.run([jpeg]));
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
    return worst.toExponential(1);
  });
}

// ---------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------

async function main() {
  const { Bench } = await import('tinybench');
  const baseline = loadBaseline();
  const sharp = tryRequire('sharp', 'npm install --save-dev sharp');
  const cv = tryRequire(
    '@u4/opencv4nodejs',
    'it does not build against the system OpenCV packages (see bench/README.md)',
  );
  const fixture = fs.readFileSync(path.join(root, 'test/fixtures/images/photo_1920x1080.jpg'));
  const images = [
    { label: 'fixture photo (1920x1080, q85)', jpeg: fixture },
    { label: 'detailed photo (1920x1080, q95)', jpeg: detailedJpeg(fixture) },
  ];
  const list = contenders(baseline, sharp, cv);
  const reduce = 4; // what 'auto' picks for 1920x1080 -> 224x224 (480x270 still covers it)

  console.log(
    `tfcv ${tfcv.versions().tfcv} (OpenCV ${tfcv.versions().opencv}), sharp ${sharp.mod ? sharp.mod.versions.sharp : 'n/a'}, ` +
      `Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0].model.trim()}, ${TIME_MS} ms per task, median of ${RUNS} run(s)`,
  );
  const results = [];
  for (const { label, jpeg } of images) {
    console.log(
      `\n${label}: ${(jpeg.length / 1024).toFixed(0)} KB; tfcv 'full' vs plain C++: max abs diff ${await checkAgreement(list, jpeg)}`,
    );
    const rows = new Map(list.map((c) => [c.name, { contender: c.name }]));
    for (const n of [1, 8]) {
      const batch = new Array(n).fill(jpeg);
      const runs = new Map();
      for (let r = 0; r < RUNS; r++) {
        const bench = new Bench({ time: TIME_MS, warmupTime: Math.min(100, TIME_MS), throws: true });
        // Rotated each round so that no contender always runs first (or right after another).
        const order = list.slice(r % list.length).concat(list.slice(0, r % list.length));
        for (const c of order) if (!c.na) bench.add(c.name, () => c.run(batch, reduce));
        await bench.run();
        for (const t of bench.tasks) runs.set(t.name, [...(runs.get(t.name) ?? []), t.result.latency.p50]);
      }
      const middle = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
      const median = new Map([...runs].map(([name, xs]) => [name, middle(xs)]));
      const cpp = (full, mode) => median.get(list.find((c) => c.cpp === mode && c.full === full)?.name);
      const alternatives = ['sharp + JS normalise', '@u4/opencv4nodejs + JS normalise']
        .map((x) => median.get(x))
        .filter((x) => x !== undefined);
      const bestAlternative = alternatives.length ? Math.min(...alternatives) : undefined;
      const ratio = (ms, base) => (base ? (ms / base).toFixed(2) : 'n/a');
      for (const c of list) {
        const row = rows.get(c.name);
        if (c.na) {
          row[`b${n} ms`] = 'n/a (1)';
          continue;
        }
        const ms = median.get(c.name);
        row[`b${n} ms`] = ms.toFixed(2);
        row[`b${n} /C++`] = ratio(ms, cpp(c.full, 'async'));
        row[`b${n} /C++ sync`] = ratio(ms, cpp(c.full, 'sync'));
        row[`b${n} /best alt`] = ratio(ms, bestAlternative);
        results.push({ image: label, batch: n, contender: c.name, medianMs: ms });
      }
    }
    console.table([...rows.values()]);
    if (args.includes('--markdown')) {
      const columns = Object.keys([...rows.values()][0])
        .concat([
          'b1 ms',
          'b1 /C++',
          'b1 /C++ sync',
          'b1 /best alt',
          'b8 ms',
          'b8 /C++',
          'b8 /C++ sync',
          'b8 /best alt',
        ])
        .filter((k, i, a) => a.indexOf(k) === i);
      console.log(`\n| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|`);
      for (const r of rows.values()) console.log(`| ${columns.map((k) => r[k] ?? '').join(' | ')} |`);
    }
  }
  console.log('\n/C++: against the plain C++ baseline with the same decode (full or reduced), off the event loop;');
  console.log(
    '/C++ sync: against the same baseline inline on the calling thread (no thread hop); /best alt: against the',
  );
  console.log(
    'fastest of sharp and opencv4nodejs. sharp shrinks JPEGs on load, so it is compared with the reduced decodes.',
  );
  for (const c of list) if (c.na) console.log(`(1) ${c.name}: n/a: ${c.na}`);
  if (args.includes('--json')) console.log(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
