// Tensor: creation for every dtype, exact round trips, copy / dispose semantics, the
// zero-copy share of JS memory (aligned and not), and bad calls answered by typed errors.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, collect, throwsTyped } = require('./helpers');
const { Tensor, ShapeError, DTypeError, ArgumentError, DisposedError, ZeroCopyError } = tfcv;

const SAMPLES = {
  float32: new Float32Array([1.5, -2, 3.25, 0, 1e-30, -7]),
  float64: new Float64Array([Math.PI, -1e300, 0, 5e-324, 2, -3]),
  float16: new Uint16Array([0x3c00, 0xc000, 0x7bff, 0, 0x8000, 0x3555]),
  int8: new Int8Array([-128, 127, 0, 5, -1, 3]),
  int16: new Int16Array([-32768, 32767, 0, 5, -1, 300]),
  int32: new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, 5, -1, 70000]),
  int64: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n, 5n, -1n, 2n ** 40n]),
  uint8: new Uint8Array([0, 255, 1, 128, 7, 9]),
  uint16: new Uint16Array([0, 65535, 1, 300, 7, 9]),
  uint32: new Uint32Array([0, 2 ** 32 - 1, 1, 300, 7, 9]),
  uint64: new BigUint64Array([0n, 2n ** 64n - 1n, 1n, 300n, 7n, 9n]),
  bool: new Uint8Array([0, 1, 1, 0, 1, 0]),
};

