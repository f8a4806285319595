// Conformance of `tfcv serve` with the published REST documentation of TF Serving
// (tensorflow.org/tfx/serving/api_rest) and KServe's Open Inference Protocol (v2, with the
// binary tensor data extension): each case is a request and the answer the documents
// specify (status, body shape, error body), run over HTTP against a `tfcv serve` child
// process. Model outputs are compared with TensorFlow's own (test/fixtures/serving/
// warmup_reference.json, made by scripts/fixtures/make_warmup_requests.py).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { SERVING, addVersion, tempBase, startServe } = require('./serving_helpers');

const reference = JSON.parse(fs.readFileSync(path.join(SERVING, 'warmup_reference.json'), 'utf8')).predict;
// The conformance input of cnn_keras: x[i] = (i * 7919 % 1000) / 1000, two images.
const X = Float32Array.from({ length: 2 * 32 * 32 * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
const nested = (flat, shape) => {
  if (shape.length === 0) return flat[0];
  const step = flat.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nested(flat.subarray(i * step, (i + 1) * step), shape.slice(1)));
};
const rowsOfX = nested(X, [2, 32, 32, 3]);

// Tolerance: oneDNN's results depend on the batch size in the last bits.
function close(actual, expected, what, tol = 1e-4) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: expected a list, got ${JSON.stringify(actual)?.slice(0, 80)}`);
    assert.equal(actual.length, expected.length, `${what}: length`);
    expected.forEach((e, i) => close(actual[i], e, `${what}[${i}]`, tol));
  } else if (typeof expected === 'number') {
    assert.ok(
      Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
      `${what}: ${actual} vs ${expected}`,
    );
  } else if (expected !== null && typeof expected === 'object') {
    // Objects key by key, so numbers inside ({ predictions: [...] }) get the tolerance too:
    // a model's floats may differ in the last bits with TensorFlow's kernels (oneDNN on / off).
    assert.ok(actual !== null && typeof actual === 'object', `${what}: expected an object, got ${actual}`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: keys`);
    for (const key of Object.keys(expected)) close(actual[key], expected[key], `${what}.${key}`, tol);
  } else assert.deepEqual(actual, expected, what);
}

