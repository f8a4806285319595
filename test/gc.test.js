// Memory: finalizers run under --expose-gc and return external memory to its baseline;
// create/convert/dispose loops keep RSS within a bound; async conversions interleaved with
// forced GCs never abort the process (the opencv4nodejs failure: V8 called from a
// finalizer inside GC).
'use strict';
const assert = require('node:assert/strict');
const { tfcv, collect } = require('./helpers');
const path = require('node:path');
const { Mat, Tensor, Model, toTensor, toTensorSync, toMat, toMatSync } = tfcv;

const MB = 1024 * 1024;

describe('garbage collection and leaks', () => {
  it('finalizers release tensors, Mats and views; external memory returns to its baseline', async () => {
    await collect();
    const base = tfcv.stats();
    const baseExternal = process.memoryUsage().external;
    (() => {
      for (let i = 0; i < 500; i++) {
        const t = Tensor.alloc('float32', [32, 32, 3]);
        void t.data;
        const m = toMatSync(t, { mode: 'share' });
        void m.data;
        toTensorSync(m, { dtype: 'float64' });
      }
    })();
    const grown = tfcv.stats();
    assert.ok(grown.liveTensors >= base.liveTensors + 1000, 'objects were alive before GC');
    assert.ok(grown.externalBytes > base.externalBytes + 500 * 32 * 32 * 3 * 4);
    await collect(5);
    const end = tfcv.stats();
    assert.equal(end.liveTensors, base.liveTensors, 'every native tensor was released');
    assert.equal(end.liveMats, base.liveMats, 'every native Mat was released');
    assert.equal(end.externalBytes, base.externalBytes, 'external memory accounting is symmetric');
    // V8's own view of external memory came back too (within 1 MB of unrelated noise).
    assert.ok(
      process.memoryUsage().external - baseExternal < MB,
      `external grew by ${process.memoryUsage().external - baseExternal}`,
    );
  });

  it('20,000 create/convert/dispose cycles keep RSS within a bound', async () => {
    const cycle = (i) => {
      const mat = Mat.zeros(64, 64, { channels: 3 });
      const t = toTensorSync(mat, { dtype: 'float32', layout: 'NHWC' });
      const shared = toTensorSync(mat, { mode: 'share' });
      const back = toMatSync(t);
      const view = toMatSync(shared, { mode: 'share' });
      if (i % 2) void view.data;
      for (const o of [view, back, shared, t, mat]) o.dispose();
    };
    for (let i = 0; i < 2000; i++) cycle(i); // warm-up: allocator pools, JIT
    await collect();
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 20000; i++) {
      cycle(i);
      if (i % 2000 === 0) await collect(1);
    }
    await collect();
    const growth = (process.memoryUsage().rss - rssBefore) / MB;
    // One cycle touches ~110 KB of native memory: leaking it would add ~2 GB. The bound
    // leaves room for glibc, which after large frees earlier in the run (decoded images)
    // raises its trim threshold and may keep ~50 MB of freed heap resident (seen: +55 MB).
    assert.ok(growth < 128, `RSS grew by ${growth.toFixed(1)} MB over 20,000 cycles`);
  });

  it('2,000 async conversions with forced GCs in between do not abort the process', async () => {
    await collect();
    const base = tfcv.stats();
    const mat = Mat.zeros(32, 32, { channels: 3 });
    for (let i = 0; i < 2000; i++) {
      // No dispose(): everything is left to the garbage collector on purpose.
      const t = await toTensor(mat, { dtype: 'float32' });
      void t.data;
      const m = await toMat(t, { mode: 'share' });
      void m.data;
      if (i % 25 === 0) global.gc();
    }
    mat.dispose();
    await collect(5);
    const end = tfcv.stats();
    assert.equal(end.liveTensors, base.liveTensors);
    assert.equal(end.liveMats, base.liveMats);
    assert.equal(end.externalBytes, base.externalBytes);
  });

  it('5,000 model runs keep RSS and external memory within a bound', async () => {
    const model = Model.loadSavedModelSync(path.join(__dirname, 'fixtures/models/cnn_module'));
    const image = Tensor.alloc('float32', [4, 32, 32, 3]);
    image.data.fill(0.5);
    const runOnce = async (i) => {
      // Alternate async / sync, plain tensors / array feeds, explicit dispose / GC.
      const out =
        i % 2 ? await model.run({ image }) : model.runSync({ image: { data: image.data, shape: image.shape } });
      void out.probabilities.data[0];
      if (i % 3) for (const t of Object.values(out)) t.dispose();
    };
    for (let i = 0; i < 500; i++) await runOnce(i);
    await collect();
    const base = tfcv.stats();
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 5000; i++) {
      await runOnce(i);
      if (i % 1000 === 0) await collect(1);
    }
    await collect(5);
    const end = tfcv.stats();
    const growth = (process.memoryUsage().rss - rssBefore) / MB;
    model.dispose();
    assert.equal(end.liveTensors, base.liveTensors, 'every output tensor was released');
    assert.equal(end.externalBytes, base.externalBytes, 'external memory is back to its baseline');
    // A run allocates ~50 KB of inputs/outputs: leaking them would add ~250 MB.
    assert.ok(growth < 32, `RSS grew by ${growth.toFixed(1)} MB over 5,000 runs`);
  });
});
