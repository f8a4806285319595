#!/usr/bin/env node
// Model latency, tfcv against the floor and the alternatives: runSync and run (async) beside a
// plain C++ program making the same TF_SessionRun call (bench/native/runtime/tf_run_baseline.cc) on
// the same SavedModel, session config and input, and beside Python TensorFlow, tfjs-node and
// onnxruntime-node (bench/baselines/, child processes), for the tiny fixture CNN and
// MobileNetV2-224, batch 1 and 8. Then a sweep of session options (threads, XLA JIT, oneDNN)
// on MobileNetV2 batch 1.
// Usage: node bench/model-latency.js [--quick]
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Bench } = require('tinybench');
const tfcv = require('../dist');
const { encodeSessionOptions } = require('../dist/session_options');
const setup = require('./lib/setup');
const { printTable, writeResults } = require('./lib/report');

const quick = process.argv.includes('--quick');
const BASELINES = [
  ['Python TF 2.21', 'python3', 'tf_python.py'],
  ['tfjs-node 4.22', process.execPath, 'tfjs-node.js'],
  ['onnxruntime-node', process.execPath, 'onnxruntime-node.js'],
];

function childBaseline(name, cmd, script, args) {
  const r = spawnSync(cmd, [path.join(__dirname, 'baselines', script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    maxBuffer: 1 << 24,
  });
  const last = (r.stdout || '').trim().split('\n').pop() || '';
  let j;
  try {
    j = JSON.parse(last);
  } catch {
    return { name, median: null, note: `${script} failed: ${(r.stderr || '').trim().slice(-160)}` };
  }
  if (j.error) return { name, median: null, note: j.error };
  return { name, median: j.median_ms, p99: j.p99_ms, samples: j.iterations };
}

function prepareBaselines() {
  for (const [name, cmd, script] of BASELINES) {
    const r = childBaseline(name, cmd, script, ['--prepare']);
    if (r.note) console.log(`${name}: n/a: ${r.note}`);
  }
}
const TIME_MS = quick ? 500 : 3000;

async function measure(name, fn, time = TIME_MS) {
  const bench = new Bench({ time, warmupTime: quick ? 100 : 300, warmupIterations: 10 });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0].result;
  return { name, median: r.latency.p50, p99: r.latency.p99, samples: r.latency.samplesCount };
}