describe('serving conformance: tfcv serve over HTTP', function () {
  this.timeout(240_000);
  let server;
  let base;
  const url = (p) => `http://127.0.0.1:${server.port}${p}`;
  const call = async (method, p, body, headers = {}) => {
    const res = await fetch(url(p), {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body:
        body === undefined
          ? undefined
          : Buffer.isBuffer(body) || typeof body === 'string'
            ? body
            : JSON.stringify(body),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    let json = null;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      // binary or empty
    }
    return { status: res.status, headers: res.headers, bytes, json };
  };

  before(async () => {
    base = tempBase();
    for (const n of [1, 2]) addVersion(path.join(base, 'cnn'), n, 'cnn_keras');
    addVersion(path.join(base, 'typed'), 1, 'typed_module');
    addVersion(path.join(base, 'det'), 1, 'shapedet');
    fs.writeFileSync(
      path.join(base, 'models.config'),
      `model_config_list {
        config { name: "cnn" base_path: "${base}/cnn" model_version_policy { all {} }
                 version_labels { key: "stable" value: 1 } version_labels { key: "canary" value: 2 } }
        config { name: "typed" base_path: "${base}/typed" }
        config { name: "det" base_path: "${base}/det" }
      }`,
    );
    server = await startServe([
      `--model_config_file=${path.join(base, 'models.config')}`,
      '--file_system_poll_wait_seconds=0',
      '--max_body_bytes=2000000',
    ]);
  });
  after(async () => {
    if (server) {
      const { code } = await server.stop();
      assert.equal(code, 0, `tfcv serve exit code; stderr: ${server.stderr()}`);
      assert.ok(server.events.some((e) => e.event === 'stopped'));
    }
  });

  // ---- TF Serving: Model status API ----
  it('GET /v1/models/{m}: status of every version (GetModelStatusResponse)', async () => {
    const r = await call('GET', '/v1/models/cnn');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      model_version_status: [2, 1].map((v) => ({
        version: String(v),
        state: 'AVAILABLE',
        status: { error_code: 'OK', error_message: '' },
      })),
    });
  });
  it('GET /v1/models/{m}/versions/{v} and /labels/{l}: one version', async () => {
    assert.deepEqual(
      (await call('GET', '/v1/models/cnn/versions/1')).json.model_version_status.map((s) => s.version),
      ['1'],
    );
    assert.deepEqual(
      (await call('GET', '/v1/models/cnn/labels/canary')).json.model_version_status.map((s) => s.version),
      ['2'],
    );
  });
  it('unknown model, version or label: 404 {"error": ...}', async () => {
    for (const p of [
      '/v1/models/half',
      '/v1/models/cnn/versions/9',
      '/v1/models/cnn/labels/beta',
      '/v1/models/half:predict',
    ]) {
      const r = await call(
        p.endsWith('predict') ? 'POST' : 'GET',
        p,
        p.endsWith('predict') ? { instances: [1.0, 5.0] } : undefined,
      );
      assert.equal(r.status, 404, p);
      assert.equal(typeof r.json.error, 'string', p);
      assert.deepEqual(Object.keys(r.json), ['error']);
    }
    assert.equal(
      (await call('POST', '/v1/models/half:predict', { instances: [1.0, 5.0] })).json.error,
      'Servable not found for request: Latest(half)',
    );
  });

  // ---- TF Serving: Model Metadata API ----
  it('GET /v1/models/{m}[/versions/{v}]/metadata: model_spec and signature defs', async () => {
    const r = await call('GET', '/v1/models/cnn/versions/1/metadata');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.model_spec, { name: 'cnn', signature_name: '', version: '1' });
    const sig = r.json.metadata.signature_def.signature_def.serving_default;
    assert.equal(sig.method_name, 'tensorflow/serving/predict');
    assert.deepEqual(sig.inputs.image.dtype, 'DT_FLOAT');
    assert.deepEqual(sig.inputs.image.tensor_shape, {
      dim: ['-1', '32', '32', '3'].map((size) => ({ size, name: '' })),
      unknown_rank: false,
    });
    assert.equal(sig.outputs.output_0.dtype, 'DT_FLOAT');
    assert.equal((await call('GET', '/v1/models/cnn/metadata')).json.model_spec.version, '2'); // latest
  });

  // ---- TF Serving: Predict API ----
  it('row format: "instances" -> "predictions" (one output: a list of values), as TensorFlow computes', async () => {
    const r = await call('POST', '/v1/models/cnn/labels/stable:predict', { instances: rowsOfX });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['predictions']);
    close(r.json.predictions, reference.cnn_keras.output_0, 'predictions');
  });
  it('columnar format: "inputs" -> "outputs"', async () => {
    const r = await call('POST', '/v1/models/cnn/versions/2:predict', { inputs: { image: rowsOfX } });
    assert.equal(r.status, 200);
    close(r.json.outputs, reference.cnn_keras.output_0, 'outputs');
    const single = await call('POST', '/v1/models/cnn:predict', { inputs: rowsOfX });
    close(single.json.outputs, reference.cnn_keras.output_0, 'outputs (unnamed single input)');
  });
  it('several named inputs and outputs, strings, int64 and bool; a scalar output needs the columnar format', async () => {
    const r = await call('POST', '/v1/models/typed:predict', {
      signature_name: 'ints_and_strings',
      inputs: { text: ['ab', 'Cde'], values: [3, -4] },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.outputs, reference.typed_module);
    const rows = await call('POST', '/v1/models/typed:predict', {
      signature_name: 'ints_and_strings',
      instances: [
        { text: 'ab', values: 3 },
        { text: { b64: Buffer.from('Cde').toString('base64') }, values: -4 },
      ],
    });
    assert.equal(rows.status, 400);
    assert.match(rows.json.error, /output 'joined' has shape \[\]/);
  });
  it('{"b64": ...} binary strings in, and (extension) a b64 JPEG/PNG into a float image input', async () => {
    const png = fs.readFileSync(
      path.join(
        __dirname,
        'fixtures',
        'detection',
        'shapes',
        'images',
        fs.readdirSync(path.join(__dirname, 'fixtures', 'detection', 'shapes', 'images'))[0],
      ),
    );
    const r = await call('POST', '/v1/models/det:predict', { instances: [{ b64: png.toString('base64') }] });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json.predictions[0]).sort(), [
      'detection_boxes',
      'detection_classes',
      'detection_scores',
    ]);
    assert.equal(r.json.predictions[0].detection_scores.length, 16);
  });
  it('NaN and Infinity tokens are accepted (JSON conformance section)', async () => {
    const row = JSON.parse(JSON.stringify(rowsOfX[0]));
    row[0][0][0] = '__nan__';
    row[0][0][1] = '__inf__';
    const body = JSON.stringify({ instances: [row] })
      .replace('"__nan__"', 'NaN')
      .replace('"__inf__"', '-Infinity');
    const r = await call('POST', '/v1/models/cnn:predict', body);
    assert.equal(r.status, 200);
    assert.equal(r.json.predictions.length, 1);
  });
  const badPredicts = [
    ['malformed JSON', '{"instances": [1, 2', /JSON Parse error/],
    ['both instances and inputs', { instances: [1], inputs: [1] }, /not both/],
    ['neither instances nor inputs', { signature_name: 'serving_default' }, /Missing 'inputs' or 'instances'/],
    ['unknown signature', { signature_name: 'nope', instances: rowsOfX }, /"nope" not found/],
    ['wrong dtype (strings for floats)', { instances: [[['a']]] }, /expected a number/],
    ['ragged list', { instances: [[[1, 2]], [[1]]] }, /ragged/],
    ['wrong shape', { instances: [[1, 2, 3]] }, /shape|dims|rank/i],
    ['bad b64', { instances: [{ b64: '@@@not base64' }] }, /base64/],
    ['a JSON array body', '[1, 2, 3]', /must be a JSON object/],
  ];
  for (const [name, body, message] of badPredicts) {
    it(`predict with ${name}: 400 {"error": ...}`, async () => {
      const r = await call('POST', '/v1/models/cnn:predict', body);
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.deepEqual(Object.keys(r.json), ['error']);
      assert.match(r.json.error, message);
    });
  }
  it(':classify / :regress on a predict signature: 400 naming the expected method', async () => {
    const r = await call('POST', '/v1/models/cnn:classify', { examples: [{ x: 1 }] });
    assert.equal(r.status, 400);
    assert.match(r.json.error, /Expected classification signature method_name to be tensorflow\/serving\/classify/);
    const g = await call('POST', '/v1/models/cnn:regress', { examples: [{ x: 1 }] });
    assert.match(g.json.error, /tensorflow\/serving\/regress/);
  });
  it('wrong method, unknown path, huge body: 405, 404, 413 — and the server stays up', async () => {
    assert.equal((await call('GET', '/v1/models/cnn:predict')).status, 405);
    assert.equal((await call('GET', '/v1/nothing')).status, 404);
    const huge = await call('POST', '/v1/models/cnn:predict', Buffer.alloc(3_000_000, 32));
    assert.equal(huge.status, 413);
    assert.equal((await call('GET', '/v1/models/cnn')).status, 200);
  });

  // ---- KServe v2 ----
  it('GET /v2/health/live and /v2/health/ready: 200 with an empty body', async () => {
    for (const p of ['/v2/health/live', '/v2/health/ready']) {
      const r = await call('GET', p);
      assert.equal(r.status, 200);
      assert.equal(r.bytes.length, 0);
    }
    assert.equal((await call('GET', '/v2/models/cnn/versions/1/ready')).status, 200);
    assert.equal((await call('GET', '/v2/models/cnn/versions/7/ready')).status, 400);
    assert.equal((await call('GET', '/v2/models/nope/ready')).status, 404);
  });
  it('GET /v2 and /v2/models/{m}: server and model metadata', async () => {
    const s = (await call('GET', '/v2')).json;
    assert.equal(s.name, 'tfcv');
    assert.ok(s.extensions.includes('binary_tensor_data'));
    const m = (await call('GET', '/v2/models/cnn')).json;
    assert.deepEqual(m, {
      name: 'cnn',
      versions: ['1', '2'],
      platform: 'tensorflow_savedmodel',
      inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 32, 32, 3] }],
      outputs: [{ name: 'output_0', datatype: 'FP32', shape: [-1, 10] }],
    });
  });
  it('POST /v2/models/{m}/versions/{v}/infer, JSON', async () => {
    const r = await call('POST', '/v2/models/cnn/versions/1/infer', {
      id: 'req-1',
      inputs: [{ name: 'image', shape: [2, 32, 32, 3], datatype: 'FP32', data: Array.from(X) }],
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.model_name, 'cnn');
    assert.equal(r.json.model_version, '1');
    assert.equal(r.json.id, 'req-1');
    assert.equal(r.json.outputs.length, 1);
    const out = r.json.outputs[0];
    assert.deepEqual([out.name, out.datatype, out.shape], ['output_0', 'FP32', [2, 10]]);
    close(out.data, reference.cnn_keras.output_0.flat(), 'data');
  });
  it('binary tensor data extension: binary input and output (Inference-Header-Content-Length)', async () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'image', shape: [2, 32, 32, 3], datatype: 'FP32', parameters: { binary_data_size: X.byteLength } },
        ],
        outputs: [{ name: 'output_0', parameters: { binary_data: true } }],
      }),
    );
    const r = await call('POST', '/v2/models/cnn/infer', Buffer.concat([header, Buffer.from(X.buffer)]), {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    });
    assert.equal(r.status, 200);
    const n = Number(r.headers.get('inference-header-content-length'));
    const head = JSON.parse(r.bytes.subarray(0, n).toString());
    const out = head.outputs[0];
    assert.deepEqual(
      [out.name, out.datatype, out.shape, out.parameters.binary_data_size],
      ['output_0', 'FP32', [2, 10], 80],
    );
    assert.equal(out.data, undefined);
    const data = new Float32Array(r.bytes.buffer.slice(r.bytes.byteOffset + n, r.bytes.byteOffset + n + 80));
    close(Array.from(data), reference.cnn_keras.output_0.flat(), 'binary output');
  });
  it('binary BYTES and int64 inputs, JSON outputs of every dtype', async () => {
    const strings = ['ab', 'Cde'].map((s) => Buffer.from(s));
    const bytes = Buffer.concat(strings.flatMap((b) => [Buffer.from(Uint32Array.of(b.length).buffer), b]));
    const ints = Buffer.from(BigInt64Array.of(3n, -4n).buffer);
    const header = Buffer.from(
      JSON.stringify({
        parameters: { signature_name: 'ints_and_strings' },
        inputs: [
          { name: 'text', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: bytes.length } },
          { name: 'values', shape: [2], datatype: 'INT64', parameters: { binary_data_size: ints.length } },
        ],
      }),
    );
    const r = await call('POST', '/v2/models/typed/infer', Buffer.concat([header, bytes, ints]), {
      'inference-header-content-length': String(header.length),
    });
    assert.equal(r.status, 200, r.bytes.toString());
    const byName = Object.fromEntries(r.json.outputs.map((o) => [o.name, o]));
    assert.deepEqual(byName.doubled, {
      name: 'doubled',
      datatype: 'INT64',
      shape: [2],
      data: reference.typed_module.doubled,
    });
    assert.deepEqual(byName.positive.data, reference.typed_module.positive);
    assert.deepEqual(byName.upper.data, reference.typed_module.upper);
    assert.deepEqual([byName.joined.shape, byName.joined.data], [[], [reference.typed_module.joined]]);
  });
  const badInfers = [
    [
      'an unknown input',
      { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] },
      400,
      /unexpected inference input 'x'/,
    ],
    [
      'a wrong datatype',
      { inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'INT32', data: [1] }] },
      400,
      /data-type is 'INT32'/,
    ],
    [
      'data not matching the shape',
      { inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', data: [1, 2] }] },
      400,
      /unexpected number of elements/,
    ],
    [
      'an unknown datatype',
      { inputs: [{ name: 'image', shape: [1], datatype: 'FP33', data: [1] }] },
      400,
      /unknown datatype/,
    ],
    [
      'an unknown output',
      {
        inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', data: Array.from(X.subarray(0, 3072)) }],
        outputs: [{ name: 'nope' }],
      },
      400,
      /unexpected inference output 'nope'/,
    ],
    ['no inputs', { inputs: [] }, 400, /non-empty list/],
  ];
  for (const [name, body, status, message] of badInfers) {
    it(`infer with ${name}: ${status} {"error": ...}`, async () => {
      const r = await call('POST', '/v2/models/cnn/infer', body);
      assert.equal(r.status, status);
      assert.deepEqual(Object.keys(r.json), ['error']);
      assert.match(r.json.error, message);
    });
  }
  it('binary data whose sizes do not add up, or a bad header length: 400', async () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', parameters: { binary_data_size: 12288 } }],
      }),
    );
    const short = await call('POST', '/v2/models/cnn/infer', Buffer.concat([header, Buffer.alloc(100)]), {
      'inference-header-content-length': String(header.length),
    });
    assert.equal(short.status, 400);
    assert.match(short.json.error, /run past/);
    const long = await call('POST', '/v2/models/cnn/infer', Buffer.concat([header, Buffer.alloc(12288 + 4)]), {
      'inference-header-content-length': String(header.length),
    });
    assert.match(long.json.error, /add up to 12288/);
    const bad = await call('POST', '/v2/models/cnn/infer', header, { 'inference-header-content-length': 'x' });
    assert.match(bad.json.error, /Inference-Header-Content-Length/);
  });

  // ---- a client in another language: Python requests ----
  it('answers the recorded Python requests client (both protocols, binary included) as it did', async () => {
    // The client needs 'cnn' versions 1-2 and 'typed', which this server has too.
    const { exchanges } = JSON.parse(fs.readFileSync(path.join(SERVING, 'python_client_transcript.json'), 'utf8'));
    assert.ok(exchanges.length >= 14);
    for (const x of exchanges) {
      const body = x.body_b64 === undefined ? undefined : Buffer.from(x.body_b64, 'base64');
      const headers = Object.fromEntries(Object.entries(x.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const r = await call(x.method, x.path, body, headers);
      assert.equal(r.status, x.status, x.name);
      const expected = Buffer.from(x.response_b64, 'base64');
      const n = x.response_headers['inference-header-content-length'];
      if (n !== undefined) {
        const got = Number(r.headers.get('inference-header-content-length'));
        const head = JSON.parse(r.bytes.subarray(0, got).toString());
        assert.deepEqual(head, JSON.parse(expected.subarray(0, Number(n)).toString()), x.name);
        const tail = (b, at) => b.subarray(at);
        if (head.outputs.every((o) => o.datatype === 'FP32')) {
          const f = (b) => Array.from(new Float32Array(Uint8Array.from(b).buffer));
          close(f(tail(r.bytes, got)), f(tail(expected, Number(n))), x.name);
        } else assert.ok(tail(r.bytes, got).equals(tail(expected, Number(n))), x.name);
      } else if (expected.length === 0) {
        assert.equal(r.bytes.length, 0, x.name);
      } else {
        close(r.json, JSON.parse(expected.toString()), x.name);
      }
    }
  });
  const python = process.env.TFCV_PYTHON ?? path.join(os.homedir(), '.cache', 'tfcv', 'venv', 'bin', 'python');
  const hasRequests =
    fs.existsSync(python) && spawnSync(python, ['-c', 'import requests'], { timeout: 30_000 }).status === 0;
  it(`the Python requests client itself (${hasRequests ? python : 'no venv with requests here: the transcript replay above stands in'})`, async function () {
    if (!hasRequests) return;
    const r = spawnSync(python, [path.join(__dirname, '..', 'scripts', 'serving_python_client.py'), '--url', url('')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { exchanges: 14, ok: true });
  });

  // ---- image endpoint and metrics ----
  it('POST /v1/models/{m}/image: a detector answers boxes in the posted image, or the annotated JPEG', async () => {
    const dir = path.join(__dirname, 'fixtures', 'detection', 'shapes', 'images');
    const png = fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]));
    const r = await call('POST', '/v1/models/det/image?min_score=0.5', png, { 'content-type': 'image/png' });
    assert.equal(r.status, 200);
    assert.equal(r.json.task, 'detector');
    assert.ok(r.json.detections.length > 0);
    for (const d of r.json.detections) {
      assert.ok(d.score >= 0.5);
      const [x, y, w, h] = d.box;
      assert.ok(x >= 0 && y >= 0 && x + w <= r.json.image.width + 1e-3 && y + h <= r.json.image.height + 1e-3);
    }
    const jpeg = await call('POST', '/v1/models/det/image?annotate=1', png);
    assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual([...jpeg.bytes.subarray(0, 2)], [0xff, 0xd8]);
    const bad = await call('POST', '/v1/models/det/image', Buffer.from('not an image'));
    assert.equal(bad.status, 400);
  });
  it('GET /metrics and /monitoring/prometheus/metrics: per model and version', async () => {
    const text = (await call('GET', '/monitoring/prometheus/metrics')).bytes.toString();
    assert.match(text, /tfcv_serving_requests_total\{model="cnn",version="1",protocol="tfserving",code="200"\} \d+/);
    assert.match(
      text,
      /tfcv_serving_request_duration_seconds_bucket\{le="0.001",model="cnn",version="1",protocol="v2"\}/,
    );
    assert.match(text, /tfcv_serving_loaded_versions\{model="cnn"\} 2/);
    assert.match(text, /tfcv_serving_resident_bytes\{model="cnn",version="2"\} \d+/);
    assert.match(
      text,
      /tfcv_serving_queue_seconds\{model="cnn",version="1",signature="serving_default",quantile="0.99"\}/,
    );
    assert.match(text, /process_resident_memory_bytes \d+/);
  });
});
