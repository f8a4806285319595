// Mat <-> Tensor: the three classic TensorFlow/OpenCV failures reproduced and shown
// impossible, exact round trips for every Mat dtype and 1/3/4 channels (continuous and
// ROI), zero-copy proofs, 'move' semantics, layout and dtype conversions, async twins.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, collect, throwsTyped, rejectsTyped, randomBytes } = require('./helpers');
const { Mat, Tensor, toTensor, toTensorSync, toMat, toMatSync } = tfcv;
const { ShapeError, DTypeError, ArgumentError, DisposedError, ReadOnlyError, ZeroCopyError } = tfcv;

const ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
};

function sample(dtype, n, seed) {
  const bytes = randomBytes(n * ARRAYS[dtype].BYTES_PER_ELEMENT, seed);
  const arr = new ARRAYS[dtype](bytes.buffer);
  if (dtype === 'float32' || dtype === 'float64') for (let i = 0; i < n; i++) arr[i] = ((i * 37) % 1000) / 7 - 50;
  if (dtype === 'float16') for (let i = 0; i < n; i++) arr[i] = 0x3c00 + (i % 512); // finite halves
  return arr;
}

describe('Mat <-> Tensor bridge', () => {
  describe('the classic failures cannot happen', () => {
    it('a Mat view whose tensor was disposed and garbage-collected still reads the right values', async () => {
      await collect();
      const values = new Float32Array(64 * 48 * 3).map((_, i) => i * 0.5);
      let tensor = Tensor.from(values, { shape: [64, 48, 3] });
      const view = toMatSync(tensor, { mode: 'share' });
      const liveBefore = tfcv.stats().liveTensors;
      tensor.dispose();
      tensor = null;
      await collect();
      // Allocate and free a lot so freed memory would be reused and overwritten.
      for (let i = 0; i < 50; i++) Tensor.alloc('float32', [64, 48, 3]).data.fill(-1);
      await collect();
      assert.equal(tfcv.stats().liveTensors, liveBefore, 'the Mat keeps the native tensor alive');
      assert.deepEqual(Array.from(view.data), Array.from(values));
    });

    it('an in-place OpenCV operation on a shared view cannot change the tensor it came from', () => {
      const tensor = Tensor.from(new Uint8Array([10, 100, 200, 250]), { shape: [2, 2] });
      const view = toMatSync(tensor, { mode: 'share' });
      assert.equal(view.readOnly, true);
      throwsTyped(() => view.thresholdSync(127, 255, { inPlace: true }), ReadOnlyError, /read-only/);
      throwsTyped(() => view.setTo(0), ReadOnlyError);
      assert.deepEqual(Array.from(tensor.data), [10, 100, 200, 250]);
      // Copy-on-write: the view gets its own memory, the tensor keeps its values.
      view.thresholdSync(127, 255, { inPlace: true, onShared: 'copy' });
      assert.deepEqual(Array.from(view.data), [0, 0, 255, 255]);
      assert.deepEqual(Array.from(tensor.data), [10, 100, 200, 250]);
      // And a tensor shared from a Mat protects it the same way.
      const mat = Mat.fromBuffer(new Uint8Array([1, 2, 3, 4]), { rows: 2, cols: 2 });
      const t2 = toTensorSync(mat, { mode: 'share' });
      throwsTyped(() => mat.setTo(9), ReadOnlyError);
      assert.deepEqual(Array.from(t2.data), [1, 2, 3, 4]);
    });

    it('a wrong dtype / layout conversion is a typed error before any native work', async () => {
      const before = tfcv.stats();
      const i64 = Tensor.from(new BigInt64Array(4), { shape: [2, 2] });
      const rank5 = Tensor.alloc('float32', [1, 2, 2, 2, 1]);
      const batch2 = Tensor.alloc('float32', [2, 4, 4, 3]);
      const strings = Tensor.from(['a', 'b', 'c', 'd'], { shape: [2, 2] });
      const mark = tfcv.stats();
      throwsTyped(() => toMatSync(i64), DTypeError, /int64/);
      throwsTyped(() => toMatSync(strings), DTypeError, /string/);
      throwsTyped(() => toMatSync(rank5), ShapeError, /\[1,2,2,2,1\]/);
      throwsTyped(() => toMatSync(batch2), ShapeError, /\[2,4,4,3\]/);
      await rejectsTyped(() => toMat(batch2), ShapeError);
      const mat = Mat.zeros(2, 2, { channels: 3 });
      throwsTyped(() => toTensorSync(mat, { layout: 'NHW' }), ArgumentError, /'HWC' \| 'CHW' \| 'NHWC' \| 'NCHW'/);
      throwsTyped(() => toTensorSync(mat, { dtype: 'int64' }), DTypeError, /int64/);
      throwsTyped(() => toTensorSync(mat, { mode: 'borrow' }), ArgumentError);
      await rejectsTyped(() => toTensor(mat, { dtype: 'bool' }), DTypeError);
      throwsTyped(() => toTensorSync({}), ArgumentError, /expected a Mat/);
      throwsTyped(() => toMatSync(mat), ArgumentError, /expected a Tensor/);
      const after = tfcv.stats();
      // Nothing was copied, converted or created by the refused calls.
      assert.equal(after.copies, mark.copies);
      assert.equal(after.zeroCopies, mark.zeroCopies);
      assert.equal(after.liveTensors, mark.liveTensors);
      assert.ok(before.copies <= mark.copies);
    });
  });

  describe('round trips are exact', () => {
    for (const dtype of Object.keys(ARRAYS)) {
      for (const channels of [1, 3, 4]) {
        it(`${dtype} x${channels}: Mat -> Tensor -> Mat, copy and share, continuous and ROI`, async () => {
          const rows = 9,
            cols = 11;
          const px = sample(dtype, rows * cols * channels, channels * 13);
          const mat = Mat.fromBuffer(px, { rows, cols, channels, dtype });
          for (const mode of ['copy', 'share']) {
            const t = toTensorSync(mat, { mode });
            assert.equal(t.dtype, dtype);
            assert.deepEqual(t.shape, [rows, cols, channels]);
            assert.deepEqual(Array.from(t.data), Array.from(px));
            const back = await toMat(t, { mode });
            assert.deepEqual([back.rows, back.cols, back.channels, back.dtype], [rows, cols, channels, dtype]);
            assert.deepEqual(Array.from(back.data), Array.from(px));
          }
          const roi = mat.roi({ x: 3, y: 2, width: 5, height: 4 });
          const expected = [];
          for (let y = 2; y < 6; y++)
            expected.push(...px.subarray((y * cols + 3) * channels, (y * cols + 8) * channels));
          const fromRoi = await toTensor(roi, { mode: 'share' }); // non-continuous: a reported copy
          assert.equal(fromRoi.shared, false);
          assert.deepEqual(fromRoi.shape, [4, 5, channels]);
          assert.deepEqual(Array.from(fromRoi.data), expected);
        });
      }
    }
  });

  describe('zero-copy is real', () => {
    it("'share' both ways makes no copy and writes through the tensor are visible in the Mat", () => {
      const tensor = Tensor.alloc('float32', [16, 16, 3]);
      tensor.data.fill(1);
      const before = tfcv.stats();
      const mat = toMatSync(tensor, { mode: 'share' });
      const again = toTensorSync(mat, { mode: 'share', fallback: 'throw' });
      const after = tfcv.stats();
      assert.equal(after.copies, before.copies);
      assert.equal(after.bytesCopied, before.bytesCopied);
      assert.equal(after.zeroCopies, before.zeroCopies + 2);
      tensor.data[7] = 123;
      assert.equal(mat.data[7], 123);
      assert.equal(again.data[7], 123);
    });

    it('a non-continuous or converting share falls back to a reported copy, or throws', () => {
      const mat = Mat.zeros(8, 8, { channels: 3 });
      const roi = mat.roi({ x: 1, y: 1, width: 4, height: 4 });
      const reasons = [];
      const before = tfcv.stats();
      const t = toTensorSync(roi, { mode: 'share', onCopy: (r) => reasons.push(r) });
      assert.equal(t.shared, false);
      assert.equal(tfcv.stats().copies, before.copies + 1);
      assert.match(reasons[0], /not continuous/);
      throwsTyped(() => toTensorSync(roi, { mode: 'share', fallback: 'throw' }), ZeroCopyError, /not continuous/);
      throwsTyped(
        () => toTensorSync(mat, { mode: 'share', dtype: 'float32', fallback: 'throw' }),
        ZeroCopyError,
        /dtype changes/,
      );
      throwsTyped(() => toTensorSync(mat, { mode: 'share', layout: 'CHW', fallback: 'throw' }), ZeroCopyError, /CHW/);
    });
  });

  describe("mode 'move'", () => {
    it('Mat -> Tensor hands the buffer over and disposes the source', () => {
      const mat = Mat.fromBuffer(new Uint8Array([1, 2, 3, 4, 5, 6]), { rows: 2, cols: 3 });
      const before = tfcv.stats();
      const t = toTensorSync(mat, { mode: 'move', fallback: 'throw' });
      assert.equal(tfcv.stats().copies, before.copies);
      assert.equal(mat.disposed, true);
      throwsTyped(() => mat.rows, DisposedError, /moved into a Tensor/);
      assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6]);
    });

    it('Tensor -> Mat gives a writable Mat when nothing else sees the memory', async () => {
      const t = Tensor.from(new Uint8Array([5, 6, 7, 8]), { shape: [2, 2] });
      const m = await toMat(t, { mode: 'move', fallback: 'throw' });
      assert.equal(t.disposed, true);
      throwsTyped(() => t.data, DisposedError, /moved into a Mat/);
      assert.equal(m.readOnly, false);
      m.setTo(1);
      assert.deepEqual(Array.from(m.data), [1, 1, 1, 1]);
    });

    it('refuses to move memory that a view or another owner still sees', () => {
      const t = Tensor.from(new Uint8Array([5, 6, 7, 8]), { shape: [2, 2] });
      const view = t.data; // a live view keeps seeing the memory
      throwsTyped(() => toMatSync(t, { mode: 'move', fallback: 'throw' }), ZeroCopyError, /shared with a view/);
      const t2 = Tensor.from(new Uint8Array([5, 6, 7, 8]), { shape: [2, 2] });
      void t2.data;
      const reasons = [];
      const m = toMatSync(t2, { mode: 'move', onCopy: (r) => reasons.push(r) });
      m.setTo(0);
      assert.equal(reasons.length, 1);
      assert.deepEqual(Array.from(view), [5, 6, 7, 8]);
      const mat = Mat.zeros(2, 2);
      const shared = toTensorSync(mat, { mode: 'share' });
      const moved = toTensorSync(mat, { mode: 'move' });
      assert.equal(moved.shared, false, 'a Mat shared with a tensor is copied, not moved');
      moved.data[0] = 9;
      assert.equal(shared.data[0], 0);
    });
  });

  describe('layout and dtype conversions', () => {
    it('NCHW float32 splits planes and converts exactly', async () => {
      const px = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 2x2 BGR
      const mat = Mat.fromBuffer(px, { rows: 2, cols: 2, channels: 3 });
      const t = await toTensor(mat, { layout: 'NCHW', dtype: 'float32' });
      assert.deepEqual(t.shape, [1, 3, 2, 2]);
      assert.deepEqual(Array.from(t.data), [1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
      const nhwc = toTensorSync(mat, { layout: 'NHWC' });
      assert.deepEqual(nhwc.shape, [1, 2, 2, 3]);
      const back = toMatSync(nhwc);
      assert.deepEqual(Array.from(back.data), Array.from(px));
      const chwU8 = toTensorSync(mat, { layout: 'CHW' });
      assert.deepEqual(Array.from(chwU8.data), [1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
      const i16 = toTensorSync(
        Mat.fromBuffer(new Float32Array([1.4, -2.6, 40000, -40000]), { rows: 2, cols: 2, dtype: 'float32' }),
        { dtype: 'int16' },
      );
      assert.deepEqual(Array.from(i16.data), [1, -3, 32767, -32768], 'OpenCV rounds and saturates');
    });
  });

  it('async conversions pin their source: disposing it during the job is safe', async () => {
    const mat = Mat.fromBuffer(new Uint8Array(256 * 256 * 3).fill(7), { rows: 256, cols: 256, channels: 3 });
    const pending = toTensor(mat, { dtype: 'float32', layout: 'NCHW' });
    mat.dispose();
    const t = await pending;
    assert.ok(t.data.every((x) => x === 7));
    const t2 = Tensor.from(new Float32Array(300 * 300).fill(3), { shape: [300, 300] });
    const pendingMat = toMat(t2, { mode: 'share' });
    t2.dispose();
    assert.ok((await pendingMat).data.every((x) => x === 3));
  });
});
