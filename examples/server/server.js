#!/usr/bin/env node
// A latency-critical inference server on tfcv, the way we would run one in production:
// POST /predict takes a JPEG and answers JSON (top classes of a classifier, or mask
// statistics of a segmentation model); /healthz and /readyz for the orchestrator; /stats
// (event-loop delay, RSS, requests in flight); a bounded
// number of requests in flight (503 + Retry-After beyond it); a body-size limit (413); and a
// graceful shutdown that drains the requests in flight before the model is disposed.
//
//   node examples/server/server.js --model DIR [--port 8080] [--max-in-flight 8] [--sync]
//                                  [--pixels unit|symmetric]   (input scaling [0,1] or [-1,1])
//
// --sync serves the same requests with model.runSync instead of model.run, for comparison:
// the model then blocks the event loop for every request.
'use strict';
const http = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { parseArgs } = require('node:util');
const tfcv = require('../../dist');

const DEFAULTS = { maxInFlight: 8, maxBodyBytes: 8 << 20, drainTimeoutMs: 10000, mode: 'async', topK: 5 };

function json(res, status, body, headers = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** Reads the request body up to `limit` bytes; rejects with { status: 413 } beyond it. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return reject(Object.assign(new Error(`body of ${declared} bytes exceeds ${limit}`), { status: 413 }));
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error(`body exceeds ${limit} bytes`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** Classifier output [1,K] -> top-k; mask output [1,H,W,1] -> foreground statistics. */
function summarise(outputs, topK) {
  const result = {};
  for (const [key, t] of Object.entries(outputs)) {
    const shape = t.shape;
    const data = t.data;
    if (shape.length === 2) {
      const scores = Array.from(data.subarray(0, shape[1]));
      result[key] = scores
        .map((score, index) => ({ index, score }))
        .sort((a, b) => b.score - a.score)
        .slice(0, topK);
    } else if (shape.length === 4 && shape[3] === 1) {
      let fg = 0;
      for (let i = 0; i < data.length; i++) if (data[i] > 0.5) fg++;
      result[key] = { foregroundFraction: fg / data.length, pixels: data.length };
    } else {
      result[key] = { shape };
    }
    t.dispose();
  }
  return result;
}

/**
 * Creates (not yet listening) the server around a loaded model.
 * options: { model, spec? (a preprocess spec; default: from the signature, scale 1/255),
 *            maxInFlight, maxBodyBytes, drainTimeoutMs, mode: 'async' | 'sync', topK, outputs? }
 */
function createServer(options) {
  const o = { ...DEFAULTS, ...options };
  const model = o.model;
  // Size, layout and dtype from the model's signature; pixels scaled to [0, 1] unless told.
  const spec = o.spec ?? tfcv.specFromSignature(Object.values(model.inputs())[0], { scale: 1 / 255 });
  const inputKey = Object.keys(model.inputs())[0];
  let inFlight = 0;
  let draining = false;
  let idle = null;
  // Event-loop delay as the operator sees it (GET /stats; ?reset=1 starts a new window).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();

  async function predict(body) {
    const batch = await tfcv.preprocess([body], spec);
    try {
      const feeds = { [inputKey]: batch };
      const outputs = o.mode === 'sync' ? model.runSync(feeds, { outputs: o.outputs }) : await model.run(feeds, { outputs: o.outputs });
      return summarise(outputs, o.topK);
    } finally {
      batch.dispose();
    }
  }

  const server = http.createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && req.url === '/readyz') {
      return draining ? json(res, 503, { status: 'draining' }) : json(res, 200, { status: 'ready', inFlight });
    }
    if (req.method === 'GET' && req.url.startsWith('/stats')) {
      const body = {
        inFlight,
        eventLoopDelayP50Ms: loopDelay.percentile(50) / 1e6,
        eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        eventLoopDelayMaxMs: loopDelay.max / 1e6,
        rssMB: process.memoryUsage().rss / 2 ** 20,
      };
      if (req.url.includes('reset=1')) loopDelay.reset();
      return json(res, 200, body);
    }
    if (req.url !== '/predict') return json(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' }, { allow: 'POST' });
    if (draining) return json(res, 503, { error: 'shutting down' }, { connection: 'close' });
    if (inFlight >= o.maxInFlight) {
      // Shed load instead of queueing: the latency of accepted requests stays bounded.
      req.resume();
      return json(res, 503, { error: `busy: ${inFlight} requests in flight` }, { 'retry-after': '1' });
    }
    inFlight++;
    const started = process.hrtime.bigint();
    try {
      const body = await readBody(req, o.maxBodyBytes);
      if (body.length === 0) return json(res, 400, { error: 'empty body: POST a JPEG or PNG', code: 'ERR_EMPTY_BODY' });
      const result = await predict(body);
      json(res, 200, { ...result, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    } catch (error) {
      if (error.status === 413) return json(res, 413, { error: error.message, code: 'ERR_BODY_TOO_LARGE' }, { connection: 'close' });
      if (error instanceof tfcv.DecodeError || error instanceof tfcv.LimitError) {
        return json(res, error instanceof tfcv.LimitError ? 413 : 400, { error: error.message, code: error.code });
      }
      json(res, 500, { error: error.message, code: error.code ?? 'ERR_INTERNAL' });
    } finally {
      inFlight--;
      if (draining && inFlight === 0 && idle) idle();
    }
  });

  /** Stops accepting, waits for requests in flight (up to drainTimeoutMs), then disposes the model. */
  async function close() {
    if (draining) return;
    draining = true;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections?.();
    if (inFlight > 0) {
      await Promise.race([new Promise((resolve) => (idle = resolve)), new Promise((resolve) => setTimeout(resolve, o.drainTimeoutMs).unref())]);
    }
    server.closeAllConnections?.();
    await closed;
    loopDelay.disable();
    model.dispose();
  }

  return { server, close, stats: () => ({ inFlight, draining }) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-in-flight': { type: 'string', default: String(DEFAULTS.maxInFlight) },
      'max-body-bytes': { type: 'string', default: String(DEFAULTS.maxBodyBytes) },
      sync: { type: 'boolean', default: false },
      pixels: { type: 'string', default: 'unit' }, // 'unit': [0, 1]; 'symmetric': [-1, 1]
    },
  });
  if (!values.model) {
    console.error('usage: server.js --model SAVED_MODEL_DIR [--port 8080] [--max-in-flight 8] [--sync]');
    process.exit(2);
  }
  const model = await tfcv.loadSavedModel(values.model, { warmup: true });
  const input = Object.values(model.inputs())[0];
  // MobileNet-style classifiers expect [-1, 1]; others (segnet) [0, 1].
  const scale = values['pixels'] === 'symmetric' ? 2 / 255 : 1 / 255;
  const spec = tfcv.specFromSignature(input, values['pixels'] === 'symmetric' ? { scale, mean: 1 } : { scale });
  const app = createServer({
    model,
    spec,
    maxInFlight: Number(values['max-in-flight']),
    maxBodyBytes: Number(values['max-body-bytes']),
    mode: values.sync ? 'sync' : 'async',
  });
  app.server.listen(Number(values.port), values.host, () => {
    const { port } = app.server.address();
    console.log(JSON.stringify({ event: 'listening', port, mode: values.sync ? 'sync' : 'async' }));
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, async () => {
      console.log(JSON.stringify({ event: 'draining', signal, inFlight: app.stats().inFlight }));
      await app.close();
      console.log(JSON.stringify({ event: 'stopped' }));
      process.exit(0);
    });
  }
}

module.exports = { createServer };
if (require.main === module) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
