#!/usr/bin/env node
// tfcv serve under load against the alternatives, same model (the cnn_keras fixture, a
// 32x32 classifier) and the same 640x480 JPEG, at 1, 8 and 32 connections (autocannon,
// loopback, bounded duration):
//   - tfcv serve, TF Serving REST with the JPEG as {"b64": ...} (decoded by the signature)
//   - tfcv serve, TF Serving REST with "instances" (the decoded 32x32x3 floats as JSON)
//   - tfcv serve, KServe v2 with the binary tensor data extension (raw FP32)
//   - tfcv serve, the image endpoint (/v1/models/m/image, JPEG body)
//   - examples/server's image route (POST /predict, JPEG body): the reference
//   - a Python FastAPI / uvicorn + TensorFlow server (bench/python/serving_fastapi.py)
// Then p99 at 8 connections while versions are swapped (a new one every 2 s, picked up
// by polling) against steady. Prints req/s, p50, p99 and the ratios of the goals.
// Usage: node bench/serving.js [--quick]   (the Python server needs the fixture venv)
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const autocannon = require('autocannon');
const tfcv = require('../dist');
const { addVersion, tempBase, startServe } = require('../test/serving_helpers');

const quick = process.argv.includes('--quick');
const DURATION_S = quick ? 3 : 6;
const CONNECTIONS = [1, 8, 32];
const root = path.join(__dirname, '..');
const PYTHON = process.env.TFCV_PYTHON ?? path.join(os.homedir(), '.cache', 'tfcv', 'venv', 'bin', 'python');

async function photoJpeg() {
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
  const jpeg = await mat.encode('jpeg', { quality: 90 });
  mat.dispose();
  return jpeg;
}

