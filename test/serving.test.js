// The model repository (lib/serving): version policies, labels, reload, a broken version
// that never replaces the serving one, warm-up from TF Serving's TFRecord file (written by
// TensorFlow: scripts/fixtures/make_warmup_requests.py) gating readiness, and the memory
// budget's least-recently-used eviction.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const tfcv = require('../dist');
const { SERVING, addVersion, addBrokenVersion, tempBase } = require('./serving_helpers');
const { collect } = require('./helpers');

const WARMUP = path.join(SERVING, 'tf_serving_warmup_requests');
const reference = JSON.parse(fs.readFileSync(path.join(SERVING, 'warmup_reference.json'), 'utf8'));

const get = (handler, url) => handler.handle({ method: 'GET', url, headers: {}, body: Buffer.alloc(0) });
const post = (handler, url, body, headers = {}) =>
  handler.handle({
    method: 'POST',
    url,
    headers,
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });
const image32 = () => Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => [0.25, 0.5, 0.75]));

describe('serving: TFRecord and warm-up requests', () => {
  it('reads the PredictionLog records TensorFlow wrote, checksums verified', () => {
    const dir = tempBase();
    addVersion(dir, 1, 'cnn_keras', { warmup: WARMUP });
    const requests = tfcv.readWarmupRequests(path.join(dir, '1'));
    assert.equal(requests.length, reference.records.length);
    requests.forEach((r, i) => {
      const ref = reference.records[i];
      assert.equal(r.signatureName, ref.signature);
      const input = r.inputs[ref.input];
      assert.equal(input.dtype, ref.dtype);
      assert.deepEqual(input.shape, ref.shape);
      const sum = input.data.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - ref.sum) < 1e-6 * input.data.length, `sum ${sum} vs ${ref.sum}`);
    });
  });

  it('frames records exactly as TensorFlow does (masked CRC-32C)', () => {
    const bytes = fs.readFileSync(WARMUP);
    const records = tfcv.readTfRecords(bytes, 'warmup');
    assert.ok(tfcv.writeTfRecords(records).equals(bytes));
  });

  it('refuses a corrupted or truncated file, naming the record', () => {
    const bytes = Buffer.from(fs.readFileSync(WARMUP));
    const flipped = Buffer.from(bytes);
    flipped[100] ^= 1;
    assert.throws(() => tfcv.readTfRecords(flipped, 'w'), /record 0 at byte 0: the data's checksum does not match/);
    const header = Buffer.from(bytes);
    header[2] ^= 1;
    assert.throws(() => tfcv.readTfRecords(header, 'w'), /the length's checksum does not match/);
    assert.throws(() => tfcv.readTfRecords(bytes.subarray(0, bytes.length - 3), 'w'), /record 1 .*truncated/);
  });
});

