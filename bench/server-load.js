#!/usr/bin/env node
// The server under load: examples/server in its own process, driven by autocannon (loopback
// only, bounded duration) with a 640x480 JPEG per request.
// 1. Variants side by side at 1, 8 and 32 connections: batched (model.batcher, the
//    default), unbatched (--no-batch: one model.run per request) and runSync: requests/s,
//    latency p50/p99, the server's event-loop delay p99, the mean batch size, RSS before
//    and after; then the ratios batched / unbatched against the goals of issue 13.
// 2. Slow clients (issue 15): --max-in-flight 4, 4 normal connections, with and without 16
//    clients that send their headers and then trickle their bodies (reconnecting whenever
//    the server cuts them off): the normal clients' req/s and p99.
// Usage: node bench/server-load.js [--quick] [--only levels|slow-clients]
'use strict';
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const { spawn } = require('node:child_process');
const autocannon = require('autocannon');
const tfcv = require('../dist');
const setup = require('./lib/setup');
const { writeResults } = require('./lib/report');

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : ['levels', 'slow-clients'];
const DURATION_S = quick ? 3 : 8;
const CONNECTIONS = [1, 8, 32];
const VARIANTS = [
  { name: 'batched', args: [] },
  { name: 'unbatched', args: ['--no-batch'] },
  { name: 'runSync', args: ['--sync'] },
];

function getJson(port, url) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(JSON.parse(text)));
      })
      .on('error', reject);
  });
}

