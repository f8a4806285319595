#!/usr/bin/env node
// The server under load: examples/server in its own process, driven by autocannon (loopback
// only, bounded duration) at 1, 8 and 32 connections with a 640x480 JPEG per request.
// Requests/s, latency p50/p99, the server's event-loop delay p99 and its RSS before and
// after, for tfcv async (model.run) against the same server with model.runSync.
// Usage: node bench/server-load.js [--quick]
'use strict';
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const autocannon = require('autocannon');
const tfcv = require('../dist');
const setup = require('./lib/setup');
const { writeResults } = require('./lib/report');

const quick = process.argv.includes('--quick');
const DURATION_S = quick ? 3 : 8;
const CONNECTIONS = [1, 8, 32];

function getJson(port, url) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: url }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(JSON.parse(text)));
    }).on('error', reject);
  });
}

function startServer(model, sync, pixels) {
  return new Promise((resolve, reject) => {
    const args = [path.join(setup.root, 'examples/server/server.js'), '--model', model, '--port', '0', '--max-in-flight', '64', '--pixels', pixels];
    if (sync) args.push('--sync');
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    child.stdout.on('data', (d) => {
      for (const line of d.toString().split('\n')) {
        if (line.includes('"listening"')) resolve({ child, port: JSON.parse(line).port });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function photoJpeg() {
  // A photo-like 640x480 frame: a gradient with a few shapes, JPEG quality 90.
  const mat = tfcv.Mat.zeros(480, 640, { channels: 3 });
  const data = mat.data;
  for (let y = 0; y < 480; y++) for (let x = 0; x < 640; x++) {
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

async function main() {
  const body = await photoJpeg();
  const models = [['segnet (64x64 masks)', path.join(setup.root, 'test/fixtures/models/segnet'), 'unit']];
  const mobilenet = setup.mobilenet();
  if (!mobilenet.error) models.push(['MobileNetV2-224 (top-5)', mobilenet.dir, 'symmetric']);
  else console.log(`MobileNetV2: n/a: ${mobilenet.error}`);
  const results = [];
  for (const [label, dir, pixels] of models) {
    console.log(`\n${label}, ${DURATION_S} s per level, 640x480 JPEG (${(body.length / 1024).toFixed(0)} KB) per request`);
    console.log('variant   conns  req/s    p50 ms  p99 ms  loop p99 ms  non-2xx  RSS MB before -> after');
    for (const sync of [false, true]) {
      const { child, port } = await startServer(dir, sync, pixels);
      try {
        for (const connections of CONNECTIONS) {
          const before = await getJson(port, '/stats?reset=1');
          const row = await load(port, body, connections);
          const after = await getJson(port, '/stats?reset=1');
          Object.assign(row, { variant: sync ? 'runSync' : 'async', model: label, eventLoopDelayP99Ms: after.eventLoopDelayP99Ms, rssBeforeMB: before.rssMB, rssAfterMB: after.rssMB });
          results.push(row);
          console.log(
            `${row.variant.padEnd(8)}  ${String(connections).padStart(5)}  ${row.requestsPerSec.toFixed(1).padStart(6)}  ${String(row.latencyP50).padStart(6)}  ${String(row.latencyP99).padStart(6)}  ${row.eventLoopDelayP99Ms.toFixed(1).padStart(11)}  ${String(row.non2xx).padStart(7)}  ${before.rssMB.toFixed(0)} -> ${after.rssMB.toFixed(0)}`,
          );
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
  }
  const file = writeResults('server-load', { durationSeconds: DURATION_S, results });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