describe('serving: model repository', function () {
  this.timeout(180_000);
  let base;
  let repo;
  before(async () => {
    base = tempBase();
    for (const n of [1, 2, 3]) addVersion(base, n);
    repo = new tfcv.ModelRepository({
      models: [
        { name: 'latest', basePath: base, versionLabels: { stable: 3 } },
        { name: 'two', basePath: base, versionPolicy: { latest: 2 } },
        { name: 'some', basePath: base, versionPolicy: { specific: [1, 3] } },
        { name: 'all', basePath: base, versionPolicy: { all: true } },
      ],
      pollIntervalMs: 0,
      batcher: { allowedBatchSizes: [1, 2] },
    });
    await repo.start();
  });
  after(() => repo?.close());

  const available = (name) =>
    repo
      .status(name)
      .versions.filter((v) => v.state === 'AVAILABLE')
      .map((v) => v.version)
      .sort();

  it('serves the versions each policy selects', () => {
    assert.deepEqual(available('latest'), [3]);
    assert.deepEqual(available('two'), [2, 3]);
    assert.deepEqual(available('some'), [1, 3]);
    assert.deepEqual(available('all'), [1, 2, 3]);
    assert.equal(repo.ready(), true);
  });

  it('resolves latest, a version and a label; unknown ones are NOT_FOUND', async () => {
    const take = async (name, sel) => {
      const { version, release } = await repo.acquire(name, sel);
      release();
      return version.version;
    };
    assert.equal(await take('all'), 3);
    assert.equal(await take('all', { version: 1 }), 1);
    assert.equal(await take('latest', { label: 'stable' }), 3);
    await assert.rejects(repo.acquire('some', { version: 2 }), { status: 'NOT_FOUND' });
    await assert.rejects(repo.acquire('latest', { label: 'canary' }), { status: 'NOT_FOUND' });
    await assert.rejects(repo.acquire('nope'), { status: 'NOT_FOUND', message: /Latest\(nope\)/ });
  });

  it('reload() loads a new version first, then retires the one it replaces', async () => {
    const old = await repo.acquire('latest'); // in flight across the swap
    addVersion(base, 4);
    const report = await repo.reload();
    assert.ok(report.loaded.some((x) => x.name === 'latest' && x.version === 4));
    assert.ok(report.unloaded.some((x) => x.name === 'latest' && x.version === 3));
    assert.deepEqual(available('latest'), [4]);
    // The replaced version finishes what it had in flight before it is disposed.
    assert.equal(old.version.state, 'UNLOADING');
    assert.equal(old.version.model.disposed, false);
    old.release();
    for (let i = 0; i < 100 && old.version.state !== 'END'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(old.version.state, 'END');
    assert.equal(old.version.model, null);
  });

  it('a broken new version never replaces the serving one; its error shows in status', async () => {
    addBrokenVersion(base, 5);
    const report = await repo.reload();
    assert.ok(report.failed.some((x) => x.name === 'latest' && x.version === 5));
    assert.deepEqual(available('latest'), [4]);
    const v5 = repo.status('latest').versions.find((v) => v.version === 5);
    assert.equal(v5.state, 'END');
    assert.notEqual(v5.errorCode, 'OK');
    assert.match(v5.errorMessage, /saved_model|SavedModel|parse|Could not/i);
    const { version, release } = await repo.acquire('latest');
    release();
    assert.equal(version.version, 4);
    fs.rmSync(path.join(base, '5'), { recursive: true });
  });

  it('replays the warm-up requests before a version serves; a corrupt warm-up file fails the version', async () => {
    addVersion(base, 6, 'cnn_keras', { warmup: WARMUP });
    await repo.reload();
    const { version, release } = await repo.acquire('latest');
    try {
      assert.equal(version.version, 6);
      // Both PredictionLog records went through the version's batcher before it served.
      assert.equal(version.batcherStats().serving_default.requests, reference.records.length);
    } finally {
      release();
    }
    const bad = Buffer.from(fs.readFileSync(WARMUP));
    bad[bad.length - 1] ^= 0xff;
    addVersion(base, 7, 'cnn_keras');
    fs.mkdirSync(path.join(base, '7', 'assets.extra'));
    fs.writeFileSync(path.join(base, '7', 'assets.extra', 'tf_serving_warmup_requests'), bad);
    await repo.reload();
    const v7 = repo.status('latest').versions.find((v) => v.version === 7);
    assert.equal(v7.state, 'END');
    assert.match(v7.errorMessage, /checksum/);
    assert.deepEqual(available('latest'), [6]);
  });

  it('refuses bad options with ArgumentError naming the option', () => {
    assert.throws(() => new tfcv.ModelRepository({ models: [] }), /options.models: expected at least one/);
    assert.throws(
      () => new tfcv.ModelRepository({ models: [{ name: 'a', basePath: base }], poll: 1 }),
      /options.poll: unknown option/,
    );
    assert.throws(
      () => new tfcv.ModelRepository({ models: [{ name: 'a', basePath: base, versionPolicy: { latest: 0 } }] }),
      /versionPolicy.latest: expected an integer in 1/,
    );
    assert.throws(
      () => new tfcv.ModelRepository({ models: [{ name: 'a b', basePath: base }] }),
      /options.models\[0\].name: expected 1-128 letters/,
    );
  });
});

describe('serving: readiness waits for loading and warm-up', function () {
  this.timeout(120_000);
  it('answers not-ready and UNAVAILABLE until the first version is warm', async () => {
    const base = tempBase();
    addVersion(base, 1, 'cnn_keras', { warmup: WARMUP });
    const repo = new tfcv.ModelRepository({ models: [{ name: 'm', basePath: base }], pollIntervalMs: 0 });
    const handler = tfcv.createServingHandler(repo, { metrics: false });
    try {
      assert.equal((await get(handler, '/v2/health/ready')).status, 400);
      const starting = repo.start();
      assert.equal((await get(handler, '/v2/health/ready')).status, 400);
      assert.equal((await get(handler, '/v2/models/m/ready')).status, 400);
      const early = await post(handler, '/v1/models/m:predict', { instances: [image32()] });
      assert.equal(early.status, 503);
      assert.match(JSON.parse(early.body).error, /no version is ready yet/);
      await starting;
      assert.equal((await get(handler, '/v2/health/ready')).status, 200);
      assert.equal((await post(handler, '/v1/models/m:predict', { instances: [image32()] })).status, 200);
    } finally {
      await repo.close();
    }
  });
});

describe('serving: memory budget', function () {
  this.timeout(120_000);
  const dirBytes = (dir) => {
    let n = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }))
      n += e.isDirectory() ? dirBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size;
    return n;
  };

  async function budgetRepo(onEvicted) {
    const a = tempBase();
    const b = tempBase();
    addVersion(a, 1, 'segnet');
    addVersion(b, 1, 'shapedet');
    const sizes = [dirBytes(path.join(a, '1')), dirBytes(path.join(b, '1'))];
    // Room for either model, not both.
    const budget = Math.max(...sizes) + Math.floor(Math.min(...sizes) / 2);
    const repo = new tfcv.ModelRepository({
      models: [
        { name: 'seg', basePath: a },
        { name: 'det', basePath: b },
      ],
      pollIntervalMs: 0,
      memoryBudgetBytes: budget,
      residentBytes: 'files',
      onEvicted,
    });
    await repo.start();
    return { repo, budget };
  }

  it('unloads the least recently used version and loads it again on demand', async () => {
    const { repo, budget } = await budgetRepo('load');
    const handler = tfcv.createServingHandler(repo);
    try {
      // seg loaded first, then det evicted it.
      const seg = repo.status('seg').versions[0];
      assert.equal(seg.state, 'END');
      assert.equal(seg.evicted, true);
      assert.match(seg.errorMessage, /memory budget/);
      assert.equal(repo.status('det').versions[0].state, 'AVAILABLE');
      assert.ok(repo.residentBytes() <= budget);
      assert.equal(repo.ready(), true); // evicted versions load on demand
      const img = Array.from({ length: 64 }, () => Array.from({ length: 64 }, () => [0.5, 0.5, 0.5]));
      const res = await post(handler, '/v1/models/seg:predict', { instances: [img] });
      assert.equal(res.status, 200);
      assert.equal(repo.status('seg').versions[0].state, 'AVAILABLE');
      assert.equal(repo.status('det').versions[0].state, 'END');
      assert.ok(repo.residentBytes() <= budget);
      const metrics = (await get(handler, '/metrics')).body;
      assert.match(metrics, /tfcv_serving_resident_bytes\{model="seg",version="1"\} \d+/);
      assert.doesNotMatch(metrics, /tfcv_serving_resident_bytes\{model="det"/);
      assert.match(metrics, new RegExp(`tfcv_serving_memory_budget_bytes ${budget}`));
    } finally {
      await repo.close();
    }
  });

  it("answers 503 with the reason under onEvicted 'reject'", async () => {
    const { repo } = await budgetRepo('reject');
    const handler = tfcv.createServingHandler(repo, { metrics: false });
    try {
      const res = await post(handler, '/v1/models/seg:predict', { instances: [[[[0]]]] });
      assert.equal(res.status, 503);
      assert.match(JSON.parse(res.body).error, /unloaded to stay within the memory budget/);
      assert.equal(res.headers['retry-after'], '1');
    } finally {
      await repo.close();
    }
  });
});

