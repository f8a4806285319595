// The serving handler in the three usual homes: node:http (handler.node), Express
// (app.use(handler.node)) and Fastify (handler.handle() with the raw body Fastify read),
// as docs/serving.md shows them; and `tfcv serve`'s usage errors.
'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const express = require('express');
const fastify = require('fastify');
const tfcv = require('../dist');
const { runCli } = require('../dist/cli/run_cli');
const { addVersion, tempBase } = require('./serving_helpers');

describe('serving: node:http, Express and Fastify', function () {
  this.timeout(120_000);
  let repo;
  let handler;
  before(async () => {
    const base = tempBase();
    addVersion(base, 1, 'cnn_keras');
    repo = new tfcv.ModelRepository({ models: [{ name: 'cnn', basePath: base }], pollIntervalMs: 0 });
    await repo.start();
    handler = tfcv.createServingHandler(repo, { maxBodyBytes: 1 << 20 });
  });
  after(() => repo.close());

  const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));
  const img = Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => [0.1, 0.2, 0.3]));

  async function exercise(port) {
    const status = await fetch(`http://127.0.0.1:${port}/v1/models/cnn`);
    assert.equal(status.status, 200);
    assert.equal((await status.json()).model_version_status[0].state, 'AVAILABLE');
    const pred = await fetch(`http://127.0.0.1:${port}/v1/models/cnn:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [img, img] }),
    });
    assert.equal(pred.status, 200);
    const { predictions } = await pred.json();
    assert.equal(predictions.length, 2);
    assert.equal(predictions[0].length, 10);
    const bad = await fetch(`http://127.0.0.1:${port}/v1/models/cnn:predict`, {
      method: 'POST',
      body: '{"instances": "x"',
    });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /JSON/);
    const ready = await fetch(`http://127.0.0.1:${port}/v2/health/ready`);
    assert.equal(ready.status, 200);
  }

  it('node:http', async () => {
    const server = http.createServer(handler.node);
    try {
      await exercise(await listen(server));
      const huge = await fetch(`http://127.0.0.1:${server.address().port}/v1/models/cnn:predict`, {
        method: 'POST',
        body: Buffer.alloc(2 << 20, 32),
      });
      assert.equal(huge.status, 413);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('Express', async () => {
    const app = express();
    app.get('/hello', (_req, res) => res.send('hi')); // the app's own routes stay its own
    app.use(handler.node);
    const server = http.createServer(app);
    try {
      const port = await listen(server);
      await exercise(port);
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), 'hi');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('Fastify', async () => {
    const app = fastify({ bodyLimit: 1 << 20 });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.all('/*', async (request, reply) => {
      const answer = await handler.handle({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body ?? Buffer.alloc(0),
      });
      reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await exercise(app.server.address().port);
    } finally {
      await app.close();
    }
  });
});

describe('tfcv serve: usage errors', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: { write: (s) => ((out.stdout += s), true) },
        stderr: { write: (s) => ((out.stderr += s), true) },
        cwd: process.cwd(),
      },
    };
  };
  it('exits 2 naming what is missing or wrong', async () => {
    let t = io();
    assert.equal(await runCli(['serve', '--rest_api_port=0'], t.io), 2);
    assert.match(t.out.stderr, /give --model_base_path .* or --model_config_file/);
    t = io();
    assert.equal(await runCli(['serve', '--model_config_file=/nonexistent.config'], t.io), 2);
    assert.match(t.out.stderr, /--model_config_file: cannot read/);
    t = io();
    assert.equal(await runCli(['serve', '--model_base_path=/x', '--rest_api_port=70000'], t.io), 2);
    t = io();
    assert.equal(await runCli(['serve', '--model_base_path=/x', '--allowed_batch_sizes=1,x'], t.io), 2);
    assert.match(t.out.stderr, /--allowed_batch_sizes: 'x'/);
    t = io();
    const cfg = path.join(tempBase(), 'bad.config');
    require('node:fs').writeFileSync(cfg, 'model_config_list { config { name: "a" base_path: "/a" bogus: 1 } }');
    assert.equal(await runCli(['serve', `--model_config_file=${cfg}`], t.io), 2);
    assert.match(t.out.stderr, /bad.config:1:56: config.bogus is not supported/);
  });
});
