// Mat: creation from bytes (copy and pinned share), decode, ROI views, read-only rules for
// shared memory, and bad calls answered by typed errors.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, collect, encodeBmp, throwsTyped, rejectsTyped, randomBytes } = require('./helpers');
const { Mat, ShapeError, DTypeError, ArgumentError, DisposedError, DecodeError, ReadOnlyError } = tfcv;

describe('Mat', () => {
  it('copies pixels from a buffer for 1, 3 and 4 channels', () => {
    for (const channels of [1, 3, 4]) {
      const px = randomBytes(5 * 7 * channels, channels);
      const m = Mat.fromBuffer(px, { rows: 5, cols: 7, channels });
      assert.deepEqual([m.rows, m.cols, m.channels, m.dtype], [5, 7, channels, 'uint8']);
      assert.equal(m.readOnly, false);
      assert.deepEqual(Array.from(m.data), Array.from(px));
      px[0] ^= 0xff;
      assert.notEqual(m.data[0], px[0], "mode 'copy' does not alias the source");
    }
  });

  it('shares a pinned JS buffer: no copy, read-only for OpenCV writes, survives GC of the source', async () => {
    let px = new Float32Array(12).map((_, i) => i);
    const before = tfcv.stats();
    const m = Mat.fromBuffer(px, { rows: 2, cols: 2, channels: 3, dtype: 'float32', mode: 'share' });
    assert.equal(tfcv.stats().copies, before.copies);
    assert.equal(m.readOnly, true);
    px[4] = 99;
    assert.equal(m.data[4], 99, 'the Mat sees writes to the shared buffer');
    throwsTyped(() => m.setTo(0), ReadOnlyError, /read-only/);
    throwsTyped(() => m.thresholdSync(1, 2, { inPlace: true }), ReadOnlyError);
    assert.equal(px[0], 0, 'a refused write changed nothing');
    px = null;
    await collect();
    assert.equal(m.data[4], 99, 'the pinned buffer is still alive');
    m.setTo(5, { onShared: 'copy' });
    assert.equal(m.readOnly, false, 'copy-on-write detached the Mat from the buffer');
    assert.ok(m.data.every((x) => x === 5));
  });

  it('decodes an image buffer with exact pixels (BMP written by the test)', async () => {
    const rows = 3,
      cols = 5;
    const bgr = randomBytes(rows * cols * 3, 7);
    const bmp = encodeBmp(bgr, rows, cols);
    const m = await Mat.decode(bmp);
    assert.deepEqual([m.rows, m.cols, m.channels], [rows, cols, 3]);
    assert.deepEqual(Array.from(m.data), Array.from(bgr));
    const gray = Mat.decodeSync(bmp, { flags: 'grayscale' });
    assert.equal(gray.channels, 1);
    // OpenCV's BGR->gray weights, rounded: the reference formula computed here.
    const expected0 = Math.round(0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]);
    assert.ok(Math.abs(gray.data[0] - expected0) <= 1);
  });

  it('undecodable, truncated and empty images are DecodeErrors, sync and async', async () => {
    const bmp = encodeBmp(randomBytes(4 * 4 * 3), 4, 4);
    throwsTyped(() => Mat.decodeSync(Buffer.from('not an image at all')), DecodeError, /not a decodable image/);
    throwsTyped(() => Mat.decodeSync(Buffer.alloc(0)), DecodeError, /empty/);
    throwsTyped(() => Mat.decodeSync(bmp.subarray(0, 30)), DecodeError);
    await rejectsTyped(Mat.decode(randomBytes(1000)), DecodeError);
    await rejectsTyped(Mat.decode(Buffer.alloc(0)), DecodeError, /empty/);
  });

  it('async decode is safe against the caller reusing its buffer at once', async () => {
    const bgr = randomBytes(8 * 8 * 3, 3);
    const bmp = encodeBmp(bgr, 8, 8);
    const pending = Mat.decode(bmp);
    bmp.fill(0);
    const m = await pending;
    assert.deepEqual(Array.from(m.data), Array.from(bgr));
  });

  it('roi() is a view: non-continuous, exact packed data, both sides read-only while it lives', async () => {
    const px = randomBytes(6 * 8 * 3, 11);
    const m = Mat.fromBuffer(px, { rows: 6, cols: 8, channels: 3 });
    let r = m.roi({ x: 2, y: 1, width: 3, height: 4 });
    assert.equal(r.isContinuous, false);
    assert.equal(r.step, 8 * 3);
    const expected = [];
    for (let y = 1; y < 5; y++) expected.push(...px.subarray((y * 8 + 2) * 3, (y * 8 + 5) * 3));
    assert.deepEqual(Array.from(r.data), expected);
    assert.equal(m.readOnly, true);
    throwsTyped(() => m.setTo([1, 2, 3]), ReadOnlyError);
    r.dispose();
    r = null;
    assert.equal(m.readOnly, false, 'after the view is disposed the parent is exclusive again');
    m.setTo([1, 2, 3]);
    assert.deepEqual(Array.from(m.data.subarray(0, 6)), [1, 2, 3, 1, 2, 3]);
  });

  it('threshold returns a new Mat or writes in place on exclusive memory', () => {
    const m = Mat.fromBuffer(new Uint8Array([0, 100, 127, 128, 200, 255]), { rows: 2, cols: 3 });
    const t = m.thresholdSync(127, 255);
    assert.deepEqual(Array.from(t.data), [0, 0, 0, 255, 255, 255]);
    assert.deepEqual(Array.from(m.data), [0, 100, 127, 128, 200, 255]);
    assert.equal(m.thresholdSync(127, 1, { type: 'binary-inv', inPlace: true }), m);
    assert.deepEqual(Array.from(m.data), [1, 1, 1, 0, 0, 0]);
  });

  it('a data view stays valid after dispose() and GC of its Mat', async () => {
    let m = Mat.fromBuffer(new Uint8Array([9, 8, 7, 6]), { rows: 2, cols: 2 });
    const view = m.data;
    m.dispose();
    m = null;
    await collect();
    assert.deepEqual(Array.from(view), [9, 8, 7, 6]);
  });

  describe('bad calls are typed errors', () => {
    it('wrong types, sizes and options', () => {
      throwsTyped(() => Mat.fromBuffer('abc', { rows: 1, cols: 3 }), ArgumentError, /data: expected a Buffer/);
      throwsTyped(() => Mat.fromBuffer(Buffer.alloc(3)), ArgumentError, /options/);
      throwsTyped(() => Mat.fromBuffer(Buffer.alloc(3), { rows: 0, cols: 3 }), ArgumentError, /options.rows/);
      throwsTyped(() => Mat.fromBuffer(Buffer.alloc(3), { rows: -1, cols: 3 }), ArgumentError);
      throwsTyped(() => Mat.fromBuffer(Buffer.alloc(3), { rows: 2, cols: 3 }), ShapeError, /needs 6 bytes, got 3/);
      throwsTyped(() => Mat.fromBuffer(Buffer.alloc(8), { rows: 1, cols: 1, dtype: 'int64' }), DTypeError);
      throwsTyped(() => Mat.fromBuffer(new Float32Array(2), { rows: 1, cols: 2 }), DTypeError, /Uint8Array/);
      throwsTyped(() => Mat.fromBuffer(Buffer.alloc(3), { rows: 1, cols: 3, channels: 600 }), ArgumentError);
      throwsTyped(() => Mat.zeros(2 ** 31, 2 ** 31), ArgumentError);
      throwsTyped(() => Mat.decodeSync(Buffer.alloc(4), { flags: 'colour' }), ArgumentError, /'color'/);
      const m = Mat.zeros(4, 4);
      throwsTyped(() => m.roi({ x: 2, y: 2, width: 3, height: 1 }), ShapeError, /inside 4x4/);
      throwsTyped(() => m.roi(null), ArgumentError);
      throwsTyped(() => m.setTo('red'), ArgumentError);
      throwsTyped(() => m.setTo(1, { onShared: 'ignore' }), ArgumentError, /'throw' \| 'copy'/);
      throwsTyped(() => m.thresholdSync(1, 2, { type: 'adaptive' }), ArgumentError, /options.type/);
      throwsTyped(
        () => Mat.zeros(2, 2, { dtype: 'float32' }).thresholdSync(0, 1, { type: 'otsu' }),
        ArgumentError,
        /Otsu/,
      );
      throwsTyped(() => new Mat({}), ArgumentError, /not constructible/);
    });

    it('disposed Mats', () => {
      const m = Mat.zeros(2, 2);
      m.dispose();
      m.dispose();
      for (const use of [
        () => m.rows,
        () => m.data,
        () => m.clone(),
        () => m.setTo(1),
        () => m.roi({ x: 0, y: 0, width: 1, height: 1 }),
      ]) {
        throwsTyped(use, DisposedError, /disposed/);
      }
    });
  });
});
