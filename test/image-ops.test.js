// Image operations on Mats beyond pixel values (those are in image-reference.test.js):
// ownership (new Mats own their memory, async jobs pin their source, drawing respects
// read-only memory, crop views follow roi()), the fit helpers, contour measures, and that
// every entry point answers wrong types, sizes, channel counts, dtypes and disposed Mats
// with typed errors, including the raw native functions given garbage. Ends with the ops
// running in worker_threads.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { tfcv, collect, throwsTyped, rejectsTyped } = require('./helpers');
const { image } = require('./image-reference.test.js');
const { Mat, ArgumentError, ShapeError, DTypeError, DisposedError, LimitError, ReadOnlyError } = tfcv;

const photo = () => Mat.decodeSync(image('photo_96x64.bmp'));
const bytes = (m) => Buffer.from(m.data.buffer, m.data.byteOffset, m.byteLength);

describe('image operations: ownership and behaviour', () => {
  it('operations return new Mats with their own writable memory and leave the source unchanged', async () => {
    const src = photo();
    const before = Buffer.from(bytes(src));
    const results = [
      await src.resize({ width: 40, height: 30 }),
      src.resizeSync({ fx: 0.5, fy: 0.25 }),
      await src.crop({ x: 1, y: 2, width: 10, height: 9 }),
      await src.pad(3),
      await src.letterbox({ width: 50, height: 50 }),
      await src.flip('both'),
      await src.rotate(270),
      await src.cvtColor('BGR2HSV'),
      await src.convertTo('float32'),
      await src.normalize(),
      await src.threshold(100, 255),
      await src.inRange(50, 200),
      await src.addWeighted(0.5, src, 0.5),
    ];
    for (const r of results) {
      assert.equal(r.readOnly, false);
      r.setTo(0); // exclusive memory: in-place writes are allowed and reach no one else
    }
    assert.ok(bytes(src).equals(before), 'the source is unchanged');
    assert.deepEqual([results[1].cols, results[1].rows], [48, 16]);
    assert.deepEqual([results[6].rows, results[6].cols], [96, 64]);
    assert.equal(results[11].dtype, 'uint8');
    assert.equal(results[11].channels, 1);
  });

  it("crop copies by default; mode 'view' is an roi(): no copy, both read-only while it lives", async () => {
    const src = photo();
    const copy = src.cropSync({ x: 10, y: 5, width: 20, height: 10 });
    assert.equal(src.readOnly, false);
    const view = await src.crop({ x: 10, y: 5, width: 20, height: 10 }, { mode: 'view' });
    assert.equal(view.isContinuous, false);
    assert.ok(bytes(view.clone()).equals(bytes(copy)));
    assert.equal(src.readOnly, true);
    throwsTyped(() => view.rectangle({ x: 0, y: 0, width: 3, height: 3 }, 0), ReadOnlyError, /rectangle/);
    view.dispose();
    assert.equal(src.readOnly, false);
    throwsTyped(() => src.cropSync({ x: 90, y: 0, width: 10, height: 10 }), ShapeError, /inside 96x64/);
  });

  it('async operations pin their source: it is read-only during the job and may be disposed meanwhile', async () => {
    const src = photo();
    const expected = bytes(src.resizeSync({ width: 300, height: 200 }, { interpolation: 'lanczos4' }));
    const pending = src.resize({ width: 300, height: 200 }, { interpolation: 'lanczos4' });
    throwsTyped(() => src.setTo(1), ReadOnlyError);
    src.dispose();
    assert.ok(bytes(await pending).equals(expected));
    await rejectsTyped(src.resize({ width: 2, height: 2 }), DisposedError, /disposed/);
  });

  it('drawing writes in place, refuses memory another owner sees, or copies first on request', () => {
    const px = new Uint8Array(20 * 30 * 3);
    const shared = Mat.fromBuffer(px, { rows: 20, cols: 30, channels: 3, mode: 'share' });
    throwsTyped(
      () => shared.rectangle({ x: 2, y: 2, width: 5, height: 5 }, [255, 0, 0]),
      ReadOnlyError,
      /rectangle: the Mat's memory is shared/,
    );
    throwsTyped(() => shared.circle({ x: 5, y: 5 }, 3, 255), ReadOnlyError);
    throwsTyped(() => shared.putText('x', { x: 1, y: 10 }, 255), ReadOnlyError);
    assert.ok(
      px.every((x) => x === 0),
      'refused writes changed nothing',
    );
    assert.equal(
      shared.rectangle({ x: 2, y: 2, width: 5, height: 5 }, [255, 0, 0], { thickness: 'filled', onShared: 'copy' }),
      shared,
    );
    assert.ok(
      px.every((x) => x === 0),
      'copy-on-write left the JS buffer alone',
    );
    assert.equal(shared.readOnly, false);
    const d = shared.data;
    assert.deepEqual(
      [d[(2 * 30 + 2) * 3], d[(2 * 30 + 2) * 3 + 1], d[(6 * 30 + 6) * 3], d[(7 * 30 + 7) * 3]],
      [255, 0, 255, 0],
    );
    // Chained drawing on an exclusive Mat, with every stroke kind.
    const m = Mat.zeros(40, 60, { channels: 3 });
    m.line({ x: 0, y: 0 }, { x: 59, y: 39 }, [0, 255, 0], { lineType: 'aa' })
      .circle({ x: 30, y: 20 }, 8, 200, { thickness: 2 })
      .drawContours([new Int32Array([1, 1, 10, 1, 10, 10])], [0, 0, 255], { thickness: 'filled' });
    assert.ok(m.meanSync()[1] > 0 && m.meanSync()[2] > 0);
  });

  it('putText draws only around its origin, the same way every time', () => {
    const draw = () => Mat.zeros(60, 200).putText('tfcv 42', { x: 10, y: 40 }, 255, { fontScale: 1, thickness: 2 });
    const a = draw();
    assert.ok(bytes(a).equals(bytes(draw())));
    let minX = Infinity,
      maxX = -1,
      minY = Infinity,
      maxY = -1,
      n = 0;
    a.data.forEach((v, i) => {
      if (!v) return;
      const x = i % 200,
        y = Math.floor(i / 200);
      n++;
      [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
    });
    assert.ok(n > 100, 'text was drawn');
    assert.ok(
      minX >= 10 && maxX < 10 + 7 * 25 && minY >= 40 - 30 && maxY <= 40 + 10,
      `text box ${minX}..${maxX} x ${minY}..${maxY}`,
    );
  });

  it('letterboxGeometry and centerCropRect describe where preprocess puts an image', () => {
    assert.deepEqual(tfcv.letterboxGeometry({ width: 1920, height: 1080 }, { width: 224, height: 224 }), {
      scale: 224 / 1920,
      x: 0,
      y: 49,
      width: 224,
      height: 126,
    });
    assert.deepEqual(tfcv.letterboxGeometry({ width: 100, height: 300 }, { width: 64, height: 64 }), {
      scale: 64 / 300,
      x: 21,
      y: 0,
      width: 21,
      height: 64,
    });
    assert.deepEqual(tfcv.centerCropRect({ width: 1920, height: 1080 }, { width: 224, height: 224 }), {
      x: 420,
      y: 0,
      width: 1080,
      height: 1080,
    });
    assert.deepEqual(tfcv.centerCropRect({ width: 640, height: 480 }, { width: 300, height: 100 }), {
      x: 0,
      y: 133,
      width: 640,
      height: 213,
    });
    const boxed = photo().letterboxSync({ width: 64, height: 64 }, { fill: [1, 2, 3] });
    const g = tfcv.letterboxGeometry({ width: 96, height: 64 }, { width: 64, height: 64 });
    assert.deepEqual(Array.from(boxed.data.subarray(0, 3)), [1, 2, 3], 'the border holds the fill');
    assert.notDeepEqual(Array.from(boxed.data.subarray((g.y * 64 + g.x) * 3, (g.y * 64 + g.x) * 3 + 3)), [1, 2, 3]);
    throwsTyped(
      () => tfcv.letterboxGeometry({ width: 0, height: 1 }, { width: 1, height: 1 }),
      ArgumentError,
      /source.width/,
    );
  });

  it('contour measures take Int32Array or Float32Array pairs and match the geometry', () => {
    const square = new Int32Array([0, 0, 10, 0, 10, 10, 0, 10]);
    assert.equal(tfcv.contourArea(square), 100);
    assert.equal(tfcv.contourArea(square, { oriented: true }), 100);
    assert.equal(tfcv.contourArea(new Int32Array([0, 0, 0, 10, 10, 10, 10, 0]), { oriented: true }), -100);
    assert.equal(tfcv.arcLength(square), 40);
    assert.equal(tfcv.arcLength(square, { closed: false }), 30);
    assert.deepEqual(tfcv.boundingRect(square), { x: 0, y: 0, width: 11, height: 11 });
    const circle = tfcv.minEnclosingCircle(new Float32Array([0, 0, 10, 0, 10, 10, 0, 10]));
    assert.ok(Math.abs(circle.x - 5) < 1e-5 && Math.abs(circle.radius - Math.SQRT2 * 5) < 1e-3);
    const mo = tfcv.contourMoments(square);
    assert.deepEqual([mo.m00, mo.m10 / mo.m00, mo.m01 / mo.m00], [100, 5, 5]);
    assert.equal(tfcv.contourArea(new Int32Array(0)), 0);
    throwsTyped(() => tfcv.contourArea([0, 0, 1, 1]), ArgumentError, /Int32Array or Float32Array/);
    throwsTyped(() => tfcv.arcLength(new Int32Array(3)), ArgumentError, /even length/);
    throwsTyped(() => tfcv.boundingRect(new Int32Array(0)), ArgumentError, /at least one point/);
    throwsTyped(() => tfcv.minEnclosingCircle(new Float64Array(4)), ArgumentError);
    throwsTyped(() => tfcv.contourArea(new Int32Array(new SharedArrayBuffer(16))), ArgumentError, /SharedArrayBuffer/);
  });

  it('countNonZero, mean (with a mask), moments and a mask blended over an image', async () => {
    const m = Mat.zeros(10, 20);
    m.rectangle({ x: 0, y: 0, width: 5, height: 4 }, 200, { thickness: 'filled' });
    assert.equal(await m.countNonZero(), 20);
    assert.deepEqual(await m.mean(), [(200 * 20) / 200]);
    const mask = await m.threshold(0, 255);
    assert.deepEqual(m.meanSync({ mask }), [200]);
    const mo = await m.moments({ binary: true });
    assert.deepEqual([mo.m00, mo.m10 / mo.m00, mo.m01 / mo.m00], [20, 2, 1.5]);
    // The overlay recipe: a coloured mask blended over an image.
    const img = Mat.zeros(10, 20, { channels: 3 }).setTo([0, 100, 0]);
    const colored = (await mask.cvtColor('GRAY2BGR')).setTo([0, 0, 255], { onShared: 'copy' });
    const blend = await img.addWeighted(0.5, colored, 0.5);
    assert.deepEqual(Array.from(blend.data.subarray(0, 3)), [0, 50, 128]);
  });

  it('threshold is async by default; thresholdSync can write in place', async () => {
    const m = Mat.fromBuffer(new Uint8Array([0, 50, 100, 150, 200, 250]), { rows: 2, cols: 3 });
    assert.deepEqual(Array.from((await m.threshold(100, 1)).data), [0, 0, 0, 1, 1, 1]);
    assert.equal(m.thresholdSync(100, 9, { inPlace: true, type: 'binary-inv' }), m);
    assert.deepEqual(Array.from(m.data), [9, 9, 9, 0, 0, 0]);
    await rejectsTyped(
      m
        .threshold(1, 2, { type: 'otsu' })
        .then(() => Mat.zeros(2, 2, { channels: 3 }).threshold(0, 255, { type: 'otsu' })),
      ShapeError,
      /Otsu/,
    );
  });
});

describe('image operations: bad calls are typed errors', () => {
  it('wrong channel counts and dtypes for an operation', async () => {
    const gray = Mat.zeros(8, 8);
    const bgr = Mat.zeros(8, 8, { channels: 3 });
    throwsTyped(
      () => gray.cvtColorSync('BGR2GRAY'),
      ShapeError,
      /cvtColor BGR2GRAY: expected a Mat with 3 channel\(s\), got 8x8x1 uint8/,
    );
    throwsTyped(() => bgr.cvtColorSync('BGRA2BGR'), ShapeError, /4 channel/);
    throwsTyped(
      () => Mat.zeros(8, 8, { channels: 3, dtype: 'uint16' }).cvtColorSync('BGR2HSV'),
      DTypeError,
      /uint8 or float32/,
    );
    throwsTyped(() => bgr.findContoursSync(), ShapeError, /findContours/);
    throwsTyped(
      () => Mat.zeros(8, 8, { dtype: 'float32' }).findContoursSync(),
      DTypeError,
      /findContours: expected a uint8 Mat/,
    );
    throwsTyped(() => bgr.countNonZeroSync(), ShapeError);
    throwsTyped(() => bgr.momentsSync(), ShapeError);
    throwsTyped(() => bgr.inRangeSync([0, 0], [1, 1]), ShapeError, /one bound or 3/);
    throwsTyped(() => bgr.convertToSync('float32', { scale: [1, 2] }), ShapeError, /one per channel \(3\)/);
    throwsTyped(() => bgr.addWeightedSync(0.5, gray, 0.5), ShapeError, /same size and channels/);
    throwsTyped(
      () => bgr.addWeightedSync(0.5, Mat.zeros(8, 8, { channels: 3, dtype: 'float32' }), 0.5),
      DTypeError,
      /options.dtype/,
    );
    throwsTyped(() => bgr.meanSync({ mask: Mat.zeros(4, 4) }), ShapeError, /options.mask/);
    throwsTyped(() => bgr.meanSync({ mask: bgr }), ShapeError, /mean mask/);
    throwsTyped(() => Mat.zeros(4, 4, { channels: 3 }).thresholdSync(0, 255, { type: 'otsu' }), ArgumentError, /Otsu/);
    await rejectsTyped(gray.cvtColor('BGR2RGB'), ShapeError);
  });

  it('zero, negative, oversized and out-of-range sizes', async () => {
    const m = Mat.zeros(8, 8, { channels: 3 });
    for (const size of [
      { width: 0, height: 4 },
      { width: -1, height: 4 },
      { width: 1.5, height: 4 },
      { width: 4 },
      null,
      'big',
    ]) {
      throwsTyped(() => m.resizeSync(size), ArgumentError, /size/);
      await rejectsTyped(m.resize(size), ArgumentError, /size/);
    }
    throwsTyped(() => m.resizeSync({ fx: 0, fy: 1 }), ArgumentError, /positive factors/);
    throwsTyped(() => m.resizeSync({ fx: 0.01, fy: 0.01 }), ShapeError, /to nothing/);
    throwsTyped(() => m.resizeSync({ width: 100000, height: 100000 }), LimitError, /over the limit of 2\^30 pixels/);
    throwsTyped(() => m.resizeSync({ fx: 1e5, fy: 1e5 }), LimitError);
    throwsTyped(() => m.letterboxSync({ width: 2 ** 20, height: 2 ** 20 }), LimitError);
    throwsTyped(() => m.padSync(2 ** 20), LimitError);
    throwsTyped(() => m.padSync(-1), ArgumentError, /padding/);
    throwsTyped(() => m.padSync(9, { border: 'reflect' }), ShapeError, /at most as wide as the Mat/);
    throwsTyped(() => m.cropSync({ x: 0, y: 0, width: 0, height: 1 }), ArgumentError, /rect.width/);
    throwsTyped(() => m.cropSync({ x: -1, y: 0, width: 2, height: 2 }), ShapeError, /inside 8x8/);
    throwsTyped(() => m.rotateSync(45), ArgumentError, /90 \| 180 \| 270/);
    throwsTyped(() => m.flipSync('diagonal'), ArgumentError, /'horizontal' \| 'vertical' \| 'both'/);
    throwsTyped(() => m.flipSync(), ArgumentError);
    throwsTyped(() => m.circle({ x: 1, y: 1 }, -2, 255), ArgumentError, /radius/);
    throwsTyped(() => m.rectangle({ x: 0, y: 0, width: 2, height: 2 }, 'red'), ArgumentError, /color/);
    throwsTyped(() => m.rectangle({ x: 0, y: 0, width: 2, height: 2 }, [1, 2, 3, 4, 5]), ArgumentError, /color/);
    throwsTyped(() => m.line({ x: 0, y: 0 }, { x: 1, y: 1 }, 255, { thickness: 'filled' }), ArgumentError, /thickness/);
    throwsTyped(() => m.line({ x: 0, y: 0 }, { x: 1, y: 1 }, 255, { lineType: 16 }), ArgumentError, /4 \| 8 \| 'aa'/);
    throwsTyped(() => m.putText(42, { x: 0, y: 0 }, 255), ArgumentError, /text/);
    throwsTyped(() => m.putText('a', { x: 0, y: 0 }, 255, { fontScale: 0 }), ArgumentError, /fontScale/);
    throwsTyped(() => m.putText('a', { x: 0, y: 0 }, 255, { font: 'arial' }), ArgumentError, /options.font/);
    throwsTyped(() => m.drawContours([new Int32Array(3)], 255), ArgumentError, /contours\[0\]/);
    throwsTyped(() => m.drawContours([new Int32Array(4)], 255, { index: 1 }), ArgumentError, /options.index/);
  });

  it('unknown names and options', async () => {
    const m = Mat.zeros(8, 8, { channels: 3 });
    throwsTyped(() => m.cvtColorSync('BGR2XYZW'), ArgumentError, /code/);
    throwsTyped(
      () => m.resizeSync({ width: 2, height: 2 }, { interpolation: 'bilinear' }),
      ArgumentError,
      /'nearest' \| 'linear'/,
    );
    throwsTyped(() => m.convertToSync('int64'), DTypeError, /dtype/);
    throwsTyped(() => m.normalizeSync({ norm: 'l3' }), ArgumentError, /options.norm/);
    throwsTyped(() => m.normalizeSync({ dtype: 'bool' }), DTypeError);
    throwsTyped(() => m.findContoursSync({ mode: 'all' }), ArgumentError, /options.mode/);
    throwsTyped(() => m.padSync(1, { border: 'mirror' }), ArgumentError, /options.border/);
    throwsTyped(
      () => m.cropSync({ x: 0, y: 0, width: 1, height: 1 }, { mode: 'share' }),
      ArgumentError,
      /'copy' \| 'view'/,
    );
    throwsTyped(
      () => m.rectangle({ x: 0, y: 0, width: 1, height: 1 }, 0, { onShared: 'ignore' }),
      ArgumentError,
      /onShared/,
    );
    throwsTyped(() => m.addWeightedSync(0.5, {}, 0.5), ArgumentError, /other: expected a Mat/);
    await rejectsTyped(m.convertTo('float32', 'fast'), ArgumentError, /options/);
  });

  it('every operation on a disposed Mat is a DisposedError, sync and async', async () => {
    const m = Mat.zeros(8, 8);
    m.dispose();
    const other = Mat.zeros(8, 8);
    const syncCalls = [
      () => m.resizeSync({ width: 2, height: 2 }),
      () => m.cropSync({ x: 0, y: 0, width: 1, height: 1 }),
      () => m.padSync(1),
      () => m.letterboxSync({ width: 4, height: 4 }),
      () => m.flipSync('both'),
      () => m.rotateSync(90),
      () => m.cvtColorSync('GRAY2BGR'),
      () => m.convertToSync('float32'),
      () => m.normalizeSync(),
      () => m.thresholdSync(1, 2),
      () => m.inRangeSync(0, 1),
      () => m.findContoursSync(),
      () => m.countNonZeroSync(),
      () => m.meanSync(),
      () => m.momentsSync(),
      () => m.encodeSync('png'),
      () => m.addWeightedSync(1, other, 1),
      () => other.addWeightedSync(1, m, 1),
      () => other.meanSync({ mask: m }),
      () => m.rectangle({ x: 0, y: 0, width: 1, height: 1 }, 0),
      () => m.circle({ x: 0, y: 0 }, 1, 0),
      () => m.line({ x: 0, y: 0 }, { x: 1, y: 1 }, 0),
      () => m.drawContours([], 0),
      () => m.putText('a', { x: 0, y: 0 }, 0),
    ];
    for (const call of syncCalls) throwsTyped(call, DisposedError, /disposed/);
    for (const name of [
      'resize',
      'flip',
      'cvtColor',
      'convertTo',
      'normalize',
      'threshold',
      'findContours',
      'countNonZero',
      'mean',
      'moments',
      'encode',
    ]) {
      const args =
        {
          resize: [{ width: 2, height: 2 }],
          flip: ['both'],
          cvtColor: ['GRAY2BGR'],
          convertTo: ['float32'],
          threshold: [1, 2],
          encode: ['png'],
        }[name] ?? [];
      await rejectsTyped(m[name](...args), DisposedError, /disposed/);
    }
  });

  it('the raw native entry points survive garbage arguments', async () => {
    const native = require(tfcv.nativePath); // the binary this run loaded (the source build, or the static one with TFCV_BINARY=prebuilt)
    const live = Mat.zeros(4, 4, { channels: 3 });
    const handle = require('../dist/mat').matHandle(live);
    const garbage = [
      undefined,
      null,
      0,
      -1,
      1e300,
      NaN,
      'x',
      {},
      [],
      [1, 2, 3, 4, 5],
      new Int32Array(3),
      Buffer.alloc(2),
      () => 0,
    ];
    const names = Object.keys(native).filter(
      (k) =>
        typeof native[k] === 'function' &&
        !/^(Native|registerErrors|flushDeferred|stats|versions|setMaxAllocationBytes)/.test(k),
    );
    let calls = 0;
    for (const name of names) {
      for (const g of garbage) {
        for (const args of [[], [g], [handle, g], [handle, g, g, g, g, g, g, g, g], [g, handle]]) {
          let result;
          try {
            result = native[name](...args);
          } catch (e) {
            assert.ok(e instanceof Error && typeof e.code === 'string', `${name}: ${e && e.message}`);
          }
          if (result && typeof result.then === 'function') {
            await result.then(
              () => {},
              (e) => assert.ok(e instanceof Error && typeof e.code === 'string', `${name} async: ${e && e.message}`),
            );
          }
          calls++;
        }
      }
    }
    assert.ok(calls > 1000, `${calls} calls`);
    await collect();
  });
});

describe('image operations in worker_threads', () => {
  it('two workers decode, transform and preprocess while the main thread does the same', async () => {
    const run = (id) =>
      new Promise((resolve, reject) => {
        const w = new Worker(path.join(__dirname, 'workers/image-worker.js'), { workerData: { id } });
        w.once('message', resolve);
        w.once('error', reject);
      });
    const main = (async () => {
      const t = await tfcv.preprocess(image('photo_640x480.jpg'), { width: 32, height: 32, dtype: 'uint8' });
      return Array.from(t.data.subarray(0, 8));
    })();
    const [a, b, ours] = await Promise.all([run(1), run(2), main]);
    for (const r of [a, b]) {
      assert.equal(r.error, undefined, r.error);
      assert.deepEqual(r.first, ours, 'the same pixels in every environment');
      assert.equal(r.contours, 11);
    }
  });
});
