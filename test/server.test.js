// examples/server: the production-shaped inference server answers a JPEG with JSON, refuses
// bad and oversized bodies, sheds load with 503 when its in-flight limit is reached, and
// drains requests in flight on shutdown before disposing the model.
'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { tfcv } = require('./helpers');
const { createServer } = require('../examples/server/server');
const { slowModel } = require('./server_helpers');

const SEGNET = path.join(__dirname, 'fixtures/models/segnet');

function request(port, method, url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, headers: { connection: 'close', ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    if (body) req.end(body);
    else req.end();
  });
}

/** A request whose body is only half sent: it stays in flight until finish() is called. */
function slowRequest(port, body) {
  let req;
  const response = new Promise((resolve, reject) => {
    req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/predict',
        headers: { 'content-length': body.length, connection: 'close' },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', reject);
  });
  req.write(body.subarray(0, body.length >> 1));
  return { response, finish: () => req.end(body.subarray(body.length >> 1)) };
}

const tick = (ms) => new Promise((r) => setTimeout(r, ms));

async function start(options = {}) {
  const model = await tfcv.loadSavedModel(SEGNET);
  const app = createServer({ model, ...options });
  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  return { ...app, port: app.server.address().port, model };
}

async function jpeg(size = 96) {
  const mat = tfcv.Mat.zeros(size, size, { channels: 3 });
  mat.circle({ x: size / 2, y: size / 2 }, size / 4, [255, 255, 255], { thickness: 'filled' });
  return mat.encode('jpeg');
}

