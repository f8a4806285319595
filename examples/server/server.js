#!/usr/bin/env node
// A latency-critical inference server on tfcv, the way we would run one in production:
// POST /predict takes a JPEG and answers JSON (top classes of a classifier, or mask
// statistics of a segmentation model); /healthz and /readyz for the orchestrator; /stats
// (event-loop delay, RSS, requests in flight) and Prometheus /metrics; a bounded number of
// requests doing model work (503 + Retry-After beyond it); a body-size limit (413); and a
// graceful shutdown that drains the requests in flight before the model is disposed.
//
// Concurrent requests are merged into batches by model.batcher() (each JPEG is decoded
// straight into its row of the batch tensor); --no-batch runs every request on its own.
//
// Slow clients cannot take it down. A request takes a model slot only once its body is
// complete; reading bodies has its own bound (concurrent uploads) and a deadline (whole
// body within --body-timeout-ms, at no less than --min-body-rate bytes/s: else 408 and the
// connection is closed); Node's own header / request / keep-alive timeouts are set on
// purpose (SERVER_TIMEOUTS below); and the model work itself has a deadline
// (--run-timeout-ms: 504), and is cancelled when the client goes away.
//
//   node examples/server/server.js --model DIR [--port 8080] [--max-in-flight 8] [--sync]
//                                  [--pixels unit|symmetric]   (input scaling [0,1] or [-1,1])
//                                  [--max-uploads 64] [--body-timeout-ms 10000]
//                                  [--min-body-rate 8192] [--run-timeout-ms 10000]
//                                  [--no-batch] [--max-batch-size 16] [--max-delay-ms 2]
//                                  [--batch-concurrency 2]
//                                  [--allowed-batch-sizes 1,2,4,8,16]
//
// --sync (implies --no-batch) serves the same requests with model.runSync instead of model.run, for comparison:
// the model then blocks the event loop for every request.
'use strict';
const http = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { parseArgs } = require('node:util');
const tfcv = require('../../dist');
const { readBody } = require('./body_reader');
const { createMetrics } = require('./metrics');
const { IMAGE_TYPES, isImageBody, mediaType, parseTarget } = require('./request_target');

/** The read-only endpoints (GET and HEAD). */
const GET_PATHS = ['/healthz', '/readyz', '/stats', '/metrics'];

const DEFAULTS = {
  maxInFlight: 8,
  // Uploads are cheap to hold (a socket and at most maxBodyBytes each) but not free: 64 x
  // 8 MB is the worst case of memory slow clients can pin, well inside a 1 GiB pod.
  maxUploads: 64,
  maxBodyBytes: 8 << 20,
  // A 8 MB body at the minimum rate takes ~17 min; the deadline cuts it at 10 s. A phone
  // on a poor uplink (~100 KB/s) sends a 1 MB photo in 10 s. Raise both together for
  // bigger bodies.
  bodyTimeoutMs: 10000,
  minBodyBytesPerSec: 8192,
  bodyGraceMs: 1000,
  // One inference is milliseconds; 10 s means something is stuck (or the queue is far
  // too long): answer 504 and free the slot.
  runTimeoutMs: 10000,
  drainTimeoutMs: 10000,
  mode: 'async',
  batch: true,
  // A batch of 16 MobileNetV2-224 runs in ~130 ms on 2 cores: a bigger batch would add its
  // run time to the latency of every request in it for little more throughput.
  maxBatchSize: 16,
  maxDelayMs: 2,
  // Two batches at once: one decodes its JPEGs while the other runs the model.
  batchConcurrency: 2,
  topK: 5,
};

