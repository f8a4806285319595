// The plumbing every Node baseline runner shares (bench/baselines/README.md, "the contract"):
// stdout carries exactly one JSON line, everything else goes to stderr; argument parsing of
// `MODEL SHAPE TIME_MS`; the timing loop (warm-up, then single inferences for ~TIME_MS, at
// least 30) and its statistics; and the main() wrapper that turns any failure into
// {"error": …} with exit code 0.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const cache = process.env.TFCV_CACHE || path.join(os.homedir(), '.cache/tfcv');
const INPUT_SHAPES = { tiny: [32, 32, 3], mobilenet: [224, 224, 3] };

/** A failure that means "this baseline cannot run here" (reported, not a crash). */
class Unavailable extends Error {}

function createRunner(name) {
  const emit = (obj) => fs.writeSync(1, `${JSON.stringify(obj)}\n`);
  const log = (msg) => process.stderr.write(`${name} baseline: ${msg}\n`);
  // Libraries that print with console.log must not corrupt the one JSON line on stdout.
  console.log = console.info = (...a) => process.stderr.write(`${a.join(' ')}\n`);

  function run(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    process.stderr.write(r.stdout || '');
    process.stderr.write(r.stderr || '');
    if (r.error) throw new Unavailable(`${cmd} could not be run: ${r.error.message}`);
    return { ok: r.status === 0, out: `${r.stdout || ''}${r.stderr || ''}` };
  }

  /** Runs `main()` and prints its result, or {"error"} for any failure (exit code 0 either way). */
  function start(main) {
    main().then(
      (r) => emit(r),
      (e) => {
        if (!(e instanceof Unavailable)) log(e.stack);
        emit({ error: e.message });
      },
    );
  }

  return { emit, log, run, start };
}

function parseArgs(argv) {
  const [model, shapeArg, timeArg] = argv;
  if (!(model in INPUT_SHAPES))
    throw new Unavailable(`usage: MODEL SHAPE TIME_MS (MODEL: ${Object.keys(INPUT_SHAPES).join('|')}; got ${model})`);
  const shape = String(shapeArg).split(',').map(Number);
  const want = INPUT_SHAPES[model];
  if (
    shape.length !== 4 ||
    !shape.every((d) => Number.isInteger(d) && d > 0) ||
    want.some((d, i) => shape[i + 1] !== d)
  ) {
    throw new Unavailable(`SHAPE must be N,${want.join(',')} for ${model} (got ${shapeArg})`);
  }
  const timeMs = Number(timeArg);
  if (!(timeMs > 0)) throw new Unavailable(`TIME_MS must be a positive number (got ${timeArg})`);
  return { model, shape, timeMs };
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    median_ms: s[Math.floor(s.length / 2)],
    p99_ms: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))],
    iterations: s.length,
  };
}

/** Warm-up (>= 10 calls and TIME_MS/10, at most 1 s), then one sample per call; `fn` may be async. */
async function measure(fn, timeMs) {
  const warmupUntil = performance.now() + Math.min(timeMs / 10, 1000);
  for (let i = 0; i < 10 || performance.now() < warmupUntil; i++) await fn();
  const samples = [];
  const end = performance.now() + timeMs;
  while (samples.length < 30 || (performance.now() < end && samples.length < 1e6)) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return stats(samples);
}

module.exports = { root, cache, INPUT_SHAPES, Unavailable, createRunner, parseArgs, stats, measure };