describe('examples/server', () => {
  it('answers POST /predict with mask statistics, and /healthz, /readyz', async () => {
    const app = await start();
    try {
      const res = await request(app.port, 'POST', '/predict', await jpeg(), { 'content-type': 'image/jpeg' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const fg = res.body.foreground.foregroundFraction;
      // A filled circle of radius size/4: pi/16 ~ 0.196 of the image; the trained net finds it.
      assert.ok(fg > 0.1 && fg < 0.3, `foreground fraction ${fg}`);
      assert.equal((await request(app.port, 'GET', '/healthz')).status, 200);
      assert.equal((await request(app.port, 'GET', '/readyz')).body.status, 'ready');
      assert.equal((await request(app.port, 'GET', '/nope')).status, 404);
      assert.equal((await request(app.port, 'GET', '/predict')).status, 405);
    } finally {
      await app.close();
    }
  });

  it('refuses a bad body (400), an empty body (400) and an oversized body (413)', async () => {
    const app = await start({ maxBodyBytes: 4096 });
    try {
      const bad = await request(app.port, 'POST', '/predict', Buffer.from('definitely not a jpeg'));
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'ERR_TFCV_DECODE');
      assert.equal((await request(app.port, 'POST', '/predict')).status, 400);
      const big = await request(app.port, 'POST', '/predict', Buffer.alloc(10000, 1));
      assert.equal(big.status, 413);
      assert.equal(big.body.code, 'ERR_BODY_TOO_LARGE');
      // Still serving afterwards.
      assert.equal((await request(app.port, 'POST', '/predict', await jpeg(48))).status, 200);
    } finally {
      await app.close();
    }
  });

  it('answers 503 with Retry-After when the in-flight limit is reached', async () => {
    const model = await tfcv.loadSavedModel(SEGNET);
    const app = createServer({ model: slowModel(model), maxInFlight: 1 });
    await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    const port = app.server.address().port;
    try {
      const image = await jpeg();
      const first = request(port, 'POST', '/predict', image);
      await tick(40); // the first request's body is in and its (slow) model work has the slot
      assert.equal(app.stats().inFlight, 1);
      const shed = await request(port, 'POST', '/predict', image);
      assert.equal(shed.status, 503);
      assert.equal(shed.headers['retry-after'], '1');
      assert.equal((await first).status, 200);
      assert.equal(
        (await request(port, 'POST', '/predict', image)).status,
        200,
        'accepting again once below the limit',
      );
      assert.equal(app.batcher.stats().requests, 2, 'batched (the default)');
    } finally {
      await app.close();
    }
  });

  it('a request still uploading its body holds no model slot', async () => {
    const app = await start({ maxInFlight: 1 });
    try {
      const image = await jpeg();
      const uploading = slowRequest(app.port, image);
      await tick(30);
      assert.deepEqual([app.stats().uploads, app.stats().inFlight], [1, 0]);
      assert.equal((await request(app.port, 'POST', '/predict', image)).status, 200);
      uploading.finish();
      assert.equal((await uploading.response).status, 200);
    } finally {
      await app.close();
    }
  });

  it('graceful shutdown drains requests in flight, then refuses and disposes the model', async () => {
    const app = await start();
    const image = await jpeg();
    const inFlight = slowRequest(app.port, image);
    await tick(30);
    const closing = app.close();
    assert.equal(app.stats().draining, true);
    assert.equal(app.model.disposed, false, 'the model stays while a request is in flight');
    inFlight.finish();
    const res = await inFlight.response;
    assert.equal(res.status, 200, 'the request in flight completed');
    await closing;
    assert.equal(app.model.disposed, true);
    await assert.rejects(request(app.port, 'GET', '/healthz'), /ECONNREFUSED/);
  });

  it("the 'sync' variant gives the same answer", async () => {
    const image = await jpeg();
    const a = await start();
    const s = await start({ mode: 'sync' });
    try {
      const ra = await request(a.port, 'POST', '/predict', image);
      const rs = await request(s.port, 'POST', '/predict', image);
      assert.equal(rs.status, 200);
      assert.deepEqual(rs.body.foreground, ra.body.foreground);
    } finally {
      await a.close();
      await s.close();
    }
  });

  it('batches concurrent requests by default, with the same answers as the unbatched server', async () => {
    const image = await jpeg();
    const batched = await start();
    const single = await start({ batch: false });
    try {
      assert.notEqual(batched.batcher, null);
      assert.equal(single.batcher, null);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => request(batched.port, 'POST', '/predict', image)),
      );
      const alone = await request(single.port, 'POST', '/predict', image);
      for (const a of answers) {
        assert.equal(a.status, 200);
        // A batched row may differ from its unbatched run in the last bits (test/numerics.js): only
        // a pixel within ~1e-6 of the 0.5 threshold could change sides, so the counts agree to a pixel or two.
        assert.equal(a.body.foreground.pixels, alone.body.foreground.pixels);
        const pixelsApart = Math.abs(a.body.foreground.foregroundFraction - alone.body.foreground.foregroundFraction);
        assert.ok(pixelsApart * alone.body.foreground.pixels <= 2, `foreground differs by ${pixelsApart}`);
      }
      const s = batched.batcher.stats();
      assert.equal(s.requests, 8);
      assert.equal(s.images, 8);
      assert.ok(s.batches <= 8);
    } finally {
      await batched.close();
      await single.close();
    }
  });

  it('GET /metrics: Prometheus text with requests by status, latency, batcher stats and event-loop delay', async () => {
    const app = await start();
    try {
      await request(app.port, 'POST', '/predict', await jpeg());
      await request(app.port, 'POST', '/predict', Buffer.from('not a jpeg'));
      const text = await new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: app.port, path: '/metrics' }, (res) => {
            assert.match(res.headers['content-type'], /^text\/plain/);
            let t = '';
            res.on('data', (d) => (t += d));
            res.on('end', () => resolve(t));
          })
          .on('error', reject);
      });
      assert.match(text, /^tfcv_http_requests_total\{status="200"\} 1$/m);
      assert.match(text, /^tfcv_http_requests_total\{status="400"\} 1$/m);
      assert.match(text, /^tfcv_http_request_duration_seconds_bucket\{le="\+Inf",status="200"\} 1$/m);
      assert.match(text, /^tfcv_batcher_batches_total 1$/m, 'the bad JPEG failed in its batch before the run');
      assert.match(text, /^tfcv_batcher_images_total 1$/m);
      assert.match(text, /^tfcv_batcher_rejected_total\{reason="failed"\} 1$/m);
      assert.match(text, /^tfcv_batcher_run_seconds\{quantile="0.99"\} [0-9.e-]+$/m);
      assert.match(text, /^nodejs_eventloop_lag_p99_seconds [0-9.e-]+$/m);
      assert.match(text, /^tfcv_requests_in_flight 0$/m);
    } finally {
      await app.close();
    }
  });

  it('--no-batch: no batcher metrics', async () => {
    const app = await start({ batch: false });
    try {
      await request(app.port, 'POST', '/predict', await jpeg());
      const text = await app.metrics.registry.metrics();
      assert.doesNotMatch(text, /tfcv_batcher_/);
      assert.match(text, /^tfcv_http_requests_total\{status="200"\} 1$/m);
    } finally {
      await app.close();
    }
  });
});