// Node's timeouts, chosen rather than inherited (Node 20 defaults: headers 60 s, request
// 300 s, keep-alive 5 s, checked every 30 s):
// - headersTimeout 5 s: honest clients send headers in one packet; a slow-header client is
//   dropped after 5 s instead of 60.
// - requestTimeout: headers + body deadline + 1 s. Our own body deadline answers 408
//   first; this is the backstop if the body reader were bypassed.
// - keepAliveTimeout 5 s: an idle keep-alive socket costs a file descriptor only, and 5 s
//   lets a client reuse it between bursts. Behind a load balancer with a longer idle
//   timeout, set it above the balancer's (else the balancer may reuse a socket as we close it).
// - connectionsCheckingInterval 1 s: how often Node enforces the two above; at 30 s a
//   slow-header client would get up to 35 s instead of 5.
function serverTimeouts(o) {
  return {
    headersTimeout: o.headersTimeoutMs ?? 5000,
    requestTimeout: (o.headersTimeoutMs ?? 5000) + o.bodyTimeoutMs + 1000,
    keepAliveTimeout: o.keepAliveTimeoutMs ?? 5000,
    connectionsCheckingInterval: o.connectionsCheckingIntervalMs ?? 1000,
  };
}

function json(res, status, body, headers = {}) {
  if (res.headersSent || res.destroyed) return;
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** Answers and closes the connection once the answer is out (the rest of the body is not read). */
function refuse(req, res, status, body, headers = {}) {
  json(res, status, body, { connection: 'close', ...headers });
  res.once('finish', () => req.destroy());
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

/** Maps an error of the model work to an HTTP answer. */
function failure(error) {
  if (error instanceof tfcv.DecodeError) return [400, error.code];
  if (error instanceof tfcv.LimitError) return [413, error.code];
  if (error instanceof tfcv.BusyError) return [503, error.code];
  if (error instanceof tfcv.TfError && error.tfCode === 'DEADLINE_EXCEEDED') return [504, 'ERR_RUN_TIMEOUT'];
  return [500, error.code ?? 'ERR_INTERNAL'];
}

/**
 * Creates (not yet listening) the server around a loaded model.
 * options: { model, spec? (a preprocess spec; default: from the signature, scale 1/255),
 *            maxInFlight, maxUploads, maxBodyBytes, bodyTimeoutMs, minBodyBytesPerSec,
 *            bodyGraceMs, runTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs,
 *            drainTimeoutMs, mode: 'async' | 'sync', topK, outputs?,
 *            batch (default true; ignored with mode 'sync'), maxBatchSize, maxDelayMs,
 *            allowedBatchSizes?, warmup? (of the batcher) }
 */
function createServer(options) {
  const o = { ...DEFAULTS, ...options };
  const model = o.model;
  // Size, layout and dtype from the model's signature; pixels scaled to [0, 1] unless told.
  const spec = o.spec ?? tfcv.specFromSignature(Object.values(model.inputs())[0], { scale: 1 / 255 });
  const inputKey = Object.keys(model.inputs())[0];
  let inFlight = 0; // requests doing model work (body complete)
  let uploads = 0; // bodies being read
  let draining = false;
  let idle = null;
  const counters = { bodyTimeouts: 0, runTimeouts: 0, shed: 0, clientGone: 0 };
  // Event-loop delay as the operator sees it (GET /stats; ?reset=1 starts a new window).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();

  // Batched: the batcher queues at most what the in-flight limit lets through, so its own
  // BusyError (503) only shows if the two were configured apart.
  const batcher =
    o.batch && o.mode !== 'sync'
      ? model.batcher({
          maxBatchSize: o.maxBatchSize,
          maxDelayMs: o.maxDelayMs,
          maxQueue: o.maxInFlight,
          concurrency: o.batchConcurrency,
          allowedBatchSizes: o.allowedBatchSizes,
          warmup: o.warmup,
          preprocess: spec,
          outputs: o.outputs,
        })
      : null;
  const metrics = createMetrics({ inFlight: () => inFlight, uploads: () => uploads, batcher: () => batcher });

  async function predict(body, signal) {
    if (batcher) {
      const outputs = await batcher.run({ [inputKey]: body }, { timeoutMs: o.runTimeoutMs, signal });
      return summarise(outputs, o.topK);
    }
    const batch = await tfcv.preprocess([body], spec);
    try {
      const feeds = { [inputKey]: batch };
      const outputs =
        o.mode === 'sync'
          ? model.runSync(feeds, { outputs: o.outputs, timeoutMs: o.runTimeoutMs })
          : await model.run(feeds, { outputs: o.outputs, timeoutMs: o.runTimeoutMs, signal });
      return summarise(outputs, o.topK);
    } finally {
      batch.dispose();
    }
  }

  async function handlePredict(req, res) {
    if (draining) return refuse(req, res, 503, { error: 'shutting down' });
    if (uploads >= o.maxUploads) {
      counters.shed++;
      return refuse(req, res, 503, { error: `busy: ${uploads} uploads in progress` }, { 'retry-after': '1' });
    }
    const started = process.hrtime.bigint();
    let body;
    uploads++;
    try {
      body = await readBody(req, {
        limit: o.maxBodyBytes,
        timeoutMs: o.bodyTimeoutMs,
        minBytesPerSec: o.minBodyBytesPerSec,
        graceMs: o.bodyGraceMs,
      });
    } catch (error) {
      if (error.status === 408) counters.bodyTimeouts++;
      if (error.status === 499) counters.clientGone++;
      return refuse(req, res, error.status, { error: error.message, code: error.code });
    } finally {
      uploads--;
    }
    if (body.length === 0) return json(res, 400, { error: 'empty body: POST a JPEG or PNG', code: 'ERR_EMPTY_BODY' });
    // The slot is taken only now: a request still uploading holds no model capacity.
    if (inFlight >= o.maxInFlight) {
      // Shed load instead of queueing: the latency of accepted requests stays bounded.
      counters.shed++;
      return json(res, 503, { error: `busy: ${inFlight} requests in flight` }, { 'retry-after': '1' });
    }
    inFlight++;
    // A client that hangs up mid-inference cancels its run: its slot frees at once.
    const gone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) gone.abort();
    };
    res.once('close', onClose);
    try {
      const result = await predict(body, gone.signal);
      json(res, 200, { ...result, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    } catch (error) {
      if (error instanceof tfcv.AbortError) {
        counters.clientGone++;
        return;
      }
      const [status, code] = failure(error);
      if (status === 504) counters.runTimeouts++;
      json(res, status, { error: error.message, code }, status === 503 ? { 'retry-after': '1' } : {});
    } finally {
      res.off('close', onClose);
      inFlight--;
      if (draining && inFlight === 0 && idle) idle();
    }
  }

  const server = http.createServer(serverTimeouts(o), (req, res) => {
    const target = parseTarget(req.url);
    if (target === null) return refuse(req, res, 400, { error: 'bad request target', code: 'ERR_BAD_TARGET' });
    const { path, query } = target;
    // GET endpoints answer HEAD too (Node sends the headers without the body).
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (GET_PATHS.includes(path) && !read) return json(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      return draining ? json(res, 503, { status: 'draining' }) : json(res, 200, { status: 'ready', inFlight });
    }
    if (path === '/stats') {
      const body = {
        inFlight,
        uploads,
        ...counters,
        eventLoopDelayP50Ms: loopDelay.percentile(50) / 1e6,
        eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        eventLoopDelayMaxMs: loopDelay.max / 1e6,
        rssMB: process.memoryUsage().rss / 2 ** 20,
        batcher: batcher ? batcher.stats() : null,
      };
      if (query.get('reset') === '1') loopDelay.reset();
      return json(res, 200, body);
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (error) => json(res, 500, { error: error.message }),
      );
      return;
    }
    if (path !== '/predict') return json(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' }, { allow: 'POST' });
    if (!isImageBody(req.headers['content-type'])) {
      // Refused before the body is read: the connection closes after the answer.
      return refuse(
        req,
        res,
        415,
        {
          error: `unsupported Content-Type '${mediaType(req.headers['content-type'])}': POST an image (${IMAGE_TYPES.join(', ')})`,
          code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
        },
        { 'accept-post': IMAGE_TYPES.join(', ') },
      );
    }
    const started = process.hrtime.bigint();
    res.once('finish', () => metrics.observe(res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
    handlePredict(req, res).catch((error) => json(res, 500, { error: error.message, code: 'ERR_INTERNAL' }));
  });

  /** Stops accepting, waits for requests in flight (up to drainTimeoutMs), then disposes the model. */
  async function close() {
    if (draining) return;
    draining = true;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections?.();
    if (inFlight + uploads > 0) {
      await Promise.race([
        new Promise((resolve) => (idle = () => inFlight + uploads === 0 && resolve())),
        new Promise((resolve) => setTimeout(resolve, o.drainTimeoutMs).unref()),
      ]);
    }
    server.closeAllConnections?.();
    await closed;
    loopDelay.disable();
    if (batcher) await batcher.close();
    model.dispose();
  }

  return { server, close, batcher, metrics, stats: () => ({ inFlight, uploads, draining, ...counters }) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-in-flight': { type: 'string', default: String(DEFAULTS.maxInFlight) },
      'max-uploads': { type: 'string', default: String(DEFAULTS.maxUploads) },
      'max-body-bytes': { type: 'string', default: String(DEFAULTS.maxBodyBytes) },
      'body-timeout-ms': { type: 'string', default: String(DEFAULTS.bodyTimeoutMs) },
      'min-body-rate': { type: 'string', default: String(DEFAULTS.minBodyBytesPerSec) },
      'run-timeout-ms': { type: 'string', default: String(DEFAULTS.runTimeoutMs) },
      'drain-timeout-ms': { type: 'string', default: String(DEFAULTS.drainTimeoutMs) },
      sync: { type: 'boolean', default: false },
      'no-batch': { type: 'boolean', default: false },
      'max-batch-size': { type: 'string', default: String(DEFAULTS.maxBatchSize) },
      'max-delay-ms': { type: 'string', default: String(DEFAULTS.maxDelayMs) },
      'batch-concurrency': { type: 'string', default: String(DEFAULTS.batchConcurrency) },
      'allowed-batch-sizes': { type: 'string' },
      pixels: { type: 'string', default: 'unit' }, // 'unit': [0, 1]; 'symmetric': [-1, 1]
    },
  });
  if (!values.model) {
    console.error(
      'usage: server.js --model SAVED_MODEL_DIR [--port 8080] [--max-in-flight 8] [--sync] (see the header of server.js)',
    );
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
    maxUploads: Number(values['max-uploads']),
    maxBodyBytes: Number(values['max-body-bytes']),
    bodyTimeoutMs: Number(values['body-timeout-ms']),
    minBodyBytesPerSec: Number(values['min-body-rate']),
    runTimeoutMs: Number(values['run-timeout-ms']),
    drainTimeoutMs: Number(values['drain-timeout-ms']),
    mode: values.sync ? 'sync' : 'async',
    batch: !values['no-batch'],
    maxBatchSize: Number(values['max-batch-size']),
    maxDelayMs: Number(values['max-delay-ms']),
    batchConcurrency: Number(values['batch-concurrency']),
    allowedBatchSizes: values['allowed-batch-sizes']?.split(',').map(Number),
    warmup: true,
  });
  await app.batcher?.ready; // every batch size warm before the first request
  app.server.listen(Number(values.port), values.host, () => {
    const { port } = app.server.address();
    console.log(
      JSON.stringify({ event: 'listening', port, mode: values.sync ? 'sync' : 'async', batched: app.batcher !== null }),
    );
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

module.exports = { createServer, serverTimeouts };
if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
