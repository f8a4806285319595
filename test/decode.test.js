// Decoding and encoding: the pixel limit is enforced from the header before any decoding;
// corrupt, truncated, empty and non-image buffers are DecodeErrors (sync, async and inside
// a preprocess batch, naming the image) and never a partial image; EXIF orientation;
// encode / write / read round trips and the formats' dtype rules.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { tfcv, collect, throwsTyped, rejectsTyped, randomBytes } = require('./helpers');
const { Mat, DecodeError, LimitError, ArgumentError, DTypeError, ShapeError, DisposedError } = tfcv;

const image = (name) => fs.readFileSync(path.join(__dirname, 'fixtures/images', name));
const SPEC = { width: 32, height: 32 };

/** A copy of a JPEG whose frame header claims width x height. */
function jpegClaiming(width, height, keepBytes) {
  const b = Buffer.from(image('photo_640x480.jpg'));
  for (let o = 2; o < b.length - 9;) {
    const marker = b[o + 1];
    if (marker >= 0xc0 && marker <= 0xc2) {
      b.writeUInt16BE(height, o + 5);
      b.writeUInt16BE(width, o + 7);
      return keepBytes ? b.subarray(0, keepBytes) : b;
    }
    o += 2 + b.readUInt16BE(o + 2);
  }
  throw new Error('no SOF marker');
}

/** Header-only files in other formats that claim width x height. */
function headerClaiming(format, width, height) {
  if (format === 'png') {
    const b = Buffer.from(image('photo_317x233.png').subarray(0, 64));
    b.writeUInt32BE(width, 16);
    b.writeUInt32BE(height, 20);
    return b;
  }
  if (format === 'bmp') {
    const b = Buffer.from(image('photo_96x64.bmp').subarray(0, 54));
    b.writeInt32LE(width, 18);
    b.writeInt32LE(-height, 22); // top-down: the magnitude counts
    return b;
  }
  if (format === 'pnm') return Buffer.from(`P6\n# a comment\n${width} ${height}\n255\n`);
  throw new Error(format);
}