function startServer(model, extraArgs, pixels) {
  return new Promise((resolve, reject) => {
    const args = [
      path.join(setup.root, 'examples/server/server.js'),
      '--model',
      model,
      '--port',
      '0',
      '--pixels',
      pixels,
      ...extraArgs,
    ];
    if (!extraArgs.includes('--max-in-flight')) args.push('--max-in-flight', '64');
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    child.stdout.on('data', (d) => {
      for (const line of d.toString().split('\n')) {
        if (line.includes('"listening"')) resolve({ child, port: JSON.parse(line).port });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stopServer(child) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function photoJpeg() {
  // A photo-like 640x480 frame: a gradient with a few shapes, JPEG quality 90.
  const mat = tfcv.Mat.zeros(480, 640, { channels: 3 });
  const data = mat.data;
  for (let y = 0; y < 480; y++)
    for (let x = 0; x < 640; x++) {
      const i = (y * 640 + x) * 3;
      data[i] = (x * 255) / 640;
      data[i + 1] = (y * 255) / 480;
      data[i + 2] = 128;
    }
  mat.circle({ x: 320, y: 240 }, 120, [255, 255, 255], { thickness: 'filled' });
  mat.rectangle({ x: 40, y: 40, width: 120, height: 90 }, [20, 20, 200], { thickness: 'filled' });
  return mat.encode('jpeg', { quality: 90 });
}

async function load(port, body, connections) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/predict`,
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body,
    connections,
    duration: DURATION_S,
  });
  return {
    connections,
    requestsPerSec: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * `count` clients that each send headers announcing a 100 KB body and then one byte every
 * `everyMs`; when the server closes one, it reconnects at once (an attacker would). Returns
 * stop() -> { connections opened, answers by status }.
 */
function slowClients(port, count, everyMs = 1000) {
  let stopped = false;
  let opened = 0;
  const answers = {};
  const sockets = new Set();
  const open = () => {
    if (stopped) return;
    opened++;
    const socket = net.connect(port, '127.0.0.1');
    sockets.add(socket);
    let timer;
    let head = '';
    socket.on('connect', () => {
      socket.write(
        `POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n`,
      );
      timer = setInterval(() => socket.write('x'), everyMs);
    });
    socket.on('data', (d) => (head += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      const status = /^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 'closed';
      answers[status] = (answers[status] ?? 0) + 1;
      setImmediate(open);
    });
  };
  for (let i = 0; i < count; i++) open();
  return () => {
    stopped = true;
    for (const s of sockets) s.destroy();
    return { opened, answers };
  };
}

function row(r) {
  const batch = r.meanBatchSize === null ? '-' : r.meanBatchSize.toFixed(2);
  return `${r.variant.padEnd(9)}  ${String(r.connections).padStart(5)}  ${r.requestsPerSec.toFixed(1).padStart(6)}  ${String(r.latencyP50).padStart(6)}  ${String(r.latencyP99).padStart(6)}  ${r.eventLoopDelayP99Ms.toFixed(1).padStart(11)}  ${batch.padStart(10)}  ${String(r.non2xx).padStart(7)}  ${r.rssBeforeMB.toFixed(0)} -> ${r.rssAfterMB.toFixed(0)}`;
}

/** Batched against unbatched at each level, and the goals of issue 13. */
function ratios(label, rows) {
  const get = (variant, c) => rows.find((r) => r.model === label && r.variant === variant && r.connections === c);
  console.log(`ratios batched / unbatched, ${label}:`);
  for (const c of CONNECTIONS) {
    const b = get('batched', c);
    const u = get('unbatched', c);
    if (!b || !u) continue;
    console.log(
      `  ${String(c).padStart(2)} conns: req/s ${(b.requestsPerSec / u.requestsPerSec).toFixed(2)}x, p50 ${(b.latencyP50 / u.latencyP50).toFixed(2)}x, p99 ${(b.latencyP99 / u.latencyP99).toFixed(2)}x, loop p99 ${(b.eventLoopDelayP99Ms / u.eventLoopDelayP99Ms).toFixed(2)}x`,
    );
  }
}

// All variants' servers run side by side (an idle server costs memory, not CPU) and each
// connection level runs them one after the other, so a swing in the machine's load
// between levels does not land on one variant only.
async function levels(models, body, results) {
  for (const [label, dir, pixels] of models) {
    console.log(
      `\n${label}, ${DURATION_S} s per level, 640x480 JPEG (${(body.length / 1024).toFixed(0)} KB) per request`,
    );
    console.log('variant    conns  req/s    p50 ms  p99 ms  loop p99 ms  mean batch  non-2xx  RSS MB before -> after');
    const servers = [];
    try {
      for (const variant of VARIANTS) servers.push({ variant, ...(await startServer(dir, variant.args, pixels)) });
      for (const connections of CONNECTIONS) {
        for (const { variant, port } of servers) {
          const before = await getJson(port, '/stats?reset=1');
          const r = await load(port, body, connections);
          const after = await getJson(port, '/stats?reset=1');
          const meanBatchSize = after.batcher
            ? (after.batcher.images - before.batcher.images) /
              Math.max(1, after.batcher.batches - before.batcher.batches)
            : null;
          Object.assign(r, {
            variant: variant.name,
            model: label,
            eventLoopDelayP99Ms: after.eventLoopDelayP99Ms,
            meanBatchSize,
            rssBeforeMB: before.rssMB,
            rssAfterMB: after.rssMB,
          });
          results.push(r);
          console.log(row(r));
        }
      }
    } finally {
      for (const { child } of servers) await stopServer(child);
    }
    ratios(label, results);
  }
}

async function slowClientLevel(body, results) {
  const dir = path.join(setup.root, 'test/fixtures/models/segnet');
  console.log(
    `\nSlow clients: segnet, --max-in-flight 4, 4 normal connections for ${DURATION_S} s, with and without 16 clients trickling bodies (1 byte/s, reconnecting)`,
  );
  console.log('slow clients  req/s    p50 ms  p99 ms  non-2xx  loop p99 ms  slow connections opened  their answers');
  const { child, port } = await startServer(dir, ['--max-in-flight', '4'], 'unit');
  const out = [];
  try {
    await load(port, body, 4); // warm
    for (const slow of [0, 16, 0]) {
      await getJson(port, '/stats?reset=1');
      const stop = slow ? slowClients(port, slow) : null;
      if (stop) await new Promise((r) => setTimeout(r, 500)); // the slow clients are in
      const r = await load(port, body, 4);
      const seen = stop ? stop() : { opened: 0, answers: {} };
      const after = await getJson(port, '/stats?reset=1');
      Object.assign(r, {
        slowClients: slow,
        eventLoopDelayP99Ms: after.eventLoopDelayP99Ms,
        slowOpened: seen.opened,
        slowAnswers: seen.answers,
      });
      out.push(r);
      console.log(
        `${String(slow).padStart(12)}  ${r.requestsPerSec.toFixed(1).padStart(6)}  ${String(r.latencyP50).padStart(6)}  ${String(r.latencyP99).padStart(6)}  ${String(r.non2xx).padStart(7)}  ${r.eventLoopDelayP99Ms.toFixed(1).padStart(11)}  ${String(seen.opened).padStart(23)}  ${JSON.stringify(seen.answers)}`,
      );
      await new Promise((r) => setTimeout(r, 1500)); // let the cut-off slow sockets go
    }
  } finally {
    await stopServer(child);
  }
  const base = Math.max(out[0].latencyP99, out[2].latencyP99);
  const ratio = out[1].latencyP99 / base;
  console.log(
    `p99 with slow clients / without (worse of the two runs without): ${ratio.toFixed(2)}x (goal <= 2x); req/s ratio ${(out[1].requestsPerSec / ((out[0].requestsPerSec + out[2].requestsPerSec) / 2)).toFixed(2)}x`,
  );
  results.push(...out.map((r) => ({ ...r, variant: 'slow-clients' })));
}

async function main() {
  const body = await photoJpeg();
  const models = [['segnet (64x64 masks)', path.join(setup.root, 'test/fixtures/models/segnet'), 'unit']];
  const mobilenet = setup.mobilenet();
  if (!mobilenet.error) models.push(['MobileNetV2-224 (top-5)', mobilenet.dir, 'symmetric']);
  else console.log(`MobileNetV2: n/a: ${mobilenet.error}`);
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const results = [];
  if (only.includes('levels')) await levels(models, body, results);
  if (only.includes('slow-clients')) await slowClientLevel(body, results);
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const file = writeResults('server-load', { durationSeconds: DURATION_S, loadAverage: os.loadavg(), results });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