function cppBaseline(native, modelDir, input, output, shape, iterations, config) {
  if (native.error) return { name: 'plain C++ (C API)', median: null, note: native.error };
  const args = [modelDir, input, output, ...shape.map(String), String(iterations), config.toString('hex')];
  const r = spawnSync(path.join(native.dir, 'tf_run_baseline'), args, {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (r.status !== 0) return { name: 'plain C++ (C API)', median: null, note: (r.stderr || '').trim().slice(-200) };
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { name: 'plain C++ (C API)', median: j.median_ms, p99: j.p99_ms, samples: j.iterations };
}

// Each contender runs in ROUNDS short rounds, rotated, and keeps the median of its round
// medians: a burst of other work on a shared VM then slows one round of every contender
// instead of deciding one contender's number.
const ROUNDS = quick ? 1 : 3;

function medianOf(values) {
  const s = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

function combineRounds(name, rounds) {
  const ok = rounds.filter((r) => r.median !== null);
  if (ok.length === 0) return { name, median: null, note: rounds[0]?.note ?? 'no result' };
  return { name, median: medianOf(ok.map((r) => r.median)), p99: medianOf(ok.map((r) => r.p99)), rounds: ok.length };
}

async function latencyCase(label, modelDir, batch, native, options = {}, baselineModel = null) {
  const model = tfcv.loadSavedModelSync(modelDir, options);
  const spec = model.inputs().image ?? Object.values(model.inputs())[0];
  const outKey = Object.keys(model.outputs())[0];
  const shape = spec.shape.map((d) => (d < 0 ? batch : d));
  const x = tfcv.Tensor.alloc('float32', shape);
  x.data.fill(0.5);
  const feeds = { [spec.key]: x };
  const runOpts = { outputs: [outKey] };
  const disposeAll = (out) => {
    for (const t of Object.values(out)) t.dispose();
  };
  const roundTime = TIME_MS / ROUNDS;
  const config = encodeSessionOptions(options);
  const outputName = model.outputs()[outKey].name;
  const contenders = [
    ['tfcv runSync', () => measure('tfcv runSync', () => disposeAll(model.runSync(feeds, runOpts)), roundTime)],
    [
      'tfcv run (async)',
      () => measure('tfcv run (async)', async () => disposeAll(await model.run(feeds, runOpts)), roundTime),
    ],
    [
      'plain C++ (C API)',
      (syncMedian) =>
        cppBaseline(
          native,
          modelDir,
          spec.name,
          outputName,
          shape,
          Math.max(30, Math.min(5000, Math.round(roundTime / syncMedian))),
          config,
        ),
    ],
    ...(baselineModel
      ? BASELINES.map(([name, cmd, script]) => [
          name,
          () => childBaseline(name, cmd, script, [baselineModel, shape.join(','), String(Math.round(roundTime))]),
        ])
      : []),
  ];
  const results = new Map(contenders.map(([name]) => [name, []]));
  let syncMedian = 1;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no contender always runs first (or right after a heavy one).
    for (let i = 0; i < contenders.length; i++) {
      const [name, run] = contenders[(i + round) % contenders.length];
      const r = await run(syncMedian);
      if (name === 'tfcv runSync' && r.median) syncMedian = r.median;
      results.get(name).push(r);
    }
  }
  model.dispose();
  const rows = contenders.map(([name]) => combineRounds(name, results.get(name)));
  printTable(
    `${label}, batch ${batch} [${shape.join(',')}] (median of ${ROUNDS} rotated rounds)`,
    rows,
    'tfcv runSync',
  );
  const asyncOverheadUs = (rows[1].median - rows[0].median) * 1000;
  console.log(
    `async overhead per call: ${asyncOverheadUs.toFixed(1)} µs; tfcv runSync / plain C++: ${(rows[0].median / rows[2].median).toFixed(3)}x`,
  );
  return { label, batch, rows, asyncOverheadUs };
}

// oneDNN can only be switched when TensorFlow loads: measure it in a child process.
function childRunSync(modelDir, env) {
  const code = `
    const tfcv = require(${JSON.stringify(path.resolve(__dirname, '../dist'))});
    const { Bench } = require('tinybench');
    (async () => {
      const m = tfcv.loadSavedModelSync(${JSON.stringify(modelDir)});
      const x = tfcv.Tensor.alloc('float32', [1, 224, 224, 3]); x.data.fill(0.5);
      const b = new Bench({ time: ${TIME_MS}, warmupIterations: 10 });
      b.add('x', () => { for (const t of Object.values(m.runSync({ [Object.keys(m.inputs())[0]]: x }))) t.dispose(); });
      await b.run();
      console.log(JSON.stringify(b.tasks[0].result.latency));
    })();`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) return { median: null, note: r.stderr.trim().slice(-200) };
  const l = JSON.parse(r.stdout.trim().split('\n').pop());
  return { median: l.p50, p99: l.p99 };
}

async function main() {
  const native = setup.nativeBaselines();
  const mobilenet = setup.mobilenet();
  const tiny = path.join(setup.root, 'test/fixtures/models/cnn_keras');
  prepareBaselines();
  const cases = [];
  for (const batch of [1, 8]) cases.push(await latencyCase('tiny CNN (32x32x3 → 10)', tiny, batch, native, {}, 'tiny'));
  if (mobilenet.error) {
    console.log(`\nMobileNetV2-224: n/a: ${mobilenet.error}`);
  } else {
    for (const batch of [1, 8])
      cases.push(await latencyCase('MobileNetV2-224', mobilenet.dir, batch, native, {}, 'mobilenet'));
  }

  const sweep = [];
  if (!mobilenet.error) {
    const variants = [
      ['defaults (intra = cores, inter = min(2, cores))', {}],
      ['intraOpThreads 1, interOpThreads 1', { intraOpThreads: 1, interOpThreads: 1 }],
      ['intraOpThreads 2, interOpThreads 1', { intraOpThreads: 2, interOpThreads: 1 }],
      ['xla: true', { xla: true }],
    ];
    for (const [name, options] of variants) {
      const model = tfcv.loadSavedModelSync(mobilenet.dir, options);
      const x = tfcv.Tensor.alloc('float32', [1, 224, 224, 3]);
      x.data.fill(0.5);
      const key = Object.keys(model.inputs())[0];
      sweep.push(
        await measure(name, () => {
          for (const t of Object.values(model.runSync({ [key]: x }))) t.dispose();
        }),
      );
      model.dispose();
    }
    sweep.push({ name: 'TF_ENABLE_ONEDNN_OPTS=0', ...childRunSync(mobilenet.dir, { TF_ENABLE_ONEDNN_OPTS: '0' }) });
    printTable('MobileNetV2-224 batch 1, tfcv runSync under session options', sweep, sweep[0].name);
  }
  const file = writeResults('model-latency', { cases, sweep });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