describe('decode limits and bad input', () => {
  it('a header claiming more pixels than maxPixels is a LimitError before any decoding (JPEG, PNG, BMP, PNM)', async () => {
    // Each buffer is only a header: decoding it would be a DecodeError, so a LimitError
    // proves the limit was applied from the header first.
    const bombs = [
      [
        'jpeg',
        jpegClaiming(12000, 12000, 700),
        /jpeg image is 12000x12000 \(144000000 pixels\), over maxPixels 100000000/,
      ],
      ['png', headerClaiming('png', 30000, 30000), /png image is 30000x30000/],
      ['bmp', headerClaiming('bmp', 20000, 20000), /bmp image is 20000x20000/],
      ['pnm', headerClaiming('pnm', 15000, 9000), /pnm image is 15000x9000/],
    ];
    for (const [format, data, pattern] of bombs) {
      throwsTyped(() => Mat.decodeSync(data), LimitError, pattern);
      await rejectsTyped(Mat.decode(data), LimitError, pattern);
      await rejectsTyped(tfcv.preprocess([image('photo_96x64.bmp'), data], SPEC), LimitError, /^images\[1\]: /);
      assert.ok(format);
    }
  });

  it('maxPixels is exact, per call, and checked for WebP, TIFF and after decoding for the rest', async () => {
    const jpeg = image('photo_640x480.jpg');
    assert.equal(Mat.decodeSync(jpeg, { maxPixels: 640 * 480 }).cols, 640);
    throwsTyped(() => Mat.decodeSync(jpeg, { maxPixels: 640 * 480 - 1 }), LimitError, /640x480/);
    throwsTyped(
      () => Mat.decodeSync(image('photo_128x96.webp'), { maxPixels: 1000 }),
      LimitError,
      /webp image is 128x96/,
    );
    throwsTyped(
      () => Mat.decodeSync(image('photo_120x80.tiff'), { maxPixels: 1000 }),
      LimitError,
      /tiff image is 120x80/,
    );
    await rejectsTyped(
      tfcv.preprocess(jpeg, { ...SPEC, maxPixels: 1000 }),
      LimitError,
      /images\[0\]: the jpeg image is 640x480/,
    );
    assert.equal((await tfcv.preprocess(jpeg, { ...SPEC, maxPixels: 640 * 480 })).shape[0], 1);
    for (const bad of [0, -1, 1.5, 2 ** 30 + 1, 'many', null]) {
      throwsTyped(() => Mat.decodeSync(jpeg, { maxPixels: bad }), ArgumentError, /options.maxPixels/);
      await rejectsTyped(tfcv.preprocess(jpeg, { ...SPEC, maxPixels: bad }), ArgumentError, /spec.maxPixels/);
    }
    assert.equal(tfcv.DEFAULT_MAX_PIXELS, 100_000_000);
  });

  it('truncated files of every format, corrupt JPEG / PNG data, empty and non-image buffers are DecodeErrors', async () => {
    const bad = [];
    for (const name of [
      'photo_640x480.jpg',
      'progressive_320x240.jpg',
      'photo_317x233.png',
      'photo_96x64.bmp',
      'photo_128x96.webp',
      'photo_120x80.tiff',
    ]) {
      const full = image(name);
      for (const fraction of [0.01, 0.3, 0.97])
        bad.push([`${name} cut at ${fraction}`, full.subarray(0, Math.floor(full.length * fraction))]);
    }
    for (const name of ['photo_640x480.jpg', 'photo_317x233.png']) {
      // Flipped bytes in the middle: JPEG entropy data and PNG's CRC detect it.
      const corrupt = Buffer.from(image(name));
      for (let i = corrupt.length >> 1, end = i + 40; i < end; i++) corrupt[i] ^= 0x5a;
      bad.push([`${name} corrupted`, corrupt]);
    }
    bad.push(
      ['empty', Buffer.alloc(0)],
      ['text', Buffer.from('definitely not an image')],
      ['random', randomBytes(5000, 3)],
      ['SOI only', Buffer.from([0xff, 0xd8, 0xff])],
      ['an empty ArrayBuffer', new ArrayBuffer(0)],
    );
    for (const [label, data] of bad) {
      assert.throws(() => Mat.decodeSync(data), DecodeError, label);
      await assert.rejects(Mat.decode(data), DecodeError, label);
    }
  });

  it('a bad image in a batch rejects the whole batch, names its index, and leaves nothing behind', async () => {
    await collect();
    const before = tfcv.stats();
    const good = image('photo_640x480.jpg');
    const truncated = good.subarray(0, 9000);
    await rejectsTyped(
      tfcv.preprocess([good, good, truncated, good], SPEC),
      DecodeError,
      /^images\[2\]: corrupt or truncated JPEG/,
    );
    await rejectsTyped(
      tfcv.preprocess([good, Buffer.alloc(0)], SPEC),
      DecodeError,
      /^images\[1\]: cannot decode an empty buffer/,
    );
    await rejectsTyped(tfcv.preprocess([Buffer.from('nope'), truncated], SPEC), DecodeError, /^images\[0\]: /);
    await collect();
    const after = tfcv.stats();
    assert.equal(after.liveTensors, before.liveTensors, 'no batch tensor survives a failed batch');
    assert.equal(after.liveMats, before.liveMats);
  });

  it('JPEG EXIF orientation is applied like cv::imdecode (color, grayscale; not unchanged) and before reducing', () => {
    const jpeg = image('exif_rot6_240x160.jpg');
    const upright = Mat.decodeSync(jpeg);
    assert.deepEqual([upright.rows, upright.cols], [240, 160]);
    assert.deepEqual(
      [Mat.decodeSync(jpeg, { flags: 'grayscale' }).rows, Mat.decodeSync(jpeg, { flags: 'unchanged' }).rows],
      [240, 160],
    );
    const reduced = Mat.decodeSync(jpeg, { reduce: 4 });
    assert.deepEqual([reduced.rows, reduced.cols], [60, 40]);
    // Orientation 6 is a clockwise quarter turn of the stored image.
    const stored = Mat.decodeSync(jpeg, { flags: 'unchanged' });
    assert.deepEqual(Buffer.from(stored.rotateSync(90).data), Buffer.from(upright.data));
  });

  it('bad decode options and arguments are typed errors', async () => {
    const jpeg = image('photo_640x480.jpg');
    throwsTyped(() => Mat.decodeSync('a path?'), ArgumentError, /data: expected a Buffer/);
    throwsTyped(() => Mat.decodeSync(jpeg, { flags: 'colour' }), ArgumentError, /options.flags/);
    throwsTyped(() => Mat.decodeSync(jpeg, { reduce: 3 }), ArgumentError, /options.reduce: expected 1 \| 2 \| 4 \| 8/);
    throwsTyped(() => Mat.decodeSync(jpeg, 'color'), ArgumentError, /options/);
    throwsTyped(
      () => Mat.decodeSync(new Uint8Array(new SharedArrayBuffer(64))),
      ArgumentError,
      /over a SharedArrayBuffer/,
    );
    await rejectsTyped(
      tfcv.preprocess([new Uint8Array(new SharedArrayBuffer(64))], SPEC),
      ArgumentError,
      /images\[0\]: expected a view of an ArrayBuffer/,
    );
    await rejectsTyped(Mat.read(''), ArgumentError, /path/);
    await assert.rejects(Mat.read(path.join(os.tmpdir(), 'tfcv-no-such-file.png')), /ENOENT/);
  });
});

