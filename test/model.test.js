// Model runtime against Python TensorFlow: signatures read from the MetaGraphDef, outputs
// equal to the reference (async and sync, batch 1 and 3) for every fixture model, and the
// behaviour around runs: concurrency, an event loop that stays responsive, deadlines,
// cancellation, disposal during a run.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');
const { manifest, feedsOf, assertMatches, MODELS } = require('./reference');
const { Model, Tensor, Mat, TfError, ArgumentError, DTypeError, ShapeError, DisposedError, AbortError } = tfcv;

const SIGNATURE_FIXTURES = [
  ['cnn_keras', 'serving_default'],
  ['cnn_module', 'serving_default'],
  ['cnn_module', 'embed'],
  ['cnn_module', 'classify_features'],
  ['typed_module', 'serving_default'],
  ['typed_module', 'ints_and_strings'],
  ['segnet', 'serving_default'],
];

const loaded = new Map();
function model(name) {
  if (!loaded.has(name)) loaded.set(name, Model.loadSavedModelSync(path.join(MODELS, name)));
  return loaded.get(name);
}

describe('Model', () => {
  after(() => {
    for (const m of loaded.values()) m.dispose();
  });

  describe('signatures are read from the MetaGraphDef', () => {
    for (const name of ['cnn_keras', 'cnn_module', 'typed_module', 'segnet']) {
      it(name, () => {
        const ref = manifest(name);
        const m = model(name);
        assert.equal(m.format, 'saved-model');
        assert.deepEqual(m.metaGraph.tags, ref.meta_graph.tags);
        const expectedKeys = Object.keys(ref.signatures).sort();
        assert.deepEqual(Object.keys(m.signatures).sort(), expectedKeys);
        for (const key of expectedKeys) {
          for (const side of ['inputs', 'outputs']) {
            const want = ref.signatures[key][side];
            const got = m.signatures[key][side];
            assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${key}.${side} keys`);
            for (const [k, spec] of Object.entries(want)) {
              assert.deepEqual(
                { name: got[k].name, dtype: got[k].dtype, shape: got[k].shape },
                { name: spec.name, dtype: spec.dtype, shape: spec.shape },
                `${key}.${side}.${k}`,
              );
            }
          }
        }
      });
    }

    it('a frozen graph exposes its placeholders and outputs by tensor name', () => {
      const ref = manifest('frozen');
      const m = Model.loadFrozenGraphSync(path.join(MODELS, 'frozen/graph.pb'));
      const placeholders = m.operations().filter((o) => o.type === 'Placeholder');
      assert.deepEqual(
        placeholders.map((p) => [p.name, p.dtype, p.shape]),
        [['input', 'float32', ref.inputs.input.shape]],
      );
      assert.deepEqual(Object.keys(m.inputs()), ['input:0']);
      assert.ok(Object.keys(m.outputs()).length >= 1);
      m.dispose();
    });
  });

  describe('outputs equal the Python TensorFlow reference', () => {
    for (const [name, signature] of SIGNATURE_FIXTURES) {
      it(`${name} / ${signature}: async and sync, every case`, async () => {
        const ref = manifest(`${name}__${signature}`);
        const m = model(name);
        assert.ok(ref.cases.some((c) => c.name === 'batch1') && ref.cases.some((c) => c.name === 'batch3'));
        for (const testCase of ref.cases) {
          const feeds = feedsOf(testCase);
          const asyncOut = await m.run(feeds, { signature });
          const syncOut = m.runSync(feeds, { signature });
          for (const [key, entry] of Object.entries(testCase.outputs)) {
            assertMatches(asyncOut[key], entry, `${testCase.name}.${key} (async)`);
            assertMatches(syncOut[key], entry, `${testCase.name}.${key} (sync)`);
          }
          for (const t of [...Object.values(feeds), ...Object.values(asyncOut), ...Object.values(syncOut)]) t.dispose();
        }
      });
    }

    it('frozen graph: async and sync, fetching the named output', async () => {
      const ref = manifest('frozen');
      const m = await Model.loadFrozenGraph(fs.readFileSync(path.join(MODELS, 'frozen/graph.pb')));
      for (const testCase of ref.cases) {
        const feeds = { 'input:0': feedsOf(testCase).input };
        const a = await m.run(feeds, { outputs: ['output:0'] });
        const s = m.runSync(feeds, { outputs: ['output:0'] });
        assertMatches(a['output:0'], testCase.outputs.output, `${testCase.name} async`);
        assertMatches(s['output:0'], testCase.outputs.output, `${testCase.name} sync`);
      }
      m.dispose();
    });

    it('feeds may be typed arrays with a shape, or Mats converted per the bridge rules', async () => {
      const ref = manifest('typed_module__serving_default');
      const c = ref.cases.find((x) => x.name === 'batch1');
      const image = feedsOf(c).image;
      const m = model('typed_module');
      const fromArray = await m.run({ image: { data: new Uint8Array(image.data), shape: image.shape } });
      assertMatches(fromArray.sum, c.outputs.sum, 'array feed');
      const mat = Mat.fromBuffer(image.data, { rows: 8, cols: 8, channels: 3 });
      const fromMat = m.runSync({ image: mat });
      assertMatches(fromMat.channel_sum, c.outputs.channel_sum, 'Mat feed');
      assert.equal(mat.disposed, false, 'a Mat feed is not consumed');
    });

    it('selects outputs and signatures by key', async () => {
      const m = model('cnn_module');
      const x = Tensor.alloc('float32', [2, 32, 32, 3]);
      x.data.fill(0.25);
      const only = await m.run({ image: x }, { outputs: ['probabilities'] });
      assert.deepEqual(Object.keys(only), ['probabilities']);
      const emb = await m.run({ image: x }, { signature: 'embed' });
      assert.deepEqual(emb.embedding.shape, [2, 16]);
    });
  });

  describe('concurrency and the event loop', () => {
    it('64 concurrent runs on one model all return the right results', async () => {
      const ref = manifest('cnn_module__serving_default');
      const m = model('cnn_module');
      const cases = ref.cases.map((c) => ({ c, feeds: feedsOf(c) }));
      const runs = Array.from({ length: 64 }, (_, i) => cases[i % cases.length]);
      const results = await Promise.all(runs.map(({ feeds }) => m.run(feeds)));
      results.forEach((out, i) => {
        for (const [key, entry] of Object.entries(runs[i].c.outputs)) assertMatches(out[key], entry, `run ${i} ${key}`);
      });
    });

    it('a run of at least 200 ms keeps the event loop responsive (delay p99 < 20 ms)', async () => {
      const m = model('segnet');
      const x = Tensor.alloc('float32', [384, 64, 64, 3]);
      x.data.fill(0.5);
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      histogram.enable();
      const start = process.hrtime.bigint();
      const out = await m.run({ image: x });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      histogram.disable();
      clearInterval(timer);
      assert.ok(ms >= 200, `the run took ${ms.toFixed(0)} ms; it must take at least 200 ms to prove anything`);
      const p99 = histogram.percentile(99) / 1e6;
      assert.ok(p99 < 20, `event-loop delay p99 ${p99.toFixed(1)} ms`);
      assert.ok(ticks >= ms / 5 / 2, `the timer fired ${ticks} times in ${ms.toFixed(0)} ms`);
      assert.deepEqual(out.foreground.shape, [384, 64, 64, 1]);
    });
  });

  describe('deadlines, cancellation and disposal', () => {
    const slowInput = () => {
      const x = Tensor.alloc('float32', [256, 64, 64, 3]);
      x.data.fill(0.5);
      return x;
    };

    it('timeoutMs ends a slow run with TfError DEADLINE_EXCEEDED', async () => {
      const m = model('segnet');
      await rejectsTyped(m.run({ image: slowInput() }, { timeoutMs: 1 }), TfError, /DEADLINE_EXCEEDED/);
      assert.throws(
        () => m.runSync({ image: slowInput() }, { timeoutMs: 1 }),
        (e) => e instanceof TfError && e.tfCode === 'DEADLINE_EXCEEDED',
      );
      throwsTyped(() => m.runSync({ image: slowInput() }, { timeoutMs: -5 }), ArgumentError, /timeoutMs/);
    });

    it('an AbortSignal rejects at once and the native results are freed when the run ends', async () => {
      const m = model('segnet');
      const before = tfcv.stats().liveTensors;
      const controller = new AbortController();
      const started = process.hrtime.bigint();
      const pending = m.run({ image: slowInput() }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 5);
      await rejectsTyped(pending, AbortError, /aborted/);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 100, `rejected after ${ms.toFixed(0)} ms`);
      await rejectsTyped(
        m.run({ image: slowInput() }, { signal: AbortSignal.abort() }),
        AbortError,
        /before it started/,
      );
      // Let the native run finish; its outputs must not stay alive.
      await new Promise((r) => setTimeout(r, 400));
      await require('./helpers').collect();
      assert.ok(tfcv.stats().liveTensors <= before + 1, `live tensors ${tfcv.stats().liveTensors} vs ${before}`);
    });

    it('disposing the model during runs lets them finish; later calls throw DisposedError', async () => {
      const m = Model.loadSavedModelSync(path.join(MODELS, 'segnet'));
      const runs = [m.run({ image: slowInput() }), m.run({ image: slowInput() })];
      m.dispose();
      assert.equal(m.disposed, true);
      const outs = await Promise.all(runs);
      assert.deepEqual(outs[1].foreground.shape, [256, 64, 64, 1]);
      await rejectsTyped(m.run({ image: slowInput() }), DisposedError, /disposed/);
      throwsTyped(() => m.runSync({ image: slowInput() }), DisposedError);
    });

    it('inputs are pinned: disposing or transferring them during a run is safe', async () => {
      const m = model('segnet');
      const x = slowInput();
      const array = new Float32Array(256 * 64 * 64 * 3).fill(0.5);
      const a = m.run({ image: x });
      const b = m.run({ image: { data: array, shape: [256, 64, 64, 3] } });
      x.dispose();
      structuredClone(array.buffer, { transfer: [array.buffer] });
      const [ra, rb] = await Promise.all([a, b]);
      assert.deepEqual(Array.from(ra.foreground.data.subarray(0, 8)), Array.from(rb.foreground.data.subarray(0, 8)));
    });
  });

  describe('bad inputs are typed errors and never kill the process', () => {
    let tmp;
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-model-'));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('a missing model directory (checked before TensorFlow opens anything: ArgumentError naming the cause)', async () => {
      await rejectsTyped(Model.loadSavedModel(path.join(tmp, 'nope')), ArgumentError, /nope.*no such file/);
      throwsTyped(() => Model.loadSavedModelSync(path.join(tmp, 'nope')), ArgumentError);
      await rejectsTyped(Model.loadSavedModel(''), ArgumentError, /dir/);
      await rejectsTyped(Model.loadSavedModel(42), ArgumentError);
    });

    it('a corrupt saved_model.pb', async () => {
      const dir = path.join(tmp, 'corrupt');
      fs.cpSync(path.join(MODELS, 'cnn_keras'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'saved_model.pb'), Buffer.from('this is not a protobuf at all, just text'));
      await rejectsTyped(Model.loadSavedModel(dir), TfError);
      const truncated = path.join(tmp, 'truncated');
      fs.cpSync(path.join(MODELS, 'cnn_keras'), truncated, { recursive: true });
      const pb = fs.readFileSync(path.join(MODELS, 'cnn_keras/saved_model.pb'));
      fs.writeFileSync(path.join(truncated, 'saved_model.pb'), pb.subarray(0, pb.length >> 1));
      await rejectsTyped(Model.loadSavedModel(truncated), TfError);
    });

    it('a corrupt frozen graph', async () => {
      await rejectsTyped(Model.loadFrozenGraph(Buffer.from('garbage garbage garbage')), TfError, /GraphDef/);
      const pb = fs.readFileSync(path.join(MODELS, 'frozen/graph.pb'));
      await rejectsTyped(Model.loadFrozenGraph(pb.subarray(0, pb.length - 100)), TfError);
      await rejectsTyped(Model.loadFrozenGraph(Buffer.alloc(0)), ArgumentError, /empty/);
      await rejectsTyped(Model.loadFrozenGraph(path.join(tmp, 'missing.pb')), Error, /ENOENT/);
      throwsTyped(() => Model.loadFrozenGraphSync(12), ArgumentError);
    });

    it('a wrong tag and an unknown signature', async () => {
      await rejectsTyped(Model.loadSavedModel(path.join(MODELS, 'cnn_keras'), { tags: ['train'] }), TfError, /train/);
      await rejectsTyped(
        Model.loadSavedModel(path.join(MODELS, 'cnn_keras'), { signature: 'predict' }),
        ArgumentError,
        /'predict'.*serving_default/,
      );
      const x = Tensor.alloc('float32', [1, 32, 32, 3]);
      await rejectsTyped(
        model('cnn_keras').run({ image: x }, { signature: 'nope' }),
        ArgumentError,
        /unknown signature/,
      );
    });

    it('unknown or missing feeds, wrong dtype, rank and static dims name the input', async () => {
      const m = model('cnn_keras');
      const good = Tensor.alloc('float32', [1, 32, 32, 3]);
      await rejectsTyped(m.run({ image: good, extra: good }), ArgumentError, /unknown input 'extra'.*image/);
      await rejectsTyped(m.run({}), ArgumentError, /missing input 'image'/);
      await rejectsTyped(
        m.run({ image: Tensor.alloc('uint8', [1, 32, 32, 3]) }),
        DTypeError,
        /input 'image': expected float32 \[-1,32,32,3\], got uint8 \[1,32,32,3\]/,
      );
      await rejectsTyped(
        m.run({ image: Tensor.alloc('float32', [32, 32, 3]) }),
        ShapeError,
        /input 'image': expected rank 4/,
      );
      await rejectsTyped(
        m.run({ image: Tensor.alloc('float32', [1, 32, 31, 3]) }),
        ShapeError,
        /got float32 \[1,32,31,3\] \(dim 2\)/,
      );
      await rejectsTyped(
        m.run({ image: { data: new Float64Array(3072), shape: [1, 32, 32, 3] } }),
        DTypeError,
        /input 'image'/,
      );
      await rejectsTyped(m.run({ image: 'cat.jpg' }), ArgumentError, /input 'image'/);
      await rejectsTyped(m.run(null), ArgumentError, /feeds/);
      await rejectsTyped(m.run({ image: good }, { outputs: ['nope'] }), ArgumentError, /unknown output/);
      await rejectsTyped(m.run({ image: good }, { signal: 'stop' }), ArgumentError, /AbortSignal/);
      const disposedInput = Tensor.alloc('float32', [1, 32, 32, 3]);
      disposedInput.dispose();
      await rejectsTyped(m.run({ image: disposedInput }), DisposedError);
    });

    it('a model whose signatures read variables it never restores fails at load with what to do', async () => {
      await assert.rejects(Model.loadSavedModel(path.join(MODELS, 'keras_layer_module')), (e) => {
        assert.ok(e instanceof TfError);
        assert.equal(e.tfCode, 'FAILED_PRECONDITION');
        assert.match(e.message, /dense\/kernel/);
        assert.match(e.message, /model\.export/);
        return true;
      });
    });

    it('load options are validated', async () => {
      await rejectsTyped(
        Model.loadSavedModel(path.join(MODELS, 'cnn_keras'), { intraOpThreads: 0 }),
        ArgumentError,
        /intraOpThreads/,
      );
      await rejectsTyped(
        Model.loadSavedModel(path.join(MODELS, 'cnn_keras'), { tags: 'serve' }),
        ArgumentError,
        /tags/,
      );
      await rejectsTyped(
        Model.loadSavedModel(path.join(MODELS, 'cnn_keras'), { warmup: 'yes' }),
        ArgumentError,
        /warmup/,
      );
    });
  });

  it('warm-up at load runs zeros through the default signature', async () => {
    const m = await Model.loadSavedModel(path.join(MODELS, 'typed_module'), {
      warmup: true,
      intraOpThreads: 1,
      interOpThreads: 1,
    });
    const out = m.runSync({ image: Tensor.from(new Uint8Array(8 * 8 * 3), { shape: [1, 8, 8, 3] }) });
    assert.deepEqual(Array.from(out.sum.data), [0]);
    m.dispose();
  });
});
