// model.batcher(): concurrent requests merged into one run, each caller handed zero-copy
// row views of the batch outputs that it owns; results equal to unbatched runs (within the
// batching tolerance of test/numerics.js: kernels depend on the batch size); deadlines,
// aborts, a full queue, shape separation, padding to allowed sizes, warm-up, images decoded
// straight into their rows, close / drain, and the same in a worker thread.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const protobuf = require('protobufjs');
const { Worker } = require('node:worker_threads');
const { tfcv, collect, rejectsTyped, throwsTyped, randomBytes } = require('./helpers');
const { assertCloseAsBatched } = require('./numerics');
const { Model, Tensor, BusyError, AbortError, ArgumentError, ShapeError, DisposedError, DecodeError, TfError } = tfcv;

const MODELS = path.join(__dirname, 'fixtures/models');
const load = (name) => Model.loadSavedModelSync(path.join(MODELS, name));
const tick = (ms) => new Promise((r) => setTimeout(r, ms));

/** A float32 tensor of `rows` x rowShape with deterministic values in [0, 1). */
function input(rows, rowShape, seed) {
  const n = rows * rowShape.reduce((a, b) => a * b, 1);
  const bytes = randomBytes(n, seed);
  return Tensor.from(
    Float32Array.from(bytes, (b) => b / 256),
    { shape: [rows, ...rowShape] },
  );
}

/** A frozen graph y = -x over float32 [-1, ...rowDims] (-1 rows: a free row shape). */
function negGraph(rowDims = [2]) {
  const root = protobuf.parse(`
    syntax = "proto3";
    message Dim { int64 size = 1; }
    message Shape { repeated Dim dim = 2; }
    message AttrValue { oneof value { int32 type = 6; Shape shape = 7; } }
    message NodeDef { string name = 1; string op = 2; repeated string input = 3; map<string, AttrValue> attr = 5; }
    message GraphDef { repeated NodeDef node = 1; }
  `).root;
  const GraphDef = root.lookupType('GraphDef');
  const dims = [-1, ...rowDims].map((size) => ({ size }));
  const msg = GraphDef.create({
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 1 }, shape: { shape: { dim: dims } } } },
      { name: 'y', op: 'Neg', input: ['x'], attr: { T: { type: 1 } } },
    ],
  });
  return Buffer.from(GraphDef.encode(msg).finish());
}