describe('encode, write and read', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-codec-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lossless formats round-trip exactly: PNG (uint8 1/3/4 channels, uint16), BMP, TIFF (1-channel float32)', async () => {
    const sources = [
      Mat.decodeSync(image('photo_317x233.png')),
      Mat.decodeSync(image('photo_317x233.png'), { flags: 'grayscale' }),
      Mat.decodeSync(image('rgba_160x120.png'), { flags: 'unchanged' }),
      Mat.decodeSync(image('gray16_64x48.png'), { flags: 'unchanged' }),
    ];
    for (const m of sources) {
      const png = await m.encode('png', { compression: 9 });
      assert.ok(png.equals(m.encodeSync('png', { compression: 9 })), 'sync and async encoders agree');
      const back = Mat.decodeSync(png, { flags: 'unchanged' });
      assert.deepEqual([back.rows, back.cols, back.channels, back.dtype], [m.rows, m.cols, m.channels, m.dtype]);
      assert.deepEqual(
        Buffer.from(back.data.buffer, back.data.byteOffset, back.byteLength),
        Buffer.from(m.data.buffer, m.data.byteOffset, m.byteLength),
      );
    }
    const bgr = sources[0];
    assert.deepEqual(Buffer.from(Mat.decodeSync(await bgr.encode('bmp')).data), Buffer.from(bgr.data));
    // (OpenCV writes 3-channel float TIFFs as lossy SGILOG: one channel stays exact.)
    const float = sources[1].convertToSync('float32', { scale: 1 / 255 });
    const tiff = Mat.decodeSync(float.encodeSync('tiff'), { flags: 'unchanged' });
    assert.equal(tiff.dtype, 'float32');
    assert.deepEqual(Array.from(tiff.data), Array.from(float.data));
  });

  it('JPEG and WebP encode lossy at the requested quality', async () => {
    const m = Mat.decodeSync(image('photo_317x233.png'));
    const meanAbsDiff = (a, b) => a.reduce((s, x, i) => s + Math.abs(x - b[i]), 0) / a.length;
    const q95 = await m.encode('jpeg', { quality: 95 });
    const q20 = await m.encode('jpeg', { quality: 20 });
    assert.ok(q20.length < q95.length);
    assert.ok(meanAbsDiff(Mat.decodeSync(q95).data, m.data) < meanAbsDiff(Mat.decodeSync(q20).data, m.data));
    assert.ok(meanAbsDiff(Mat.decodeSync(q95).data, m.data) < 3);
    assert.equal(Mat.decodeSync(await m.encode('webp', { quality: 80 })).cols, m.cols);
  });

  it('write() picks the format from the extension; read() decodes files (sync and async)', async () => {
    const m = Mat.decodeSync(image('photo_96x64.bmp'));
    for (const ext of ['png', 'bmp', 'tiff', 'jpg', 'webp']) {
      const file = path.join(tmp, `out.${ext}`);
      await m.write(file);
      const magic = fs.readFileSync(file).subarray(0, 4);
      const expected = { png: '89504e47', bmp: '424d', tiff: '49492a00', jpg: 'ffd8ff', webp: '52494646' }[ext];
      assert.ok(magic.toString('hex').startsWith(expected), `${ext} file starts with its magic`);
      const back = await Mat.read(file);
      assert.deepEqual([back.rows, back.cols], [64, 96]);
    }
    m.writeSync(path.join(tmp, 'sync.png'));
    assert.deepEqual(Buffer.from(Mat.readSync(path.join(tmp, 'sync.png')).data), Buffer.from(m.data));
    m.writeSync(path.join(tmp, 'forced.bin'), { format: 'png' });
    assert.equal(Mat.readSync(path.join(tmp, 'forced.bin')).cols, 96);
    await rejectsTyped(m.write(path.join(tmp, 'out.gif')), ArgumentError, /options.format: required/);
  });

  it('a dtype or channel count a format cannot hold, bad options and disposed Mats are typed errors', async () => {
    const float = Mat.zeros(4, 4, { channels: 3, dtype: 'float32' });
    throwsTyped(() => float.encodeSync('jpeg'), DTypeError, /encode jpeg: expected a uint8 Mat, got 4x4x3 float32/);
    throwsTyped(() => Mat.zeros(4, 4, { dtype: 'uint16' }).encodeSync('bmp'), DTypeError);
    throwsTyped(() => Mat.zeros(4, 4, { channels: 2 }).encodeSync('png'), ShapeError, /1 or 3 or 4 channel/);
    const m = Mat.zeros(4, 4);
    throwsTyped(() => m.encodeSync('gif'), ArgumentError, /format: expected 'jpeg'/);
    throwsTyped(() => m.encodeSync(), ArgumentError, /format/);
    throwsTyped(() => m.encodeSync('png', { quality: 90 }), ArgumentError, /only for 'jpeg' and 'webp'/);
    throwsTyped(() => m.encodeSync('jpeg', { quality: 0 }), ArgumentError, /options.quality/);
    throwsTyped(() => m.encodeSync('jpeg', { compression: 3 }), ArgumentError, /only for 'png'/);
    m.dispose();
    throwsTyped(() => m.encodeSync('png'), DisposedError, /disposed/);
    await rejectsTyped(m.encode('png'), DisposedError);
  });
});
