// Leak loop for the image pipeline: 20,000 decodes and 20,000 preprocessed images of a
// small JPEG, with failing inputs mixed in (DecodeError paths must free what they
// allocated too), keep RSS within a bound and return every native object.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, collect } = require('./helpers');
const { image } = require('./image-reference.test.js');
const { Mat, DecodeError } = tfcv;

const MB = 1024 * 1024;

describe('image pipeline leak loop', () => {
  it('20,000 decode / resize and 20,000 preprocessed images (with failures mixed in) keep RSS within a bound', async () => {
    const source = Mat.decodeSync(image('photo_640x480.jpg')).resizeSync(
      { width: 64, height: 48 },
      { interpolation: 'area' },
    );
    const jpeg = source.encodeSync('jpeg', { quality: 90 });
    source.dispose();
    const truncated = jpeg.subarray(0, jpeg.length >> 1);
    const spec = { width: 32, height: 32, resize: 'letterbox', fill: 114, scale: 1 / 255, layout: 'NCHW' };
    const batch = new Array(16).fill(jpeg);
    let decodeErrors = 0;

    const round = async (i) => {
      const m = Mat.decodeSync(jpeg);
      m.resizeSync({ width: 16, height: 16 }).dispose();
      m.dispose();
      if (i % 50 === 0) {
        try {
          Mat.decodeSync(truncated);
        } catch (e) {
          if (e instanceof DecodeError) decodeErrors++;
        }
      }
      if (i % 16 === 0) {
        const bad = i % 160 === 0;
        try {
          const t = await tfcv.preprocess(bad ? [...batch.slice(1), truncated] : batch, spec);
          t.dispose();
        } catch (e) {
          if (e instanceof DecodeError) decodeErrors++;
        }
      }
    };

    for (let i = 0; i < 1600; i++) await round(i); // warm-up: allocator pools, thread pools, JIT
    await collect();
    const before = tfcv.stats();
    const rssBefore = process.memoryUsage().rss;
    decodeErrors = 0;
    for (let i = 0; i < 20000; i++) {
      await round(i);
      if (i % 4000 === 0) await collect(1);
    }
    await collect();
    const growth = (process.memoryUsage().rss - rssBefore) / MB;
    const after = tfcv.stats();
    assert.equal(decodeErrors, 20000 / 50 + 20000 / 160, 'every bad input failed with DecodeError');
    assert.equal(after.liveMats, before.liveMats, 'every Mat was released');
    assert.equal(after.liveTensors, before.liveTensors, 'every batch tensor was released');
    assert.equal(after.externalBytes, before.externalBytes);
    // A round touches ~30 KB of native memory (decoded image, batch share, encoded copies):
    // leaking it would add ~600 MB. glibc may keep ~50 MB of freed heap resident after
    // large frees elsewhere in the run (its dynamic trim threshold), hence the margin.
    assert.ok(growth < 128, `RSS grew by ${growth.toFixed(1)} MB`);
  });
});