describe('serving: model config file (TF Serving text format)', () => {
  it('reads names, base paths, policies and labels', () => {
    const configs = tfcv.parseModelConfigText(`
      # two models
      model_config_list {
        config {
          name: 'first'
          base_path: "/models/first"
          model_platform: 'tensorflow'
          model_version_policy { specific { versions: 42 versions: 43 } }
          version_labels { key: 'stable' value: 42 }
          version_labels { key: 'canary' value: 43 }
        }
        config: < name: "second" base_path: "/models/second" model_version_policy: { latest { num_versions: 2 } } >
        config { name: "third" base_path: "/m/3" model_version_policy { all {} } }
      }`);
    assert.deepEqual(configs, [
      {
        name: 'first',
        basePath: '/models/first',
        versionPolicy: { specific: [42, 43] },
        versionLabels: { stable: 42, canary: 43 },
      },
      { name: 'second', basePath: '/models/second', versionPolicy: { latest: 2 } },
      { name: 'third', basePath: '/m/3', versionPolicy: { all: true } },
    ]);
  });

  it('names the line, column and field of what it cannot serve', () => {
    assert.throws(
      () =>
        tfcv.parseModelConfigText('model_config_list {\n config { name: "a" base_path: "/a" logging_config {} }\n}'),
      /model config:2:37: config.logging_config is not supported/,
    );
    assert.throws(
      () => tfcv.parseModelConfigText('model_config_list { config { name: "a" } }'),
      /needs name and base_path/,
    );
    assert.throws(
      () => tfcv.parseModelConfigText('model_config_list { config { name: a base_path: "/a" } }'),
      /must be a quoted string/,
    );
    assert.throws(() => tfcv.parseModelConfigText('model_config_list { config {'), /unexpected end of file/);
    assert.throws(
      () =>
        tfcv.parseModelConfigText('model_config_list { config { name: "a" base_path: "/a" model_platform: "onnx" } }'),
      /model_platform 'onnx' is not served/,
    );
  });
});

