#!/usr/bin/env node
// `npm run fuzz`: mutation fuzzing of the decoders and preprocess, of the model loaders, and
// random-argument calls of every exported function and method (see cases.js, api_calls.js).
// Cases run in batches, each batch in a child process (child.js) with a deadline, so a crash
// (signal, abort) or a hang is caught and pinned to the case that was running; the batch
// then resumes after it. Every failure (crash, hang, untyped error, partial image) writes a
// reproducer: the input file when there is one, and the one-case command that replays it.
//
//   node scripts/fuzz/run.js [--seed 1] [--decoder 2000] [--loader 100] [--api 2000]
//                            [--batcher 2000] [--scopes 500] [--http 2000]
//                            [--seconds N] [--batch 500] [--out fuzz-out] [--json summary.json]
// Exit code 0 only when every case ended ok / typed (or in the caller's own thrown error).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');
const { decoderCase, loaderCase } = require('./cases');

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    decoder: { type: 'string', default: '2000' },
    loader: { type: 'string', default: '100' },
    api: { type: 'string', default: '2000' },
    batcher: { type: 'string', default: '2000' },
    scopes: { type: 'string', default: '500' },
    http: { type: 'string', default: '2000' },
    seconds: { type: 'string' },
    batch: { type: 'string', default: '500' },
    'case-timeout': { type: 'string', default: '60' },
    out: { type: 'string', default: path.join(process.cwd(), 'fuzz-out') },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const num = (name) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name}: expected an integer >= 0, got ${args[name]}`);
  return v;
};
const seed = num('seed');
const batchSize = Math.max(1, num('batch'));
const caseTimeoutMs = num('case-timeout') * 1000;
const deadline = args.seconds === undefined ? Infinity : Date.now() + Number(args.seconds) * 1000;
const plan = [
  ['decoder', num('decoder')],
  ['loader', num('loader')],
  ['api', num('api')],
  ['batcher', num('batcher')],
  ['scopes', num('scopes')],
  ['http', num('http')],
];
const CHILD = path.join(__dirname, 'child.js');
const FAILURES = new Set(['crash', 'hang', 'untyped', 'partial', 'leak', 'wrong']);

const log = (s) => {
  if (!args.quiet) process.stderr.write(s + '\n');
};

/** Runs cases [start, end) of `kind`, restarting after a crash or hang: resolves with outcomes. */
function runBatch(kind, start, count, results) {
  return new Promise((resolve) => {
    const stderrFile = path.join(os.tmpdir(), `tfcv-fuzz-stderr-${process.pid}-${kind}-${start}.txt`);
    const errFd = fs.openSync(stderrFile, 'w');
    const child = spawn(
      process.execPath,
      ['--expose-gc', CHILD, kind, String(seed), String(start), String(count), stderrFile],
      {
        stdio: ['ignore', 'pipe', errFd],
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
      },
    );
    fs.closeSync(errFd);
    let buffer = '';
    let current = null;
    let nextIndex = start;
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      // The first case of a batch also pays for loading TensorFlow in the child.
      timer = setTimeout(
        () => {
          timedOut = true;
          child.kill('SIGKILL');
        },
        caseTimeoutMs + (current === null ? 60000 : 0),
      );
    };
    let timedOut = false;
    arm();
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('S ')) {
          current = { index: Number(line.split(' ')[1]), label: line.slice(line.indexOf(' ', 2) + 1) };
          arm();
        } else if (line.startsWith('R ')) {
          const parts = line.split(' ');
          const index = Number(parts[1]);
          const outcome = parts[2];
          results.push({
            kind,
            index,
            outcome,
            label: current && current.index === index ? current.label : '',
            detail: parts.slice(3).join(' '),
          });
          current = null;
          nextIndex = index + 1;
          arm();
        } else if (line.startsWith('U ')) {
          results.push({
            kind,
            index: current ? current.index : nextIndex,
            outcome: 'untyped',
            label: current ? current.label : '',
            detail: `unhandled rejection: ${line.slice(2)}`,
          });
        } else if (line.startsWith('X ')) {
          results.push({
            kind,
            index: nextIndex,
            outcome: 'crash',
            label: '',
            detail: `child failed outside a case: ${line.slice(2)}`,
          });
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      let stderrTail = '';
      try {
        stderrTail = fs.readFileSync(stderrFile, 'utf8').slice(-1500);
        fs.rmSync(stderrFile, { force: true });
      } catch {
        // gone already
      }
      const finished = nextIndex >= start + count;
      if (!finished || (code !== 0 && code !== null) || signal) {
        if (!finished) {
          const index = current ? current.index : nextIndex;
          const outcome = timedOut ? 'hang' : 'crash';
          results.push({
            kind,
            index,
            outcome,
            label: current ? current.label : '',
            detail: `${timedOut ? `no answer in ${caseTimeoutMs / 1000} s` : `exit ${code} signal ${signal}`}: ${stderrTail.replace(/\s+/g, ' ').slice(-600)}`,
          });
          const after = index + 1;
          if (after < start + count) return resolve(runBatch(kind, after, start + count - after, results));
        } else if (code !== 0) {
          results.push({
            kind,
            index: start + count - 1,
            outcome: 'crash',
            label: 'at exit',
            detail: `exit ${code} signal ${signal}: ${stderrTail.slice(-600)}`,
          });
        }
      }
      resolve();
    });
  });
}

function writeReproducer(r) {
  fs.mkdirSync(args.out, { recursive: true });
  const base = path.join(args.out, `${r.kind}-${seed}-${r.index}-${r.outcome}`);
  const replay = `node scripts/fuzz/child.js ${r.kind} ${seed} ${r.index} 1`;
  const info = { ...r, seed, replay };
  if (r.kind === 'decoder') {
    const c = decoderCase(seed, r.index);
    fs.writeFileSync(`${base}.bin`, c.bytes);
    info.input = `${base}.bin`;
    info.call = c.call;
    info.options = c.options;
    info.spec = c.spec;
    info.snippet =
      c.call === 'preprocess'
        ? `require('tfcv').preprocess([require('fs').readFileSync(${JSON.stringify(`${base}.bin`)})], ${JSON.stringify(c.spec)})`
        : `require('tfcv').Mat.${c.call === 'decode' ? 'decode' : 'decodeSync'}(require('fs').readFileSync(${JSON.stringify(`${base}.bin`)}), ${JSON.stringify(c.options)})`;
  } else if (r.kind === 'loader') {
    const c = loaderCase(seed, r.index);
    if (c.bytes) {
      fs.writeFileSync(`${base}.pb`, c.bytes);
      info.input = `${base}.pb`;
    }
    info.case = { ...c, bytes: undefined };
  }
  fs.writeFileSync(`${base}.json`, JSON.stringify(info, null, 2) + '\n');
  return `${base}.json`;
}

async function main() {
  const started = Date.now();
  const summary = { seed, startedAt: new Date(started).toISOString(), kinds: {}, failures: [] };
  for (const [kind, total] of plan) {
    const results = [];
    let done = 0;
    while (done < total && Date.now() < deadline) {
      const count = Math.min(batchSize, total - done);
      await runBatch(kind, done, count, results);
      done += count;
      log(
        `[fuzz] ${kind}: ${done}/${total} cases, ${results.filter((r) => FAILURES.has(r.outcome)).length} failures (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
    const counts = {
      cases: results.length,
      ok: 0,
      typed: 0,
      trap: 0,
      untyped: 0,
      partial: 0,
      crash: 0,
      hang: 0,
      leak: 0,
      wrong: 0,
    };
    for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    summary.kinds[kind] = counts;
    for (const r of results.filter((x) => FAILURES.has(x.outcome))) {
      const file = writeReproducer(r);
      summary.failures.push({ ...r, reproducer: file });
      log(
        `[fuzz] ${r.outcome.toUpperCase()} ${kind} #${r.index} ${r.label} -> ${r.detail.slice(0, 300)}\n        reproducer: ${file}`,
      );
    }
  }
  summary.seconds = Math.round((Date.now() - started) / 1000);
  const totals = Object.values(summary.kinds).reduce((a, c) => {
    for (const k of ['cases', 'crash', 'hang', 'untyped', 'partial', 'leak', 'wrong']) a[k] = (a[k] ?? 0) + c[k];
    return a;
  }, {});
  summary.totals = totals;
  process.stdout.write(
    `fuzz seed ${seed}: ${Object.entries(summary.kinds)
      .map(([k, c]) => `${k} ${c.cases} (ok ${c.ok}, typed ${c.typed}, trap ${c.trap})`)
      .join('; ')}\n` +
      `crashes ${totals.crash}, hangs ${totals.hang}, untyped ${totals.untyped}, partial ${totals.partial}, ` +
      `leaks ${totals.leak}, wrong ${totals.wrong} in ${summary.seconds} s\n`,
  );
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(summary, null, 2) + '\n');
  process.exitCode = summary.failures.length === 0 ? 0 : 1;
}

main();
