// preprocess(): matches the cv2 chain on the fixtures, matches the chain of tfcv's single
// operations bit for bit across fit modes, channel orders, dtypes, layouts and input kinds,
// decodes JPEGs at the documented reduced scale with decodeScale 'auto' (and stays close to
// a full decode), derives specs from model signatures, and refuses bad specs and inputs
// with typed errors before any native work.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, collect, throwsTyped, rejectsTyped } = require('./helpers');
const { assertMatches, bytesOf, image, reference } = require('./image-reference.test.js');
const { Mat, Tensor, ArgumentError, DTypeError, ShapeError, DisposedError, DecodeError } = tfcv;

const IMAGENET = { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** The documented rule of decodeScale 'auto': the smallest JPEG scale the fit still shrinks from. */
function autoReduce(width, height, spec) {
  for (const n of [8, 4, 2]) {
    const w = Math.ceil(width / n),
      h = Math.ceil(height / n);
    const enough =
      spec.resize === 'letterbox' ? w >= spec.width || h >= spec.height : w >= spec.width && h >= spec.height;
    if (enough) return n;
  }
  return 1;
}

/**
 * preprocess spelled as the chain of single operations (README, "Preprocess"): decode,
 * (gray conversion of a colour Mat), center-crop, resize, channels, letterbox padding,
 * channel order, per-channel convertTo, toTensor. Returns the tensor's bytes.
 */
async function chain(input, spec, reduce = 1) {
  const C = spec.channels ?? 3;
  const W = spec.width,
    H = spec.height;
  const interpolation = spec.interpolation ?? 'linear';
  let m = input instanceof Mat ? input : await Mat.decode(input, { flags: C === 1 ? 'grayscale' : 'color', reduce });
  if (C === 1 && m.channels > 1) m = await m.cvtColor(m.channels === 4 ? 'BGRA2GRAY' : 'BGR2GRAY');
  if (spec.resize === 'center-crop')
    m = await m.crop(tfcv.centerCropRect({ width: m.cols, height: m.rows }, { width: W, height: H }));
  const g =
    spec.resize === 'letterbox'
      ? tfcv.letterboxGeometry({ width: m.cols, height: m.rows }, { width: W, height: H })
      : { x: 0, y: 0, width: W, height: H };
  m = await m.resize({ width: g.width, height: g.height }, { interpolation });
  if (C === 3 && m.channels === 1) m = await m.cvtColor('GRAY2BGR');
  if (C === 3 && m.channels === 4) m = await m.cvtColor('BGRA2BGR');
  const rgb = C === 3 && (spec.channelOrder ?? 'RGB') === 'RGB';
  if (spec.resize === 'letterbox') {
    const fill =
      typeof spec.fill === 'number' || spec.fill === undefined ? new Array(C).fill(spec.fill ?? 0) : spec.fill;
    m = await m.pad(
      { top: g.y, bottom: H - g.height - g.y, left: g.x, right: W - g.width - g.x },
      { value: rgb ? fill.slice().reverse() : fill },
    );
  }
  if (rgb) m = await m.cvtColor('BGR2RGB');
  if ((spec.dtype ?? 'float32') === 'float32') {
    const per = (v, d) => (v === undefined ? new Array(C).fill(d) : typeof v === 'number' ? new Array(C).fill(v) : v);
    const mean = per(spec.mean, 0),
      std = per(spec.std, 1),
      scale = spec.scale ?? 1;
    m = await m.convertTo('float32', { scale: std.map((s) => scale / s), shift: mean.map((mu, c) => -mu / std[c]) });
  }
  const t = await tfcv.toTensor(m, { layout: spec.layout ?? 'NHWC' });
  return Buffer.from(bytesOf(t.data));
}

function meanAbsDiff(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

async function chainBatch(inputs, spec, reduces = []) {
  const parts = [];
  for (let i = 0; i < inputs.length; i++) parts.push(await chain(inputs[i], spec, reduces[i] ?? 1));
  return Buffer.concat(parts);
}

describe('preprocess', () => {
  describe('matches the cv2 chain on the fixtures', () => {
    for (const c of reference('preprocess.json')) {
      it(`${c.name}: ${c.images.length} image(s) -> ${c.output.dtype} [${c.output.shape}]`, async () => {
        const t = await tfcv.preprocess(c.images.map(image), c.spec);
        assertMatches(c.name, t.data, t.dtype, t.shape, c.output);
      });
    }
  });

  describe('equals the chain of single operations exactly', () => {
    const jpeg = image('photo_640x480.jpg');
    const png = image('photo_317x233.png');
    const gray = image('gray_200x150.jpg');
    const specs = [
      { width: 64, height: 48, ...IMAGENET },
      { width: 64, height: 48, channelOrder: 'BGR', layout: 'NCHW', ...IMAGENET },
      { width: 50, height: 70, resize: 'letterbox', fill: [114, 20, 200], ...IMAGENET },
      { width: 50, height: 70, resize: 'letterbox', fill: 7, layout: 'NCHW', dtype: 'uint8' },
      { width: 56, height: 40, resize: 'center-crop', interpolation: 'area', dtype: 'uint8' },
      { width: 56, height: 40, resize: 'center-crop', interpolation: 'cubic', channelOrder: 'BGR', dtype: 'uint8' },
      { width: 33, height: 31, channels: 1, scale: 1 / 255, mean: 0.5, std: 0.5, resize: 'letterbox', fill: 255 },
      { width: 33, height: 31, channels: 1, dtype: 'uint8', layout: 'NCHW', interpolation: 'nearest' },
    ];
    for (const spec of specs) {
      it(`${JSON.stringify(spec)}: Buffers (JPEG, PNG, gray JPEG) and Mats (BGR, BGRA, gray)`, async () => {
        const mats = [
          Mat.decodeSync(png),
          Mat.decodeSync(image('rgba_160x120.png'), { flags: 'unchanged' }),
          Mat.decodeSync(gray, { flags: 'grayscale' }),
        ];
        const inputs = [jpeg, png, gray, ...mats];
        const t = await tfcv.preprocess(inputs, spec);
        const C = spec.channels ?? 3;
        assert.deepEqual(
          t.shape,
          spec.layout === 'NCHW'
            ? [inputs.length, C, spec.height, spec.width]
            : [inputs.length, spec.height, spec.width, C],
        );
        assert.equal(t.dtype, spec.dtype ?? 'float32');
        assert.ok(Buffer.from(bytesOf(t.data)).equals(await chainBatch(inputs, spec)), 'tensor bytes equal the chain');
      });
    }
  });

  describe("decodeScale: 'auto'", () => {
    const hd = image('photo_1920x1080.jpg');

    it('decodes JPEGs at the documented reduced scale: exactly the chain with that reduce', async () => {
      const cases = [
        [{ width: 224, height: 224, ...IMAGENET }, 4], // 480x270 is the smallest that covers 224x224
        [{ width: 224, height: 224, resize: 'letterbox', fill: 114, ...IMAGENET }, 8], // 240x135 covers the 224 width
        [{ width: 224, height: 224, resize: 'center-crop', dtype: 'uint8' }, 4],
        [{ width: 96, height: 64, layout: 'NCHW', channelOrder: 'BGR', ...IMAGENET }, 8],
        [{ width: 1000, height: 600, dtype: 'uint8' }, 1], // nothing smaller covers it: full decode
      ];
      for (const [spec, reduce] of cases) {
        assert.equal(autoReduce(1920, 1080, spec), reduce);
        const auto = await tfcv.preprocess([hd, image('photo_640x480.jpg')], { ...spec, decodeScale: 'auto' });
        const expected = await chainBatch([hd, image('photo_640x480.jpg')], spec, [reduce, autoReduce(640, 480, spec)]);
        assert.ok(
          Buffer.from(bytesOf(auto.data)).equals(expected),
          `${JSON.stringify(spec)}: auto equals the chain with reduce 1/${reduce}`,
        );
      }
    });

    it('leaves non-JPEG images at full size, and respects EXIF orientation when choosing the scale', async () => {
      const spec = { width: 40, height: 40, dtype: 'uint8' };
      const png = image('photo_317x233.png');
      const auto = await tfcv.preprocess(png, { ...spec, decodeScale: 'auto' });
      assert.ok(Buffer.from(bytesOf(auto.data)).equals(await chain(png, spec)));
      // Upright 160x240: 1/4 gives 40x60 (enough), where the stored 240x160 would allow 1/4 too,
      // but a 40x70 target needs 1/2 upright (1/4 is 40x60 < 70) though stored 60x40 >= 40x... would not.
      const exif = image('exif_rot6_240x160.jpg');
      const tall = { width: 40, height: 70, dtype: 'uint8' };
      assert.equal(autoReduce(160, 240, tall), 2);
      const t = await tfcv.preprocess(exif, { ...tall, decodeScale: 'auto' });
      assert.ok(Buffer.from(bytesOf(t.data)).equals(await chain(exif, tall, 2)));
    });

    it('costs little accuracy against full decode + resize (1080p JPEG -> 224x224 float RGB)', async () => {
      // Mean absolute difference from decodeScale 'full', in 0..255 pixel units. Measured
      // (OpenCV 4.6, libjpeg-turbo 2.1): 'linear' stretch 1.49, letterbox 1.97 (1/8 scale),
      // center-crop 1.58; 'area' 0.59 / 0.99 / 0.78. And 'auto' + 'linear' is nearer an
      // anti-aliased reference (full decode + 'area') than 'full' + 'linear' is (0.71 vs 1.75).
      const bounds = { linear: 2.5, area: 1.25 };
      for (const resize of ['stretch', 'letterbox', 'center-crop']) {
        for (const interpolation of ['linear', 'area']) {
          const spec = { width: 224, height: 224, resize, interpolation, scale: 1 / 255 };
          const [full, auto] = await Promise.all(
            ['full', 'auto'].map((decodeScale) => tfcv.preprocess(hd, { ...spec, decodeScale })),
          );
          const mad = meanAbsDiff(full.data, auto.data) * 255;
          assert.ok(mad > 0, 'the reduced decode really was used');
          assert.ok(mad < bounds[interpolation], `${resize} ${interpolation}: mean abs diff ${mad.toFixed(3)}`);
        }
      }
      const spec = { width: 224, height: 224, scale: 1 / 255 };
      const [antiAliased, full, auto] = await Promise.all([
        tfcv.preprocess(hd, { ...spec, interpolation: 'area' }),
        tfcv.preprocess(hd, spec),
        tfcv.preprocess(hd, { ...spec, decodeScale: 'auto' }),
      ]);
      assert.ok(meanAbsDiff(antiAliased.data, auto.data) < meanAbsDiff(antiAliased.data, full.data));
    });
  });

  describe('specFromSignature', () => {
    it('reads size, channels, dtype and layout from NHWC and NCHW signatures; overrides fill the rest', async () => {
      const nhwc = tfcv.specFromSignature(
        { dtype: 'float32', shape: [-1, 224, 192, 3] },
        { resize: 'letterbox', ...IMAGENET },
      );
      assert.deepEqual(
        [
          nhwc.width,
          nhwc.height,
          nhwc.channels,
          nhwc.dtype,
          nhwc.layout,
          nhwc.resize,
          nhwc.channelOrder,
          nhwc.decodeScale,
        ],
        [192, 224, 3, 'float32', 'NHWC', 'letterbox', 'RGB', 'full'],
      );
      assert.deepEqual(nhwc.std, IMAGENET.std);
      const nchw = tfcv.specFromSignature({ dtype: 'uint8', shape: [1, 1, 28, 32] });
      assert.deepEqual([nchw.width, nchw.height, nchw.channels, nchw.dtype, nchw.layout], [32, 28, 1, 'uint8', 'NCHW']);
      const t = await tfcv.preprocess([image('photo_96x64.bmp'), image('gray_200x150.jpg')], nchw);
      assert.deepEqual(t.shape, [2, 1, 28, 32]);
      const open = tfcv.specFromSignature({ dtype: 'float32', shape: [-1, -1, -1, 3] }, { width: 300, height: 200 });
      assert.deepEqual([open.width, open.height], [300, 200]);
      // [N,3,H,3] is ambiguous: NHWC unless the overrides say otherwise.
      assert.equal(tfcv.specFromSignature({ dtype: 'float32', shape: [1, 3, 8, 3] }).layout, 'NHWC');
      const forced = tfcv.specFromSignature({ dtype: 'float32', shape: [1, 3, 8, 3] }, { layout: 'NCHW' });
      assert.deepEqual([forced.layout, forced.height, forced.width], ['NCHW', 8, 3]);
    });

    it('refuses signatures preprocess cannot produce and contradicting overrides', () => {
      const sig = (dtype, shape) => ({ dtype, shape });
      throwsTyped(
        () => tfcv.specFromSignature(sig('int32', [1, 224, 224, 3])),
        DTypeError,
        /preprocess writes float32 or uint8/,
      );
      throwsTyped(() => tfcv.specFromSignature(sig('float32', [224, 224, 3])), ShapeError, /rank 4/);
      throwsTyped(() => tfcv.specFromSignature(sig('float32', [1, 224, 224, 4])), ShapeError, /no channel dim/);
      throwsTyped(
        () => tfcv.specFromSignature(sig('float32', [1, 224, 224, 4]), { layout: 'NHWC' }),
        ShapeError,
        /4 channels/,
      );
      throwsTyped(
        () => tfcv.specFromSignature(sig('float32', [-1, -1, 224, 3])),
        ShapeError,
        /height unknown; pass overrides.height/,
      );
      throwsTyped(
        () => tfcv.specFromSignature(sig('float32', [1, 224, 224, 3]), { width: 200 }),
        ShapeError,
        /contradicts/,
      );
      throwsTyped(
        () => tfcv.specFromSignature(sig('float32', [1, 224, 224, 3]), { dtype: 'uint8' }),
        DTypeError,
        /contradicts/,
      );
      throwsTyped(() => tfcv.specFromSignature(sig('float32', [1, 2.5, 224, 3])), ShapeError);
      throwsTyped(() => tfcv.specFromSignature(null), ArgumentError);
    });
  });

  describe('inputs, ownership and bad calls', () => {
    it('Mats are pinned for the job: disposing one meanwhile is safe; encoded bytes are copied at the call', async () => {
      const spec = { width: 48, height: 32, dtype: 'uint8' };
      const m = Mat.decodeSync(image('photo_317x233.png'));
      const bytes = Buffer.from(image('photo_640x480.jpg'));
      const expected = Buffer.concat([await chain(m, spec), await chain(Buffer.from(bytes), spec)]);
      const pending = tfcv.preprocess([m, bytes], spec);
      m.dispose();
      bytes.fill(0);
      const t = await pending;
      assert.ok(Buffer.from(bytesOf(t.data)).equals(expected));
    });

    it('one image without an array is a batch of one; the output is aligned TensorFlow memory', async () => {
      const t = await tfcv.preprocess(image('photo_96x64.bmp'), { width: 16, height: 16 });
      assert.ok(t instanceof Tensor);
      assert.deepEqual(t.shape, [1, 16, 16, 3]);
      assert.equal(t.data.byteOffset % 64, 0);
    });

    it('bad images are typed errors naming their index', async () => {
      const spec = { width: 8, height: 8 };
      const disposed = Mat.zeros(4, 4, { channels: 3 });
      disposed.dispose();
      await rejectsTyped(tfcv.preprocess([], spec), ArgumentError, /at least one image/);
      await rejectsTyped(
        tfcv.preprocess([image('photo_96x64.bmp'), 'cat.jpg'], spec),
        ArgumentError,
        /images\[1\]: expected a Buffer/,
      );
      await rejectsTyped(tfcv.preprocess([disposed], spec), DisposedError, /images\[0\]/);
      await rejectsTyped(
        tfcv.preprocess([Mat.zeros(4, 4, { channels: 3, dtype: 'float32' })], spec),
        DTypeError,
        /images\[0\]: expected a uint8 Mat/,
      );
      await rejectsTyped(
        tfcv.preprocess([Mat.zeros(4, 4, { channels: 2 })], spec),
        ShapeError,
        /images\[0\]: expected a Mat with 1 or 3 or 4 channel/,
      );
      await rejectsTyped(tfcv.preprocess([Buffer.alloc(10)], spec), DecodeError, /images\[0\]/);
    });

    it('bad specs are typed errors before any native work', async () => {
      const img = image('photo_96x64.bmp');
      const bad = [
        [undefined, /spec: expected/],
        [{ height: 8 }, /spec.width/],
        [{ width: 0, height: 8 }, /spec.width/],
        [{ width: -4, height: 8 }, /spec.width/],
        [{ width: 2 ** 16, height: 2 ** 16 }, /over the limit of 2\^30 pixels/],
        [{ width: 8, height: 8, resize: 'fit' }, /spec.resize: expected 'stretch' \| 'letterbox' \| 'center-crop'/],
        [{ width: 8, height: 8, channels: 4 }, /spec.channels: expected 1 \| 3/],
        [{ width: 8, height: 8, interpolation: 'bilinear' }, /spec.interpolation/],
        [{ width: 8, height: 8, channelOrder: 'rgb' }, /spec.channelOrder/],
        [{ width: 8, height: 8, std: [1, 0, 1] }, /spec.std\[1\]: expected a non-zero/],
        [{ width: 8, height: 8, mean: [1, 2] }, /spec.mean: expected a number or 3 numbers/],
        [{ width: 8, height: 8, dtype: 'uint8', scale: 1 / 255 }, /apply to dtype 'float32' only/],
        [{ width: 8, height: 8, fill: 300 }, /spec.fill\[0\]: expected a pixel value in 0..255/],
        [{ width: 8, height: 8, layout: 'HWC' }, /spec.layout/],
        [{ width: 8, height: 8, decodeScale: 'half' }, /spec.decodeScale: expected 'auto' \| 'full'/],
      ];
      for (const [spec, pattern] of bad) await rejectsTyped(tfcv.preprocess(img, spec), ArgumentError, pattern);
      await rejectsTyped(tfcv.preprocess(img, { width: 8, height: 8, dtype: 'int8' }), DTypeError, /spec.dtype/);
    });

    it('the raw native entry point survives garbage arguments', async () => {
      const native = require(tfcv.nativePath); // the binary this run loaded (the source build, or the static one with TFCV_BINARY=prebuilt)
      const good = {
        width: 4,
        height: 4,
        resize: 'stretch',
        interpolation: 'linear',
        channels: 3,
        channelOrder: 'RGB',
        dtype: 'float32',
        scale: 1,
        mean: [0, 0, 0],
        std: [1, 1, 1],
        fill: [0, 0, 0],
        layout: 'NHWC',
        decodeScale: 'full',
        maxPixels: 1e6,
      };
      const calls = [
        () => native.preprocessSync(),
        () => native.preprocessSync([Buffer.alloc(1)], null),
        () => native.preprocessSync('x', good),
        () => native.preprocessSync([{}], good),
        () => native.preprocessSync([Buffer.alloc(1)], { ...good, mean: [0] }),
        () => native.preprocessSync([Buffer.alloc(1)], { ...good, std: [0, 1, 1] }),
        () => native.preprocessSync([Buffer.alloc(1)], { ...good, channels: 2 }),
        () => native.preprocessSync([Buffer.alloc(1)], { ...good, dtype: 'bool' }),
        () => native.preprocessSync([Buffer.alloc(1)], { ...good, scale: 2 }),
        () => native.preprocessSync(new Array(70000).fill(Buffer.alloc(1)), good),
      ];
      for (const call of calls) assert.throws(call, (e) => e instanceof Error && typeof e.code === 'string');
      await assert.rejects(native.preprocess([Buffer.alloc(1)], good), (e) => e instanceof DecodeError);
      await collect();
    });
  });

  describe("evaluate()'s default input, built by preprocess", () => {
    const { buildInput, defaultRecipe } = require('../dist/evaluate/input_plan');
    // Python's recipe, step by step: cv2.cvtColor, cv2.resize (INTER_AREA when shrinking, else
    // INTER_LINEAR), then img.astype(np.float32) / divisor as one float32 division per value.
    async function pythonRecipe(mat, height, width, order, divisor) {
      let m =
        mat.channels === 4
          ? mat.cvtColorSync(order === 'rgb' ? 'BGRA2RGB' : 'BGRA2BGR')
          : mat.channels === 1
            ? mat.cvtColorSync(order === 'rgb' ? 'GRAY2RGB' : 'GRAY2BGR')
            : order === 'rgb'
              ? mat.cvtColorSync('BGR2RGB')
              : mat;
      const shrinking = m.rows > height || m.cols > width;
      if (m.rows !== height || m.cols !== width)
        m = m.resizeSync({ width, height }, { interpolation: shrinking ? 'area' : 'linear' });
      const divided = new Float32Array(m.data.length);
      const d = Math.fround(divisor);
      for (let i = 0; i < divided.length; i++) divided[i] = Math.fround(m.data[i] / d);
      return divided;
    }
    function randomMat(rows, cols, channels, seed) {
      const px = new Uint8Array(rows * cols * channels);
      let x = seed;
      for (let i = 0; i < px.length; i++) px[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      return Mat.fromBuffer(px, { rows, cols, channels });
    }

    it('equals cv2 + a float32 division per value, shrinking (area), enlarging (linear), mixed, from 1, 3 and 4 channels', async () => {
      const inputs = { x: { dtype: 'float32', shape: [-1, 48, 40, 3], name: 'x' } };
      const images = [
        randomMat(97, 61, 3, 1),
        randomMat(20, 30, 3, 2),
        randomMat(30, 90, 4, 3),
        randomMat(48, 40, 1, 4),
      ];
      for (const [order, divisor] of [
        ['rgb', 255],
        ['bgr', 127.5],
      ]) {
        const { tensor } = await buildInput(defaultRecipe(inputs, order, divisor), images);
        assert.deepEqual(tensor.shape, [4, 48, 40, 3]);
        const slot = 48 * 40 * 3;
        for (let i = 0; i < images.length; i++) {
          const expected = await pythonRecipe(images[i], 48, 40, order, divisor);
          assert.deepEqual(
            tensor.data.subarray(i * slot, (i + 1) * slot),
            expected,
            `image ${i} ${order} / ${divisor}`,
          );
        }
        tensor.dispose();
      }
    });
  });
});
