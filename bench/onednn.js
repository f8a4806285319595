#!/usr/bin/env node
// TensorFlow's oneDNN kernels on against off, in the same minutes: TF_ENABLE_ONEDNN_OPTS is
// read once when libtensorflow loads, so each measurement is a child process with one setting,
// and the settings alternate round by round (a shared VM's load drifts by tens of percent in a
// minute; alternating spreads it over both). Per model: runSync latency at batch 1 and 8, and
// the batcher's throughput for 64 concurrent one-row requests (maxBatchSize 8). Prints medians
// over rounds and the ratio off / on; tfcv's default (lib/onednn.ts) was chosen from this table.
// Usage: node bench/onednn.js [--rounds 5] [--time 1500] [--quick]
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const setup = require('./lib/setup');
const { writeResults } = require('./lib/report');

const root = path.resolve(__dirname, '..');
const quick = process.argv.includes('--quick');
const arg = (flag, fallback) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', quick ? 2 : 5);
const TIME_MS = arg('--time', quick ? 400 : 1500);

/** The child: measures every case for one model under the inherited oneDNN setting. */
async function child(modelDir, timeMs) {
  const tfcv = require(path.join(root, 'dist'));
  const model = tfcv.loadSavedModelSync(modelDir);
  const [key, spec] = Object.entries(model.inputs())[0];
  const rowShape = spec.shape.slice(1);
  const input = (rows) => {
    const t = tfcv.Tensor.alloc('float32', [rows, ...rowShape]);
    const data = t.data;
    for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) >>> 24) / 256;
    return t;
  };
  const latency = (rows) => {
    const x = input(rows);
    for (let i = 0; i < 3; i++) for (const o of Object.values(model.runSync({ [key]: x }))) o.dispose();
    const times = [];
    const end = Date.now() + timeMs;
    while (Date.now() < end || times.length < 5) {
      const t0 = process.hrtime.bigint();
      for (const o of Object.values(model.runSync({ [key]: x }))) o.dispose();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    x.dispose();
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  const batcherThroughput = async () => {
    const b = model.batcher({ maxBatchSize: 8 });
    const rows = Array.from({ length: 64 }, () => input(1));
    const wave = async () => {
      const outs = await Promise.all(rows.map((x) => b.run({ [key]: x })));
      for (const out of outs) for (const o of Object.values(out)) o.dispose();
    };
    await wave();
    let images = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < timeMs || images === 0) {
      await wave();
      images += rows.length;
    }
    const perSecond = images / ((Date.now() - t0) / 1000);
    await b.close();
    for (const x of rows) x.dispose();
    return perSecond;
  };
  const result = { b1: latency(1), b8: latency(8), batcher: await batcherThroughput() };
  model.dispose();
  process.stdout.write(JSON.stringify(result));
}

function runChild(modelDir, setting) {
  const r = spawnSync(process.execPath, [__filename, '--child', modelDir, String(TIME_MS)], {
    encoding: 'utf8',
    env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: setting, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (r.status !== 0) throw new Error(`child (oneDNN ${setting}) failed: ${r.stderr.slice(-400)}`);
  return JSON.parse(r.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const models = [
    ['tiny CNN (cnn_module)', path.join(root, 'test/fixtures/models/cnn_module')],
    ['segnet', path.join(root, 'test/fixtures/models/segnet')],
  ];
  const mobilenet = setup.mobilenet();
  if (mobilenet.error) console.log(`MobileNetV2-224: n/a: ${mobilenet.error}`);
  else models.push(['MobileNetV2-224', mobilenet.dir]);
  const rows = [];
  for (const [name, dir] of models) {
    const samples = { 1: [], 0: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['1', '0'] : ['0', '1'];
      for (const setting of order) samples[setting].push(runChild(dir, setting));
    }
    const pick = (setting, field) => median(samples[setting].map((s) => s[field]));
    for (const [field, label, unit] of [
      ['b1', 'runSync batch 1', 'ms'],
      ['b8', 'runSync batch 8', 'ms'],
      ['batcher', 'batcher, 64 concurrent rows', 'images/s'],
    ]) {
      const on = pick('1', field);
      const off = pick('0', field);
      rows.push({
        model: name,
        case: label,
        unit,
        onednnOn: Number(on.toFixed(3)),
        onednnOff: Number(off.toFixed(3)),
        // > 1 means oneDNN on is faster, for latencies and throughputs alike.
        onAdvantage: Number((unit === 'ms' ? off / on : on / off).toFixed(2)),
      });
    }
  }
  console.log(`oneDNN on vs off: medians of ${ROUNDS} alternating rounds of ${TIME_MS} ms per case`);
  console.log('model | case | oneDNN on | oneDNN off | on advantage (>1: on is faster)');
  for (const r of rows)
    console.log(`${r.model} | ${r.case} | ${r.onednnOn} ${r.unit} | ${r.onednnOff} ${r.unit} | ${r.onAdvantage}x`);
  writeResults('onednn', { rounds: ROUNDS, timeMs: TIME_MS, rows });
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4])).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else main();