describe('model.batcher()', function () {
  this.timeout(60000);
  const models = {};
  before(() => {
    for (const name of ['cnn_keras', 'cnn_module', 'segnet', 'typed_module']) models[name] = load(name);
    models.neg = Model.loadFrozenGraphSync(negGraph());
  });
  after(() => {
    for (const m of Object.values(models)) m.dispose();
  });

  it('merges concurrent calls into one run and gives each caller its own rows', async () => {
    const b = models.cnn_module.batcher({ maxBatchSize: 8 });
    const inputs = [1, 2, 1, 3].map((rows, i) => input(rows, [32, 32, 3], i + 1));
    const results = await Promise.all(inputs.map((x) => b.run({ image: x })));
    const s = b.stats();
    assert.equal(s.batches, 1, 'one run for four same-tick calls');
    assert.deepEqual(s.batchSizeHistogram, { 7: 1 });
    assert.equal(s.images, 7);
    assert.equal(s.requests, 4);
    results.forEach((out, i) => {
      assert.deepEqual(out.logits.shape, [inputs[i].shape[0], 10]);
      assert.equal(out.logits.shared, true, 'a zero-copy view');
    });
    for (const out of results) for (const t of Object.values(out)) t.dispose();
    for (const x of inputs) x.dispose();
    await b.close();
  });

  describe('results equal unbatched runs (within the batching tolerance; exact where guaranteed)', () => {
    const cases = [
      ['cnn_keras', 'image', [32, 32, 3]],
      ['cnn_module', 'image', [32, 32, 3]],
      ['segnet', 'image', [64, 64, 3]],
      ['neg', 'x:0', [2]],
    ];
    for (const [name, key, rowShape] of cases) {
      it(name, async () => {
        const model = models[name];
        const b = model.batcher({ maxBatchSize: 16 });
        const inputs = Array.from({ length: 6 }, (_, i) => input(1 + (i % 2), rowShape, 100 + i));
        const batched = await Promise.all(inputs.map((x) => b.run({ [key]: x })));
        assert.equal(b.stats().batches, 1);
        for (let i = 0; i < inputs.length; i++) {
          const alone = await model.run({ [key]: inputs[i] });
          for (const [out, t] of Object.entries(alone)) {
            const label = `${name} request ${i} output '${out}'`;
            if (name === 'neg') {
              // Negation is exact in IEEE arithmetic whatever kernel runs it: bit for bit.
              assert.deepEqual(Array.from(batched[i][out].data), Array.from(t.data), label);
            } else assertCloseAsBatched(batched[i][out], t, label);
            t.dispose();
            batched[i][out].dispose();
          }
        }
        for (const x of inputs) x.dispose();
        await b.close();
      });
    }

    it('typed_module (uint8 input, int32 output): equal with padding to allowed sizes (integer outputs exact)', async () => {
      const model = models.typed_module;
      const b = model.batcher({ allowedBatchSizes: [2, 4, 8] });
      const inputs = Array.from({ length: 3 }, (_, i) =>
        Tensor.from(randomBytes(8 * 8 * 3, 7 + i), { shape: [1, 8, 8, 3], dtype: 'uint8' }),
      );
      const batched = await Promise.all(inputs.map((x) => b.run({ image: x })));
      const s = b.stats();
      assert.deepEqual([s.batches, s.images], [1, 3]);
      assert.equal(s.paddingShare, 1 / 4, 'three rows padded to four');
      for (let i = 0; i < 3; i++) {
        const alone = await model.run({ image: inputs[i] });
        for (const [out, t] of Object.entries(alone)) {
          // int32 'sum' bit for bit; the float outputs within the batching tolerance.
          assertCloseAsBatched(batched[i][out], t, `request ${i} '${out}'`);
          t.dispose();
        }
      }
      await b.close();
    });
  });

  describe('zero-copy split and ownership', () => {
    it('the split makes no copy; the views are shared and count as zero-copies', async () => {
      const b = models.segnet.batcher();
      const inputs = Array.from({ length: 4 }, (_, i) => input(1, [64, 64, 3], 20 + i));
      await b.run({ image: inputs[0] }); // settle allocators
      const before = tfcv.stats();
      const results = await Promise.all(inputs.map((x) => b.run({ image: x })));
      const after = tfcv.stats();
      assert.equal(after.copies - before.copies, 0, 'no copy counted');
      assert.equal(after.zeroCopies - before.zeroCopies, 4 * 2, 'one view per request and output');
      for (const out of results) for (const t of Object.values(out)) t.dispose();
      await b.close();
    });

    it('views stay valid in any dispose order and after GC of the others; memory returns', async () => {
      await collect();
      const baseline = tfcv.stats().liveTensors;
      const baselineBytes = tfcv.stats().externalBytes;
      const b = models.cnn_module.batcher();
      const inputs = Array.from({ length: 4 }, (_, i) => input(1, [32, 32, 3], 40 + i));
      const results = await Promise.all(inputs.map((x) => b.run({ image: x })));
      const expected = results.map((r) => Array.from(r.logits.data));
      let kept = results[2].logits.data; // a plain view outliving its Tensor
      results[3].logits.dispose();
      results[0].logits.dispose();
      results[0].probabilities.dispose();
      assert.deepEqual(Array.from(results[1].logits.data), expected[1]);
      results[1].logits.dispose();
      results[2].logits.dispose();
      assert.deepEqual(Array.from(kept), expected[2], 'a data view outlives every Tensor of the batch');
      kept = null;
      results.length = 0;
      for (const x of inputs) x.dispose();
      await b.close();
      await collect();
      assert.equal(tfcv.stats().liveTensors, baseline, 'the batch outputs are freed once no view holds them');
      assert.equal(tfcv.stats().externalBytes, baselineBytes, 'external-memory reports returned exactly');
    });

    it('a view fed back into a run: aligned rows are fed without a copy, unaligned rows are copied and counted', async () => {
      const model = models.neg;
      const b = model.batcher();
      const inputs = Array.from({ length: 8 }, (_, i) => input(1, [2], 60 + i));
      const views = (await Promise.all(inputs.map((x) => b.run({ 'x:0': x })))).map((o) => o['y:0']);
      // Row 0 starts at the batch output's (aligned) start; row 1 is 8 bytes further.
      let before = tfcv.stats();
      const back0 = await model.run({ 'x:0': views[0] });
      assert.equal(tfcv.stats().copies - before.copies, 0, 'row 0 is aligned: fed zero-copy');
      assert.deepEqual(Array.from(back0['y:0'].data), Array.from(inputs[0].data), '-(-x) = x');
      before = tfcv.stats();
      const back1 = await model.run({ 'x:0': views[1] });
      const after = tfcv.stats();
      assert.equal(after.copies - before.copies, 1, 'row 1 is not 64-byte aligned: one counted copy');
      assert.equal(after.bytesCopied - before.bytesCopied, 8);
      assert.deepEqual(Array.from(back1['y:0'].data), Array.from(inputs[1].data));
      // Written after a first feed, the view's memory is what the next run sees.
      views[1].data[0] = 5;
      const again = await model.run({ 'x:0': views[1] });
      assert.equal(again['y:0'].data[0], -5);
      for (const t of [...views, back0['y:0'], back1['y:0'], again['y:0'], ...inputs]) t.dispose();
      await b.close();
    });
  });

  describe('queueing', () => {
    it('a lone request on an idle model runs at once; requests arriving during a run wait for company', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 16, maxDelayMs: 1000 });
      const t0 = performance.now();
      const lone = await b.run({ image: input(1, [64, 64, 3], 1) });
      assert.ok(performance.now() - t0 < 500, 'maxDelayMs does not apply to a lone request');
      for (const t of Object.values(lone)) t.dispose();
      // One big run in flight, then 3 stragglers: they go together when it ends.
      const big = b.run({ image: input(16, [64, 64, 3], 2) });
      await tick(1);
      const late = [3, 4, 5].map((s) => b.run({ image: input(1, [64, 64, 3], s) }));
      await big;
      const out = await Promise.all(late);
      const s = b.stats();
      assert.deepEqual(s.batchSizeHistogram, { 1: 1, 3: 1, 16: 1 });
      assert.ok(s.queueWaitMs.p99 > 0);
      for (const o of out) for (const t of Object.values(o)) t.dispose();
      await b.close();
    });

    it('with a slot free beside a running batch, requests wait maxDelayMs for company, then start a second batch', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 256, maxDelayMs: 30, concurrency: 2 });
      const big = b.run({ image: input(256, [64, 64, 3], 1) });
      await tick(1);
      const t0 = performance.now();
      const small = [2, 3].map((s) => b.run({ image: input(1, [64, 64, 3], s) }));
      // One turn of the loop (not a timer: on a loaded machine a 5 ms timer can fire after 30 ms).
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual([b.stats().queued, b.stats().running], [2, 1], 'waiting for company');
      await Promise.all(small);
      const waited = performance.now() - t0;
      assert.ok(waited >= 29, `started after ${waited.toFixed(1)} ms`);
      await big;
      assert.deepEqual(b.stats().batchSizeHistogram, { 2: 1, 256: 1 });
      await b.close();
    });

    it('a request alone in its batch is fed and answered as model.run would (no concatenation, no views)', async () => {
      const b = models.cnn_module.batcher();
      const x = input(1, [32, 32, 3], 9);
      const before = tfcv.stats();
      const out = await b.run({ image: x });
      assert.equal(out.logits.shared, false, 'the run output itself');
      assert.equal(tfcv.stats().copies - before.copies, 0);
      const ref = await models.cnn_module.run({ image: x });
      assert.deepEqual(Array.from(out.logits.data), Array.from(ref.logits.data));
      // Disposed right after the call: the batcher reads the memory it pinned instead.
      const y = input(1, [32, 32, 3], 10);
      const pending = b.run({ image: y });
      const expected = Array.from(y.data);
      y.dispose();
      const out2 = await pending;
      const ref2 = await models.cnn_module.run({
        image: Tensor.from(Float32Array.from(expected), { shape: [1, 32, 32, 3] }),
      });
      assert.deepEqual(Array.from(out2.logits.data), Array.from(ref2.logits.data));
      await b.close();
    });

    it('a full queue rejects at once with BusyError (code ERR_TFCV_BUSY)', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 1, maxQueue: 2 });
      const running = b.run({ image: input(1, [64, 64, 3], 1) });
      await tick(0); // dispatched: the queue is empty again
      const queued = [b.run({ image: input(1, [64, 64, 3], 2) }), b.run({ image: input(1, [64, 64, 3], 3) })];
      const full = b.run({ image: input(1, [64, 64, 3], 4) });
      await rejectsTyped(full, BusyError, /queue is full \(2 requests waiting, maxQueue 2\)/);
      await full.catch((e) => assert.equal(e.code, 'ERR_TFCV_BUSY'));
      await Promise.all([running, ...queued]);
      assert.equal(b.stats().rejected.full, 1);
      await b.close();
    });

    it('a request whose deadline passes while queued is rejected without running', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 256, concurrency: 1 });
      const big = b.run({ image: input(256, [64, 64, 3], 1) }); // ~100+ ms
      await tick(1);
      const late = b.run({ image: input(1, [64, 64, 3], 2) }, { timeoutMs: 5 });
      await rejectsTyped(late, TfError, /deadline of 5 ms passed while queued/);
      await late.catch((e) => assert.equal(e.tfCode, 'DEADLINE_EXCEEDED'));
      await big;
      await tick(10);
      const s = b.stats();
      assert.equal(s.rejected.deadline, 1);
      assert.equal(s.batches, 1, 'the expired request never ran');
      await b.close();
    });

    it('an aborted request leaves the queue', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 256, concurrency: 1 });
      const big = b.run({ image: input(256, [64, 64, 3], 1) });
      await tick(1);
      const ac = new AbortController();
      const aborted = b.run({ image: input(1, [64, 64, 3], 2) }, { signal: ac.signal });
      const kept = b.run({ image: input(1, [64, 64, 3], 3) });
      assert.equal(b.stats().queued, 2);
      ac.abort();
      await rejectsTyped(aborted, AbortError, /aborted while queued/);
      assert.equal(b.stats().queued, 1);
      await big;
      await kept;
      const s = b.stats();
      assert.equal(s.rejected.aborted, 1);
      assert.deepEqual(s.batchSizeHistogram, { 1: 1, 256: 1 }, 'the aborted request never ran');
      await rejectsTyped(
        b.run({ image: input(1, [64, 64, 3], 4) }, { signal: AbortSignal.abort() }),
        AbortError,
        /before it started/,
      );
      await b.close();
    });

    it('a shape the signature refuses is refused before queueing; the others still run', async () => {
      const bb = models.cnn_module.batcher();
      const shapes = await Promise.allSettled([
        bb.run({ image: input(1, [32, 32, 3], 1) }),
        bb.run({ image: input(1, [16, 16, 3], 2) }),
      ]);
      assert.equal(shapes[0].status, 'fulfilled');
      assert.equal(shapes[1].status, 'rejected');
      assert.ok(shapes[1].reason instanceof ShapeError, String(shapes[1].reason));
      await bb.close();
    });

    it('feeds with different non-batch shapes never share a batch (separate queues)', async () => {
      const model = Model.loadFrozenGraphSync(negGraph([-1]));
      const b = model.batcher();
      const r = await Promise.all([
        b.run({ 'x:0': input(1, [2], 1) }),
        b.run({ 'x:0': input(1, [3], 2) }),
        b.run({ 'x:0': input(1, [2], 3) }),
      ]);
      assert.deepEqual(
        r.map((o) => o['y:0'].shape),
        [
          [1, 2],
          [1, 3],
          [1, 2],
        ],
      );
      assert.deepEqual(
        Array.from(r[1]['y:0'].data),
        Array.from(input(1, [3], 2).data, (x) => -x),
      );
      assert.deepEqual(b.stats().batchSizeHistogram, { 1: 1, 2: 1 }, '[2] rows together, the [3] row alone');
      await b.close();
      model.dispose();
    });
  });

  describe('images straight into the batch', () => {
    it('decodes each JPEG into its row; equal to preprocess + an unbatched run; a bad image fails alone', async () => {
      const model = models.segnet;
      const spec = { scale: 1 / 255 };
      const b = model.batcher({ preprocess: spec });
      const jpegs = await Promise.all(
        [48, 64, 96].map((size) => {
          const mat = tfcv.Mat.zeros(size, size, { channels: 3 });
          mat.circle({ x: size / 2, y: size / 2 }, size / 4, [255, 255, 255], { thickness: 'filled' });
          return mat.encode('jpeg');
        }),
      );
      const results = await Promise.allSettled([
        ...jpegs.map((j) => b.run({ image: j })),
        b.run({ image: Buffer.from('not an image') }),
      ]);
      assert.equal(b.stats().batches, 1);
      assert.equal(results[3].status, 'rejected');
      assert.ok(results[3].reason instanceof DecodeError, String(results[3].reason));
      assert.match(results[3].reason.message, /^input 'image': not a decodable image/);
      const full = tfcv.specFromSignature(model.inputs().image, spec);
      for (let i = 0; i < 3; i++) {
        const x = await tfcv.preprocess([jpegs[i]], full);
        const alone = await model.run({ image: x });
        assertCloseAsBatched(results[i].value.foreground, alone.foreground, `image ${i}`);
      }
      assert.equal(b.stats().rejected.failed, 1);
      await b.close();
    });

    it('without options.preprocess an encoded image is refused', async () => {
      const b = models.segnet.batcher();
      await rejectsTyped(b.run({ image: Buffer.from([1, 2, 3]) }), ArgumentError, /input 'image'/);
      await b.close();
    });
  });

  describe('warm-up, close and bad options', () => {
    it('warmup runs every allowed size before the first request', async () => {
      const b = models.segnet.batcher({ allowedBatchSizes: [1, 4], warmup: true });
      const early = b.run({ image: input(1, [64, 64, 3], 1) });
      await b.ready;
      await early;
      assert.deepEqual(b.stats().batchSizeHistogram, { 1: 1 }, 'warm-up runs are not counted as batches');
      await b.close();
    });

    it('close() runs what is queued, then refuses', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 256, maxDelayMs: 10000, concurrency: 1 });
      const big = b.run({ image: input(256, [64, 64, 3], 1) });
      await tick(1);
      const queued = b.run({ image: input(1, [64, 64, 3], 2) });
      const closing = b.close();
      await rejectsTyped(b.run({ image: input(1, [64, 64, 3], 3) }), DisposedError, /closed/);
      await closing;
      assert.deepEqual((await queued).foreground.shape, [1, 64, 64, 1]);
      await big;
      assert.equal(b.stats().batches, 2);
    });

    it('bad options and feeds are typed errors', () => {
      const m = models.segnet;
      throwsTyped(() => m.batcher({ maxBatchSize: 0 }), ArgumentError, /options.maxBatchSize/);
      throwsTyped(() => m.batcher({ allowedBatchSizes: [4, 2] }), ArgumentError, /ascending/);
      throwsTyped(() => m.batcher({ allowedBatchSizes: [2, 4], maxBatchSize: 8 }), ArgumentError, /must equal/);
      throwsTyped(() => m.batcher({ maxDelayMs: -1 }), ArgumentError, /maxDelayMs/);
      throwsTyped(() => m.batcher({ outputs: ['nope'] }), ArgumentError, /unknown output/);
      throwsTyped(() => m.batcher('fast'), ArgumentError, /options/);
      throwsTyped(() => models.cnn_module.batcher({ signature: 'classify_features' }), ShapeError, /temperature/);
      const gone = load('segnet');
      gone.dispose();
      throwsTyped(() => gone.batcher(), DisposedError, /disposed/);
    });

    it('a model disposed under a batcher: its requests reject with DisposedError', async () => {
      const m = load('segnet');
      const b = m.batcher();
      m.dispose();
      await rejectsTyped(b.run({ image: input(1, [64, 64, 3], 1) }), DisposedError);
      assert.equal(b.stats().rejected.failed, 1);
      await b.close();
    });

    it('bad feeds reject: unknown input, batch too big, mismatched rows, timeoutMs', async () => {
      const b = models.segnet.batcher({ maxBatchSize: 4 });
      await rejectsTyped(b.run({ nope: 1 }), ArgumentError, /unknown input 'nope'/);
      await rejectsTyped(b.run({ image: input(5, [64, 64, 3], 1) }), ShapeError, /1\.\.4/);
      await rejectsTyped(b.run(null), ArgumentError, /feeds/);
      await rejectsTyped(b.run({ image: input(1, [64, 64, 3], 1) }, { timeoutMs: 0 }), ArgumentError, /timeoutMs/);
      await b.close();
    });
  });

  it('works in a worker thread', async () => {
    const worker = new Worker(path.join(__dirname, 'workers/batcher-worker.js'), {
      workerData: { model: path.join(MODELS, 'segnet') },
    });
    // Listen for 'exit' first: a worker that posts and exits at once has its message and its
    // exit delivered in one turn, and a listener added after the message would miss the exit.
    const exited = new Promise((r) => worker.once('exit', r));
    const result = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await exited;
    assert.deepEqual(result, {
      batches: 1,
      shapes: [
        [1, 64, 64, 1],
        [2, 64, 64, 1],
        [1, 64, 64, 1],
      ],
    });
  });
});