function waitLine(child, pattern, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${pattern}' within ${timeoutMs} ms`)), timeoutMs);
    let text = '';
    const on = (d) => {
      text += d;
      const line = text.split('\n').find((l) => l.includes(pattern));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${text.slice(-500)}`)));
  });
}

async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await new Promise((r) => child.once('exit', r));
  clearTimeout(t);
}

async function load(url, { body, headers }, connections, duration = DURATION_S) {
  const r = await autocannon({ url, method: 'POST', headers, body, connections, duration });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function freePort() {
  const s = http.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function main() {
  const jpeg = await photoJpeg();
  const base = tempBase('tfcv-bench-serving-');
  const modelBase = path.join(base, 'm');
  addVersion(modelBase, 1, 'cnn_keras');
  const modelDir = path.join(modelBase, '1');
  // The decoded input, as a client of the "instances" / KServe forms would send it.
  const x = await tfcv.preprocess([jpeg], { width: 32, height: 32, channels: 3, dtype: 'float32', scale: 1 / 255 });
  const floats = Float32Array.from(x.data);
  x.dispose();
  const nested = [];
  for (let r = 0; r < 32; r++) {
    const row = [];
    for (let c = 0; c < 32; c++) row.push(Array.from(floats.subarray((r * 32 + c) * 3, (r * 32 + c) * 3 + 3)));
    nested.push(row);
  }
  const v2Head = Buffer.from(
    JSON.stringify({
      inputs: [
        { name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', parameters: { binary_data_size: floats.byteLength } },
      ],
    }),
  );
  const cases = {
    'tfcv serve REST b64 JPEG': {
      path: '/v1/models/m:predict',
      body: JSON.stringify({ instances: [{ b64: jpeg.toString('base64') }] }),
      headers: { 'content-type': 'application/json' },
    },
    'tfcv serve REST instances': {
      path: '/v1/models/m:predict',
      body: JSON.stringify({ instances: [nested] }),
      headers: { 'content-type': 'application/json' },
    },
    'tfcv serve KServe binary': {
      path: '/v2/models/m/infer',
      body: Buffer.concat([v2Head, Buffer.from(floats.buffer)]),
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(v2Head.length) },
    },
    'tfcv serve image endpoint': { path: '/v1/models/m/image', body: jpeg, headers: { 'content-type': 'image/jpeg' } },
  };
  const results = {};
  const record = (name, c, r) => {
    results[name] ??= {};
    results[name][c] = r;
    console.error(
      `${name} @${c}: ${r.rps.toFixed(1)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx ? `, non2xx ${r.non2xx}` : ''}`,
    );
  };

  // examples/server's image route (the reference).
  {
    const child = spawn(
      process.execPath,
      [path.join(root, 'examples/server/server.js'), '--model', modelDir, '--port', '0', '--max-in-flight', '64'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const port = JSON.parse(await waitLine(child, '"listening"')).port;
      for (const c of CONNECTIONS)
        record(
          'examples/server image route',
          c,
          await load(`http://127.0.0.1:${port}/predict`, { body: jpeg, headers: { 'content-type': 'image/jpeg' } }, c),
        );
    } finally {
      await stop(child);
    }
  }
  // tfcv serve.
  {
    const server = await startServe([
      `--model_name=m`,
      `--model_base_path=${modelBase}`,
      '--file_system_poll_wait_seconds=0',
    ]);
    try {
      for (const [name, k] of Object.entries(cases))
        for (const c of CONNECTIONS) record(name, c, await load(`http://127.0.0.1:${server.port}${k.path}`, k, c));
    } finally {
      await server.stop();
    }
  }
  // Python FastAPI + TensorFlow.
  if (fs.existsSync(PYTHON)) {
    const port = await freePort();
    const child = spawn(PYTHON, [path.join(__dirname, 'python', 'serving_fastapi.py'), modelDir, String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    try {
      await waitLine(child, 'listening');
      for (let i = 0; i < 200; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const c of CONNECTIONS)
        record(
          'Python FastAPI + TensorFlow',
          c,
          await load(`http://127.0.0.1:${port}/predict`, { body: jpeg, headers: { 'content-type': 'image/jpeg' } }, c),
        );
    } finally {
      await stop(child);
    }
  } else console.error(`no Python venv at ${PYTHON}: the FastAPI row is left out`);

  // p99 during version swaps vs steady (8 connections, REST b64 JPEG).
  let swap = null;
  {
    const server = await startServe([
      `--model_name=m`,
      `--model_base_path=${modelBase}`,
      '--file_system_poll_wait_seconds=0.5',
    ]);
    try {
      const k = cases['tfcv serve REST b64 JPEG'];
      // Long enough for several loads on a busy machine (a load and warm-up take seconds there).
      const SWAP_S = quick ? 15 : 30;
      const steady = await load(`http://127.0.0.1:${server.port}${k.path}`, k, 8, SWAP_S);
      let n = 2;
      const timer = setInterval(() => {
        addVersion(modelBase, n, 'cnn_keras');
        fs.rmSync(path.join(modelBase, String(n - 1)), { recursive: true, force: true });
        n++;
      }, 2000);
      const swapping = await load(`http://127.0.0.1:${server.port}${k.path}`, k, 8, SWAP_S);
      clearInterval(timer);
      const swapped = server.events.filter((e) => e.event === 'version' && e.state === 'AVAILABLE').length - 1;
      swap = { steady, swapping, swapped };
      console.error(`swap: steady p99 ${steady.p99} ms, swapping p99 ${swapping.p99} ms over ${swapped} swaps`);
    } finally {
      await server.stop();
    }
  }
  fs.rmSync(base, { recursive: true, force: true });

  const row = (name) => CONNECTIONS.map((c) => results[name]?.[c]);
  console.log(
    `\ntfcv serve vs alternatives (cnn_keras, 640x480 JPEG, ${DURATION_S} s per cell, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})`,
  );
  console.log(['', ...CONNECTIONS.map((c) => `${c} conn: req/s  p50  p99`)].join(' | '));
  for (const name of Object.keys(results))
    console.log(
      [
        name,
        ...row(name).map((r) =>
          r ? `${r.rps.toFixed(1)}  ${r.p50}  ${r.p99}${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''}` : 'n/a',
        ),
      ].join(' | '),
    );
  const ref = results['examples/server image route'];
  console.log('\nGoals:');
  for (const name of Object.keys(cases))
    console.log(
      `  ${name} / image route req/s: ${CONNECTIONS.map((c) => `${c}: ${(results[name][c].rps / ref[c].rps).toFixed(3)}x`).join(', ')} (goal >= 0.95x for the protocol layer)`,
    );
  const py = results['Python FastAPI + TensorFlow'];
  if (py)
    for (const name of ['tfcv serve REST b64 JPEG', 'tfcv serve KServe binary'])
      console.log(
        `  ${name} / Python FastAPI at 32 connections: ${(results[name][32].rps / py[32].rps).toFixed(2)}x (goal >= 2x)`,
      );
  if (swap)
    console.log(
      `  p99 during ${swap.swapped} version swaps / steady p99: ${(swap.swapping.p99 / swap.steady.p99).toFixed(2)}x (goal <= 1.5x); non-2xx while swapping: ${swap.swapping.non2xx}`,
    );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