describe('serving: bad input leaks nothing', function () {
  this.timeout(120_000);
  it('answers each bad request with its protocol status; no slot, tensor or memory is left behind', async () => {
    const base = tempBase();
    addVersion(base, 1, 'cnn_keras');
    const repo = new tfcv.ModelRepository({ models: [{ name: 'm', basePath: base }], pollIntervalMs: 0 });
    await repo.start();
    const handler = tfcv.createServingHandler(repo, { metrics: false });
    const deep = `{"instances": ${'['.repeat(5000)}1${']'.repeat(5000)}}`;
    const bad = [
      ['/v1/models/m:predict', '{"instances": [1,', 400],
      ['/v1/models/m:predict', { instances: [[['x']]] }, 400],
      ['/v1/models/m:predict', { instances: [[1, 2], [3]] }, 400],
      ['/v1/models/m:predict', { instances: [{ b64: '%%%' }] }, 400],
      ['/v1/models/m:predict', { instances: [[[[1, 2, 3]]]] }, 400], // wrong shape: fails in the model
      ['/v1/models/m:predict', deep, 400],
      ['/v1/models/m/versions/9:predict', { instances: [1] }, 404],
      ['/v1/models/zz:predict', { instances: [1] }, 404],
      ['/v2/models/m/infer', { inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', data: [1] }] }, 400],
      [
        '/v2/models/m/infer',
        { inputs: [{ name: 'image', shape: [2, 32, 32, 3], datatype: 'FP32', data: new Array(6144).fill('a') }] },
        400,
      ],
      ['/v2/models/m/infer', { inputs: [{ name: 'image', shape: [1e6, 1e6, 1e6], datatype: 'FP32', data: [] }] }, 400],
      ['/v1/models/m/image', 'not an image', 400],
    ];
    const good = { instances: [image32()] };
    try {
      // Warm, then measure.
      for (let i = 0; i < 3; i++) assert.equal((await post(handler, '/v1/models/m:predict', good)).status, 200);
      await collect();
      const before = tfcv.stats().liveTensors;
      for (let round = 0; round < 5; round++) {
        for (const [url, body, status] of bad) {
          const r = await post(handler, url, body);
          assert.equal(r.status, status, `${url} ${String(body).slice(0, 40)}: ${r.body}`);
          assert.equal(typeof JSON.parse(r.body).error, 'string');
        }
        assert.equal((await post(handler, '/v1/models/m:predict', good)).status, 200);
      }
      assert.equal(repo.status('m').versions[0].inFlight, 0);
      await collect();
      assert.ok(tfcv.stats().liveTensors <= before, `live tensors ${before} -> ${tfcv.stats().liveTensors}`);
    } finally {
      await repo.close();
    }
  });
});
