// Issue 21, findings 1-3: batched outputs belong to the scope of the caller that asked for
// them (not to the scope whose async context happened to start the batch); the batcher's
// array options are length-checked and holes refused; a request's timeoutMs follows
// model.run's rule at run() time, so one request's option never fails its batch.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { tfcv, collect, rejectsTyped, throwsTyped } = require('./helpers');

const SEGNET = path.join(__dirname, 'fixtures/models/segnet');
const { ArgumentError } = tfcv;
const tick = (ms) => new Promise((r) => setTimeout(r, ms));

function sparse(length) {
  const a = [];
  a.length = length;
  return a;
}

describe('batcher: scopes, array options, deadlines (issue 21)', function () {
  let model;
  before(async () => {
    model = await tfcv.loadSavedModel(SEGNET);
  });
  after(() => model.dispose());
  const input = (value = 0) => {
    const t = tfcv.Tensor.alloc('float32', [1, 64, 64, 3]);
    t.data.fill(value);
    return t;
  };

  it('each concurrent scope keeps its batched outputs while other scopes close', async () => {
    const b = model.batcher({ maxDelayMs: 20 });
    try {
      // One request runs, so the next four queue and run as one batch started from some
      // other request's async context; the scopes then close one after another.
      const first = tfcv.scope(async () => {
        await b.run({ image: input() });
      });
      const handlers = [0, 1, 2, 3].map((i) =>
        tfcv.scope(async () => {
          const out = await b.run({ image: input(i / 4) });
          await tick(15 * i); // the other handlers' scopes close meanwhile
          assert.equal(out.foreground.disposed, false);
          return out.foreground.data[0];
        }),
      );
      const results = await Promise.allSettled(handlers);
      await first;
      for (const r of results) assert.equal(r.status, 'fulfilled', r.reason && r.reason.stack);
    } finally {
      await b.close();
    }
    await collect();
    assert.equal(tfcv.stats().liveTensors, 0, 'every scope disposed its own outputs');
  });

  it('a scope disposes the outputs it was handed (and only those), wherever the batch ran', async () => {
    const b = model.batcher({ maxDelayMs: 20 });
    try {
      const leaked = [];
      await Promise.all(
        [0, 1, 2].map(() =>
          tfcv.scope(async () => {
            const out = await b.run({ image: input() });
            leaked.push(out.foreground, out.classes);
          }),
        ),
      );
      assert.equal(leaked.length, 6);
      for (const t of leaked) assert.equal(t.disposed, true);
      // Outside any scope the caller owns its outputs.
      const out = await b.run({ image: input() });
      assert.equal(out.foreground.disposed, false);
      for (const t of Object.values(out)) t.dispose();
    } finally {
      await b.close();
    }
  });

  it('allowedBatchSizes with a hole is an ArgumentError at construction (was: run() spun forever)', () => {
    // eslint-disable-next-line no-sparse-arrays
    throwsTyped(() => model.batcher({ allowedBatchSizes: [4, ,] }), ArgumentError, /allowedBatchSizes\[1\].*undefined/);
    // eslint-disable-next-line no-sparse-arrays
    throwsTyped(() => model.batcher({ allowedBatchSizes: [, 4] }), ArgumentError, /allowedBatchSizes\[0\]/);
  });

  it('array options of length 2^32-1 are refused before anything iterates them', () => {
    const started = Date.now();
    throwsTyped(() => model.batcher({ allowedBatchSizes: sparse(2 ** 32 - 1) }), ArgumentError, /at most 65536/);
    throwsTyped(() => model.batcher({ outputs: sparse(2 ** 32 - 1) }), ArgumentError, /at most 4096/);
    // eslint-disable-next-line no-sparse-arrays
    throwsTyped(() => model.batcher({ outputs: ['foreground', , 'classes'] }), ArgumentError, /unknown output/);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  it("timeoutMs is checked at run() by model.run's rule: 2^31 and fractions rejected, the batch unharmed", async () => {
    const b = model.batcher({ maxDelayMs: 20 });
    try {
      const first = b.run({ image: input() }); // running: the next requests queue behind it
      const bad = b.run({ image: input() }, { timeoutMs: 2 ** 31 });
      const good = b.run({ image: input() }, { timeoutMs: 60000 });
      await rejectsTyped(bad, ArgumentError, /options\.timeoutMs: expected an integer in 1\.\.2147483647/);
      await rejectsTyped(b.run({ image: input() }, { timeoutMs: 0.5 }), ArgumentError, /timeoutMs/);
      const outs = await Promise.all([first, good]);
      for (const o of outs) for (const t of Object.values(o)) t.dispose();
      // The largest accepted deadline is one model.run accepts too.
      const max = await b.run({ image: input() }, { timeoutMs: 2 ** 31 - 1 });
      for (const t of Object.values(max)) t.dispose();
    } finally {
      await b.close();
    }
  });

  it('close() settles after the warm-up runs (found by the batcher fuzz target: they outlived close())', async () => {
    const b = model.batcher({ allowedBatchSizes: [1, 2, 4], warmup: true });
    let warmed = false;
    b.ready.then(() => (warmed = true));
    // A request refused while warming up does not change that.
    await rejectsTyped(b.run({ image: tfcv.Tensor.alloc('float32', [8, 64, 64, 3]) }), tfcv.ShapeError, /1\.\.4/);
    await b.close();
    assert.equal(warmed, true);
    await collect();
    assert.equal(tfcv.stats().liveTensors, 0);
  });
});