describe('Tensor', () => {
  describe('round trips every numeric dtype exactly', () => {
    for (const [dtype, values] of Object.entries(SAMPLES)) {
      it(dtype, () => {
        const t = Tensor.from(values, { dtype, shape: [2, 3] });
        assert.equal(t.dtype, dtype);
        assert.deepEqual(t.shape, [2, 3]);
        assert.equal(t.size, 6);
        assert.equal(t.byteLength, values.byteLength);
        assert.deepEqual(Array.from(t.data), Array.from(values));
        assert.equal(t.data.constructor, values.constructor);
        const c = t.copy();
        assert.deepEqual(Array.from(c.data), Array.from(values));
        c.data[0] = c.data[1];
        assert.deepEqual(Array.from(t.data), Array.from(values), 'copy() must not alias the original');
        t.dispose();
        c.dispose();
      });
    }
  });

  it('accepts raw bytes (Buffer, DataView, ArrayBuffer) for any dtype', () => {
    const f = new Float32Array([1, 2, 3, 4]);
    const fromBuffer = Tensor.from(Buffer.from(f.buffer), { dtype: 'float32' });
    const fromView = Tensor.from(new DataView(f.buffer), { dtype: 'float32', shape: [2, 2] });
    const fromAb = Tensor.from(f.buffer, { dtype: 'float32', shape: [4] });
    for (const t of [fromBuffer, fromView, fromAb]) assert.deepEqual(Array.from(t.data), [1, 2, 3, 4]);
    assert.deepEqual(fromView.shape, [2, 2]);
  });

  it('creates tensors from plain arrays with inferred or given dtypes', () => {
    assert.deepEqual(Array.from(Tensor.from([1, 2.5]).data), [1, 2.5]);
    assert.equal(Tensor.from([1, 2]).dtype, 'float32');
    assert.deepEqual(Array.from(Tensor.from([1, 2, 3, 4], { dtype: 'int32', shape: [2, 2] }).data), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(Tensor.from([true, false]).data), [1, 0]);
    assert.deepEqual(Array.from(Tensor.from([5n, -6n]).data), [5n, -6n]);
  });

  it('normalises copied bool bytes to 0/1', () => {
    assert.deepEqual(Array.from(Tensor.from(new Uint8Array([0, 2, 255]), { dtype: 'bool' }).data), [0, 1, 1]);
  });

  it('holds string tensors (TF_TString) including non-ASCII and binary values', () => {
    const values = ['', 'a', 'héllo wörld', 'x'.repeat(1000)];
    const t = Tensor.from(values, { shape: [2, 2] });
    assert.equal(t.dtype, 'string');
    assert.deepEqual(t.shape, [2, 2]);
    assert.deepEqual(t.strings(), values);
    const bin = Tensor.from([Buffer.from([0, 255, 1])]);
    assert.deepEqual([...bin.bytes()[0]], [0, 255, 1]);
    const c = t.copy();
    t.dispose();
    assert.deepEqual(c.strings(), values, 'a copy of a string tensor owns its strings');
    throwsTyped(() => c.data, DTypeError, /strings\(\)/);
  });

  it('allocates aligned memory to fill in place (Tensor.alloc)', () => {
    const t = Tensor.alloc('float32', [3, 4]);
    t.data.fill(2);
    assert.deepEqual(Array.from(t.data), new Array(12).fill(2));
    // Aligned memory is what lets a Mat view it and a tensor share it back without a copy.
    const m = tfcv.toMatSync(t, { mode: 'share' });
    const back = tfcv.toTensorSync(m, { mode: 'share', fallback: 'throw' });
    assert.equal(back.shared, true);
    assert.deepEqual(Tensor.alloc('string', [2]).strings(), ['', '']);
    assert.equal(Tensor.alloc('int8', [0, 5]).byteLength, 0);
  });

  it('dispose() is idempotent and later use throws DisposedError', () => {
    const t = Tensor.from(new Float32Array(4));
    t.dispose();
    t.dispose();
    assert.equal(t.disposed, true);
    throwsTyped(() => t.shape, DisposedError, /disposed/);
    throwsTyped(() => t.data, DisposedError);
    throwsTyped(() => t.copy(), DisposedError);
    throwsTyped(() => tfcv.toMatSync(t), DisposedError);
  });

  it('a data view outlives dispose() and garbage collection of its tensor', async () => {
    let t = Tensor.from(new Int32Array([7, 8, 9]));
    const view = t.data;
    t.dispose();
    t = null;
    await collect();
    assert.deepEqual(Array.from(view), [7, 8, 9]);
  });

  describe("mode 'share' over JS memory", () => {
    // JS ArrayBuffers are typically 16-byte aligned; TensorFlow needs 64. Probe the offsets
    // of a larger buffer with onUnaligned 'throw': the aligned ones share, the rest throw.
    function alignedFloats(length) {
      const backing = new Float32Array(length + 16);
      for (let off = 0; off < 16; off++) {
        const view = backing.subarray(off, off + length);
        try {
          return { view, tensor: Tensor.from(view, { mode: 'share', onUnaligned: 'throw' }) };
        } catch (err) {
          assert.ok(err instanceof ZeroCopyError, `unexpected ${err}`);
        }
      }
      throw new Error('no 64-byte aligned offset found');
    }

    it('aliases aligned memory without a copy; writes are visible both ways', () => {
      const before = tfcv.stats();
      const { view, tensor } = alignedFloats(1024);
      const after = tfcv.stats();
      assert.equal(tensor.shared, true);
      assert.equal(after.copies, before.copies, 'a share must make no copy');
      assert.equal(after.zeroCopies, before.zeroCopies + 1);
      view[3] = 42;
      assert.equal(tensor.data[3], 42);
      tensor.data[5] = -1;
      assert.equal(view[5], -1);
    });

    it('falls back to a reported copy for unaligned memory, or throws on request', () => {
      const bytes = Buffer.alloc(4 * 65);
      const unaligned = bytes.subarray(4); // pool slices are at most 8-byte aligned
      let shared = 0;
      for (let off = 0; off < 64; off += 4) {
        const slice = bytes.subarray(off, off + 256);
        const before = tfcv.stats();
        const t = Tensor.from(slice, { dtype: 'float32', mode: 'share' });
        if (t.shared) {
          shared++;
          continue;
        }
        assert.equal(tfcv.stats().copies, before.copies + 1, 'the fallback copy is counted');
        slice.writeFloatLE(9, 0);
        assert.notEqual(t.data[0], 9, 'a fallback copy does not alias');
        throwsTyped(
          () => Tensor.from(slice, { dtype: 'float32', mode: 'share', onUnaligned: 'throw' }),
          ZeroCopyError,
          /64 bytes/,
        );
      }
      assert.ok(shared <= 1, 'at most one offset in 64 bytes is aligned');
      assert.ok(unaligned.length > 0);
    });

    it('refuses shared bool bytes that are not 0/1', () => {
      throwsTyped(
        () => Tensor.from(new Uint8Array(64).fill(2), { dtype: 'bool', mode: 'share' }),
        ArgumentError,
        /0 or 1/,
      );
    });
  });

  describe('bad calls are typed errors', () => {
    it('wrong argument types', () => {
      throwsTyped(() => Tensor.from(42), ArgumentError, /data: expected/);
      throwsTyped(() => Tensor.from('abc'), ArgumentError);
      throwsTyped(
        () => Tensor.from(new Float32Array(2), { mode: 'zero-copy' }),
        ArgumentError,
        /'copy' \| 'share', got 'zero-copy'/,
      );
      throwsTyped(() => Tensor.from(new Float32Array(2), 'float32'), ArgumentError, /options/);
      throwsTyped(() => Tensor.from([1, 'a']), ArgumentError, /data\[1\]/);
      throwsTyped(() => Tensor.alloc('float128', [2]), DTypeError, /float128/);
      throwsTyped(() => Tensor.from(Buffer.alloc(4)), DTypeError, /required for raw bytes/);
      throwsTyped(
        () => Tensor.from(new Float64Array(2), { dtype: 'float32' }),
        DTypeError,
        /expected Float32Array.*got Float64Array/,
      );
      throwsTyped(() => new Tensor({}), ArgumentError, /not constructible/);
    });

    it('negative, fractional and overflowing shapes', () => {
      throwsTyped(() => Tensor.alloc('float32', [2, -1]), ShapeError, /non-negative/);
      throwsTyped(() => Tensor.alloc('float32', [2.5]), ShapeError);
      throwsTyped(() => Tensor.alloc('float32', 'abc'), ShapeError);
      throwsTyped(() => Tensor.alloc('float32', [2 ** 40, 2 ** 40]), ShapeError, /2\^53/);
      throwsTyped(() => Tensor.alloc('float64', [2 ** 26, 2 ** 26]), ShapeError, /too large/);
      throwsTyped(() => Tensor.alloc('float32', new Array(33).fill(1)), ShapeError, /rank/);
    });

    it('a buffer too short or too long for the shape', () => {
      throwsTyped(() => Tensor.from(new Float32Array(5), { shape: [2, 3] }), ShapeError, /needs 24 bytes, got 20/);
      throwsTyped(() => Tensor.from(new Float32Array(7), { shape: [2, 3] }), ShapeError, /got 28/);
      throwsTyped(() => Tensor.from(Buffer.alloc(6), { dtype: 'float32' }), ShapeError, /whole number/);
      throwsTyped(() => Tensor.from(['a', 'b'], { shape: [3] }), ShapeError, /holds 3 elements/);
    });

    it('the raw native entry points survive garbage arguments', () => {
      const native = require(tfcv.nativePath); // the binary this run loaded (the source build, or the static one with TFCV_BINARY=prebuilt)
      const calls = [
        () => native.tensorFromBytes(),
        () => native.tensorFromBytes('float32', [2], 'not bytes', 'copy', 'copy'),
        () => native.tensorFromBytes('float32', [1e300], Buffer.alloc(4), 'copy', 'copy'),
        () => native.tensorAlloc(null, null),
        () => native.tensorFromStrings([2], [1, 2]),
        () => native.matToTensorSync({}, {}),
        () => native.tensorToMatSync(native.tensorAlloc('float32', [2, 2]), null),
      ];
      for (const call of calls) assert.throws(call, (e) => e instanceof Error && typeof e.code === 'string');
      // A method on a foreign receiver is stopped by V8's own signature check.
      assert.throws(() => native.NativeTensor.prototype.copy.call({}), TypeError);
    });

    it('a detached buffer', () => {
      const ab = new ArrayBuffer(16);
      const view = new Float32Array(ab);
      structuredClone(ab, { transfer: [ab] });
      throwsTyped(() => Tensor.from(view, { shape: [0] }), ArgumentError, /detached/);
      throwsTyped(() => tfcv.Mat.fromBuffer(view, { rows: 1, cols: 1, dtype: 'float32' }), ArgumentError, /detached/);
    });
  });
});
