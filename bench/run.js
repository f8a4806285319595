#!/usr/bin/env node
// `npm run bench`: every benchmark in one invocation, one after the other (never in
// parallel: they would measure each other). Each prints its tables and writes
// bench/results/<name>.json; the whole console output is kept in bench/results/latest.txt.
// Usage: npm run bench [-- --quick] [-- --only model-latency,handoff]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { machine } = require('./lib/report');

// Order: cheap and independent first; the server load test last.
const ORDER = [
  'model-latency',
  'handoff',
  'event-loop',
  'preprocess',
  'end-to-end',
  'metrics',
  'detection',
  'batcher',
  'server-load',
];
const NODE_FLAGS = { 'event-loop': ['--expose-gc'] };
// Keeps the whole run under 15 minutes on 2 cores (preprocess alone defaults to 9 rounds).
const SCRIPT_ARGS = { preprocess: ['--runs', '4'] };

function parseList(flag) {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1].split(',') : null;
}

async function main() {
  const quick = process.argv.includes('--quick');
  const only = parseList('--only');
  const scripts = ORDER.filter(
    (name) => fs.existsSync(path.join(__dirname, `${name}.js`)) && (!only || only.includes(name)),
  );
  const log = [];
  const out = (text) => {
    process.stdout.write(text);
    log.push(text);
  };
  out(`tfcv benchmarks on ${JSON.stringify(machine())}\n`);
  const started = Date.now();
  for (const name of scripts) {
    out(`\n=== ${name} ===\n`);
    const t0 = Date.now();
    const code = await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          ...(NODE_FLAGS[name] ?? []),
          path.join(__dirname, `${name}.js`),
          ...(quick ? ['--quick'] : (SCRIPT_ARGS[name] ?? [])),
        ],
        {
          env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout.on('data', (d) => out(d.toString()));
      // TensorFlow's load-time notice and similar go to stderr: keep them out of the tables.
      child.stderr.on('data', (d) => {
        const text = d
          .toString()
          .split('\n')
          .filter((l) => l && !/oneDNN|absl::InitializeLog/.test(l))
          .join('\n');
        if (text) out(`[${name} stderr] ${text}\n`);
      });
      child.on('close', resolve);
    });
    out(`(${name}: exit ${code}, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  out(`\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results/latest.txt'), log.join(''));
}

main();
