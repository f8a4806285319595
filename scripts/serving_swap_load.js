#!/usr/bin/env node
// Hot reload under load: a model's version is replaced `swaps` times (a new numbered folder,
// then reload()) while `clients` concurrent clients send KServe v2 infer requests over HTTP.
// Reports failed requests, answers from a version that was not ready when it answered, the
// latency percentiles while swapping against a steady phase, and RSS before / after (the
// replaced versions disposed). test/serving.reload.test.js runs it small; run it big with
//   node --expose-gc scripts/serving_swap_load.js [--swaps 50] [--clients 8]
// Last figures are in docs/serving.md.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { parseArgs } = require('node:util');
const tfcv = require('../dist');
const { addVersion, tempBase } = require('../test/serving_helpers');

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run({ swaps = 50, clients = 8, steadyMs = 3000, fixture = 'cnn_keras', log = () => {} } = {}) {
  const base = tempBase('tfcv-swap-');
  addVersion(base, 1, fixture);
  const repo = new tfcv.ModelRepository({
    models: [{ name: 'm', basePath: base }],
    pollIntervalMs: 0,
    drainTimeoutMs: 10_000,
  });
  const readyAt = new Map();
  const ended = new Set();
  repo.on('version', (mv) => {
    if (mv.state === 'AVAILABLE') readyAt.set(mv.version, performance.now());
    if (mv.state === 'END') ended.add(mv.version);
  });
  await repo.start();
  const handler = tfcv.createServingHandler(repo, { metrics: false });
  const server = http.createServer(handler.node);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/v2/models/m/infer`;
  const input = Array.from({ length: 32 * 32 * 3 }, (_, i) => (i % 255) / 255);
  const body = JSON.stringify({ inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', data: input }] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const post = () =>
    new Promise((resolve) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', (e) => resolve({ status: 0, text: e.message }));
      req.end(body);
    });

  let phase = 'steady';
  let stop = false;
  const stats = {
    requests: 0,
    failed: 0,
    notReady: 0,
    failures: [],
    latency: { steady: [], swapping: [] },
    versions: new Set(),
  };
  const client = async () => {
    while (!stop) {
      const t0 = performance.now();
      const r = await post();
      const t1 = performance.now();
      stats.requests++;
      if (r.status !== 200) {
        stats.failed++;
        if (stats.failures.length < 5) stats.failures.push(`${r.status} ${r.text.slice(0, 200)}`);
        continue;
      }
      const version = Number(JSON.parse(r.text).model_version);
      stats.versions.add(version);
      const ready = readyAt.get(version);
      if (ready === undefined || ready > t1) stats.notReady++;
      stats.latency[phase].push(t1 - t0);
    }
  };
  if (global.gc) global.gc();
  const running = Array.from({ length: clients }, client);
  await new Promise((r) => setTimeout(r, steadyMs));
  const rssBefore = process.memoryUsage.rss();
  phase = 'swapping';
  const swapStart = performance.now();
  for (let i = 0; i < swaps; i++) {
    const n = i + 2;
    addVersion(base, n, fixture);
    const report = await repo.reload();
    if (report.failed.length > 0) throw new Error(`version ${n} failed: ${report.failed[0].error}`);
    fs.rmSync(path.join(base, String(n - 1)), { recursive: true, force: true });
    log(`swap ${i + 1}/${swaps}: version ${n}`);
  }
  const swapMs = performance.now() - swapStart;
  phase = 'steady';
  stop = true;
  await Promise.all(running);
  // The replaced versions drain and are disposed.
  for (let i = 0; i < 500 && ended.size < swaps; i++) await new Promise((r) => setTimeout(r, 20));
  if (global.gc) for (let i = 0; i < 3; i++) global.gc();
  await new Promise((r) => setTimeout(r, 200));
  const rssAfter = process.memoryUsage.rss();
  const loaded = repo.loadedVersions().map((v) => v.version);
  agent.destroy();
  await new Promise((r) => server.close(r));
  await repo.close();
  fs.rmSync(base, { recursive: true, force: true });
  const sorted = (a) => [...a].sort((x, y) => x - y);
  const steady = sorted(stats.latency.steady);
  const swapping = sorted(stats.latency.swapping);
  return {
    swaps,
    clients,
    requests: stats.requests,
    failed: stats.failed,
    failures: stats.failures,
    answersFromNotReadyVersions: stats.notReady,
    versionsAnswering: stats.versions.size,
    disposed: ended.size,
    loadedAtEnd: loaded,
    swapSeconds: swapMs / 1000,
    steadyP50Ms: percentile(steady, 50),
    steadyP99Ms: percentile(steady, 99),
    swappingP50Ms: percentile(swapping, 50),
    swappingP99Ms: percentile(swapping, 99),
    p99Ratio: percentile(swapping, 99) / percentile(steady, 99),
    rssBeforeMB: rssBefore / 2 ** 20,
    rssAfterMB: rssAfter / 2 ** 20,
    rssGrowthMB: (rssAfter - rssBefore) / 2 ** 20,
  };
}

module.exports = { run };

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      swaps: { type: 'string', default: '50' },
      clients: { type: 'string', default: '8' },
      steady: { type: 'string', default: '5000' },
    },
  });
  run({
    swaps: Number(values.swaps),
    clients: Number(values.clients),
    steadyMs: Number(values.steady),
    log: (s) => process.stderr.write(`${s}\n`),
  }).then(
    (r) => console.log(JSON.stringify(r, null, 1)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
