// examples/server's routing (issue 21, finding 12): HEAD on the read-only endpoints, query
// strings ignored for routing (/predict?x=1, /healthz?probe=1, /stats?reset=1), a request
// target that is not a path answered 400, and /predict's Content-Type checked (415 before
// the body is read; no Content-Type is read as application/octet-stream).
'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { tfcv } = require('./helpers');
const { createServer } = require('../examples/server/server');
const { parseTarget, isImageBody } = require('../examples/server/request_target');

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
          resolve({ status: res.statusCode, headers: res.headers, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw request line (targets http.request will not send). */
function raw(port, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
  });
}

describe('examples/server routing (issue 21)', () => {
  let app;
  let port;
  let body;
  before(async () => {
    const model = await tfcv.loadSavedModel(SEGNET);
    app = createServer({ model });
    await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
    port = app.server.address().port;
    const mat = tfcv.Mat.zeros(64, 64, { channels: 3 });
    body = mat.encodeSync('jpeg');
    mat.dispose();
  });
  after(async () => app.close());

  it('HEAD /healthz, /readyz, /stats, /metrics answer 200 without a body', async () => {
    for (const url of ['/healthz', '/readyz', '/stats', '/metrics']) {
      const res = await request(port, 'HEAD', url);
      assert.equal(res.status, 200, url);
      assert.equal(res.text, '', url);
    }
    const post = await request(port, 'POST', '/healthz', 'x');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  it('query strings do not change the route', async () => {
    assert.equal((await request(port, 'GET', '/healthz?probe=1')).status, 200);
    assert.equal((await request(port, 'GET', '/stats?reset=1')).status, 200);
    const res = await request(port, 'POST', '/predict?x=1', body, { 'content-type': 'image/jpeg' });
    assert.equal(res.status, 200, res.text);
    assert.ok(JSON.parse(res.text).foreground);
    assert.equal((await request(port, 'GET', '/nothing?x=1')).status, 404);
  });

  it('/predict refuses a Content-Type that is not an image with 415, before reading the body', async () => {
    for (const type of ['application/json', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded']) {
      const res = await request(port, 'POST', '/predict', body, { 'content-type': type });
      assert.equal(res.status, 415, type);
      const answer = JSON.parse(res.text);
      assert.equal(answer.code, 'ERR_UNSUPPORTED_MEDIA_TYPE');
      assert.match(answer.error, /image\/jpeg/);
      assert.match(res.headers['accept-post'], /image\/png/);
    }
    for (const headers of [{ 'content-type': 'IMAGE/JPEG' }, { 'content-type': 'application/octet-stream' }, {}]) {
      const res = await request(port, 'POST', '/predict', body, headers);
      assert.equal(res.status, 200, `${JSON.stringify(headers)}: ${res.text}`);
    }
    assert.equal(app.stats().inFlight, 0);
  });

  it('a request target that is not a path is a 400, and the server stays up', async () => {
    const answer = await raw(port, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.equal((await request(port, 'GET', '/healthz')).status, 200);
    assert.equal(parseTarget('http://evil/predict'), null);
    assert.deepEqual(parseTarget('/predict?x=1').path, '/predict');
    assert.equal(isImageBody(undefined), true);
    assert.equal(isImageBody('image/png; q=1'), true);
    assert.equal(isImageBody('video/mp4'), false);
  });
});
