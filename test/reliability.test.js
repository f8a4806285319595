// The reproducers of issue 10 (a fuzzing and fault campaign), each one a test: worker
// termination mid-call never aborts the process and leaks nothing; a partial JPEG is a
// DecodeError; special files (devices, FIFOs, directories, symlink loops) and huge or sparse
// inputs are refused fast with typed errors; internals are not reachable from the module;
// spoofed native objects are refused by their Node-API type tag; allocations over the limit
// are a LimitError up front.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { tfcv, throwsTyped } = require('./helpers');
const { runCli } = require('../dist/cli/run_cli');

const FIXTURES = path.join(__dirname, 'fixtures');
const SEGNET = path.join(FIXTURES, 'models/segnet');
const FROZEN = path.join(FIXTURES, 'models/frozen/graph.pb');
const photo = () => fs.readFileSync(path.join(FIXTURES, 'images/photo_640x480.jpg'));

/** Runs `fn` (sync or async) and asserts it throws a tfcv error of `Class` within `ms`. */
async function rejectsTyped(fn, Class, ms = 2000, pattern) {
  const start = Date.now();
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  const took = Date.now() - start;
  assert.ok(error, `expected ${Class.name}, nothing was thrown`);
  assert.ok(error instanceof Class, `expected ${Class.name}, got ${error && error.name}: ${error && error.message}`);
  assert.match(error.code, /^ERR_TFCV_/);
  if (pattern) assert.match(error.message, pattern);
  assert.ok(took < ms, `took ${took} ms (limit ${ms})`);
  return error;
}

function capture() {
  const chunks = [];
  return {
    stream: { write: (s) => (chunks.push(String(s)), true), isTTY: false, columns: 100 },
    text: () => chunks.join(''),
  };
}
async function cli(args) {
  const out = capture();
  const err = capture();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, cwd: path.join(__dirname, '..') });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('reliability (issue 10 reproducers)', function () {
  this.timeout(120000);
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-rel-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('worker termination mid-call', () => {
    it('terminating workers in loops of every kind of call never aborts the process and leaks nothing', () => {
      const ops = [
        'zeros',
        'decodeSync',
        'decode',
        'resize',
        'resizeSync',
        'preprocess',
        'toTensor',
        'toTensorSync',
        'tensorData',
        'modelRun',
        'modelRunSync',
        'metric',
        'metricSync',
        'gcGarbage',
      ];
      const r = spawnSync(
        process.execPath,
        ['--expose-gc', path.join(__dirname, 'reliability/terminate-main.js'), ops.join(','), '3'],
        { encoding: 'utf8', timeout: 110000 },
      );
      assert.equal(r.signal, null, `child died with ${r.signal}: ${r.stderr.slice(-2000)}`);
      assert.doesNotMatch(r.stderr, /terminate called/);
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      const result = JSON.parse(r.stdout.trim().split('\n').pop());
      assert.deepEqual(result.done, ops);
      // Every Mat and Tensor the workers made (disposed, in flight or left to GC) is gone.
      assert.equal(result.after.liveMats, result.before.liveMats);
      assert.equal(result.after.liveTensors, result.before.liveTensors);
      assert.equal(result.after.externalBytes, result.before.externalBytes);
    });
  });

  describe('partial images', () => {
    const cut = () => {
      const b = Buffer.from(photo().subarray(0, 2509));
      b[5] = 0x0f; // APP0 length 16 -> 15
      return b;
    };
    it('a cut JPEG with an off-by-one APP0 length is a DecodeError (decodeSync, decode, preprocess)', async () => {
      await rejectsTyped(() => tfcv.Mat.decodeSync(cut()), tfcv.DecodeError, 2000, /JPEG/);
      await rejectsTyped(() => tfcv.Mat.decode(cut()), tfcv.DecodeError);
      await rejectsTyped(() => tfcv.preprocess([cut()], { width: 32, height: 32 }), tfcv.DecodeError);
    });
    it('any libjpeg warning is a DecodeError: extraneous bytes between markers in a complete JPEG', async () => {
      const full = photo();
      // Two junk bytes after APP0 make libjpeg warn "extraneous bytes before marker".
      const app0End = 4 + full.readUInt16BE(4);
      const junk = Buffer.concat([full.subarray(0, app0End), Buffer.from([0x00, 0x00]), full.subarray(app0End)]);
      await rejectsTyped(() => tfcv.Mat.decodeSync(junk), tfcv.DecodeError, 2000, /extraneous|Corrupt/);
    });
    it('a CMYK JPEG (left to OpenCV for the colour conversion) is checked strictly first: cut, it is a DecodeError', async () => {
      const sharp = require('sharp');
      const cmyk = await sharp(photo()).toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer();
      const whole = tfcv.Mat.decodeSync(cmyk);
      assert.deepEqual([whole.rows, whole.cols, whole.channels], [480, 640, 3]);
      whole.dispose();
      for (const fraction of [0.5, 0.9]) {
        assert.throws(
          () => tfcv.Mat.decodeSync(cmyk.subarray(0, Math.floor(cmyk.length * fraction))),
          (e) => e instanceof tfcv.DecodeError && /JPEG/.test(e.message),
        );
      }
    });
    it('a JPEG cut anywhere in its entropy-coded data is a DecodeError', () => {
      const full = photo();
      for (const fraction of [0.3, 0.6, 0.9, 0.99]) {
        assert.throws(
          () => tfcv.Mat.decodeSync(full.subarray(0, Math.floor(full.length * fraction))),
          tfcv.DecodeError,
        );
      }
    });
    it('a PNG whose IDAT is cut short is a DecodeError', () => {
      const png = fs.readFileSync(path.join(FIXTURES, 'images/shapes_400x300.png'));
      const idat = png.indexOf('IDAT');
      const length = png.readUInt32BE(idat - 4);
      const cutPng = Buffer.concat([png.subarray(0, idat + 4 + Math.floor(length / 2)), png.subarray(png.length - 12)]);
      assert.throws(() => tfcv.Mat.decodeSync(cutPng), tfcv.DecodeError);
    });

    it('a PNG whose image data libpng only warns about is a DecodeError: checksum, too much data, CRC', () => {
      const zlib = require('node:zlib');
      const png = fs.readFileSync(path.join(FIXTURES, 'images/rgba_160x120.png'));
      const chunk = (name) => {
        const at = png.indexOf(name) - 4;
        return { at, length: png.readUInt32BE(at) };
      };
      const fixCrc = (b, c) =>
        b.writeUInt32BE(zlib.crc32(b.subarray(c.at + 4, c.at + 8 + c.length)) >>> 0, c.at + 8 + c.length);
      // A flipped bit in the zlib stream's Adler-32 checksum, the chunk CRC fixed: "incorrect data check".
      const badCheck = Buffer.from(png);
      const idat = chunk('IDAT');
      badCheck[idat.at + 8 + idat.length - 1] ^= 0x01;
      fixCrc(badCheck, idat);
      assert.throws(
        () => tfcv.Mat.decodeSync(badCheck),
        (e) => e instanceof tfcv.DecodeError && /corrupt PNG/.test(e.message),
      );
      // Fewer rows in IHDR than the data holds: "Too much image data".
      const tooMuch = Buffer.from(png);
      const ihdr = chunk('IHDR');
      tooMuch.writeUInt32BE(60, ihdr.at + 12);
      fixCrc(tooMuch, ihdr);
      assert.throws(
        () => tfcv.Mat.decodeSync(tooMuch),
        (e) => e instanceof tfcv.DecodeError && /too much image data/.test(e.message),
      );
      // A CRC error in any chunk.
      const badCrc = Buffer.from(png);
      badCrc[ihdr.at + 8 + ihdr.length] ^= 0xff;
      assert.throws(
        () => tfcv.Mat.decodeSync(badCrc),
        (e) => e instanceof tfcv.DecodeError && /CRC/.test(e.message),
      );
      // The intact file still decodes, and so does every PNG fixture.
      assert.equal(tfcv.Mat.decodeSync(png).rows, 120);
    });
  });

  describe('special files and paths', () => {
    it('loadFrozenGraph on /dev/zero (sync and async) is a fast ArgumentError, not a hang', async () => {
      await rejectsTyped(() => tfcv.loadFrozenGraphSync('/dev/zero'), tfcv.ArgumentError, 2000, /character device/);
      await rejectsTyped(() => tfcv.loadFrozenGraph('/dev/zero'), tfcv.ArgumentError, 2000, /character device/);
    });
    it('a FIFO is refused before any read (loadFrozenGraph, Mat.read, Mat.readSync)', async () => {
      const fifo = path.join(dir, 'graph.pb');
      execFileSync('mkfifo', [fifo]);
      await rejectsTyped(() => tfcv.loadFrozenGraph(fifo), tfcv.ArgumentError, 2000, /FIFO/);
      await rejectsTyped(() => tfcv.loadFrozenGraphSync(fifo), tfcv.ArgumentError, 2000, /FIFO/);
      await rejectsTyped(() => tfcv.Mat.read(fifo), tfcv.ArgumentError, 2000, /FIFO/);
      await rejectsTyped(() => tfcv.Mat.readSync(fifo), tfcv.ArgumentError, 2000, /FIFO/);
    });
    it('a directory, a missing file and a symlink loop are ArgumentErrors naming the cause', async () => {
      await rejectsTyped(() => tfcv.loadFrozenGraphSync(dir), tfcv.ArgumentError, 2000, /directory/);
      await rejectsTyped(() => tfcv.loadFrozenGraph(path.join(dir, 'missing.pb')), tfcv.ArgumentError, 2000, /ENOENT/);
      const loop = path.join(dir, 'loop.jpg');
      fs.symlinkSync(loop, loop);
      await rejectsTyped(() => tfcv.Mat.readSync(loop), tfcv.ArgumentError, 2000, /ELOOP/);
      await rejectsTyped(() => tfcv.Mat.read(loop), tfcv.ArgumentError, 2000, /ELOOP/);
    });
    it('a sparse file over 2 GiB is a LimitError from its size alone (no read)', async () => {
      const big = path.join(dir, 'big.pb');
      fs.closeSync(fs.openSync(big, 'w'));
      fs.truncateSync(big, 2 ** 31 + 16);
      await rejectsTyped(() => tfcv.loadFrozenGraphSync(big), tfcv.LimitError, 2000, /over the limit/);
      await rejectsTyped(() => tfcv.loadFrozenGraph(big), tfcv.LimitError, 2000, /over the limit/);
    });
    it('Mat.readSync with a 100,000-character name is an ArgumentError (ENAMETOOLONG)', async () => {
      await rejectsTyped(() => tfcv.Mat.readSync('x'.repeat(100000)), tfcv.ArgumentError, 2000, /too long/);
      await rejectsTyped(() => tfcv.Mat.read('x'.repeat(100000)), tfcv.ArgumentError, 2000, /too long/);
    });
    it('Mat.write / writeSync: a FIFO, a too-long name or a missing directory are ArgumentErrors, no hang', async () => {
      const mat = tfcv.Mat.zeros(4, 4, { channels: 3 });
      const fifo = path.join(dir, 'out.png');
      execFileSync('mkfifo', [fifo]);
      for (const p of [fifo, 'y'.repeat(100000) + '.png', path.join(dir, 'no/such/dir.png')]) {
        await rejectsTyped(() => mat.writeSync(p), tfcv.ArgumentError, 2000, /cannot write/);
        await rejectsTyped(() => mat.write(p), tfcv.ArgumentError, 2000, /cannot write/);
      }
      mat.writeSync(path.join(dir, 'fine.png'));
      assert.equal(tfcv.Mat.readSync(path.join(dir, 'fine.png')).cols, 4);
      mat.dispose();
    });
    it('a SavedModel whose saved_model.pb or variables file links to /dev/zero is refused before TensorFlow reads it', async () => {
      for (const target of ['saved_model.pb', 'variables/variables.index']) {
        const copy = path.join(dir, `model-${target.replace(/\W/g, '_')}`);
        fs.cpSync(SEGNET, copy, { recursive: true });
        fs.rmSync(path.join(copy, target));
        fs.symlinkSync('/dev/zero', path.join(copy, target));
        await rejectsTyped(() => tfcv.loadSavedModelSync(copy), tfcv.ArgumentError, 2000, /character device/);
        await rejectsTyped(() => tfcv.loadSavedModel(copy), tfcv.ArgumentError, 2000, /character device/);
      }
      await rejectsTyped(() => tfcv.loadSavedModel(FROZEN), tfcv.ArgumentError, 2000, /expected a directory/);
    });
  });

  describe('tfcv evaluate', () => {
    it('images and masks that are symlinks to /dev/zero, FIFOs or directories are listed as skipped with the reason, no hang', async () => {
      const images = path.join(dir, 'ev-images');
      const masks = path.join(dir, 'ev-masks');
      fs.mkdirSync(images);
      fs.mkdirSync(masks);
      const ref = path.join(FIXTURES, 'reference/metrics');
      const names = fs.readdirSync(path.join(ref, 'images')).sort().slice(0, 2);
      for (const n of names) {
        fs.copyFileSync(path.join(ref, 'images', n), path.join(images, n));
        fs.copyFileSync(
          path.join(ref, 'masks', n.replace(/\.\w+$/, '.png')),
          path.join(masks, n.replace(/\.\w+$/, '.png')),
        );
      }
      fs.symlinkSync('/dev/zero', path.join(images, 'zero.png'));
      execFileSync('mkfifo', [path.join(images, 'fifo.jpg')]);
      fs.mkdirSync(path.join(images, 'folder.png'));
      fs.copyFileSync(path.join(images, names[0]), path.join(images, 'maskzero.png'));
      fs.symlinkSync('/dev/zero', path.join(masks, 'maskzero.png'));
      for (const extra of [[], ['--keep-going']]) {
        const start = Date.now();
        const r = await cli([
          'evaluate',
          '--model',
          SEGNET,
          '--images',
          images,
          '--masks',
          masks,
          '--no-progress',
          ...extra,
        ]);
        assert.ok(Date.now() - start < 60000);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^2 images evaluated/);
        assert.match(r.stderr, /skipped 4 files/);
        assert.match(r.stderr, /zero\.png: the image is a character device/);
        assert.match(r.stderr, /fifo\.jpg: the image is a FIFO/);
        assert.match(r.stderr, /folder\.png: the image is a directory/);
        assert.match(r.stderr, /maskzero\.png: its mask maskzero\.png is a character device/);
      }
    });
    it('tfcv merge of /dev/zero, a FIFO or a directory fails at once (exit 1) naming the cause', async () => {
      const fifo = path.join(dir, 'results.json');
      execFileSync('mkfifo', [fifo]);
      for (const [file, reason] of [
        ['/dev/zero', /character device/],
        [fifo, /FIFO/],
        [dir, /directory/],
      ]) {
        const r = await cli(['merge', file]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, reason);
      }
    });
    it('--divisor 0 (and other bad divisors) exit 2, as the README says for a bad value', async () => {
      for (const bad of ['0', '-1', 'abc', 'NaN', 'Infinity']) {
        const r = await cli(['evaluate', '--model', SEGNET, '--images', dir, '--divisor', bad, '--no-progress']);
        assert.equal(r.code, 2, `--divisor ${bad}: ${r.stderr}`);
        assert.match(r.stderr, /divisor/);
      }
    });
  });

  describe('array-likes and sizes', () => {
    it('a MeanIoU update with a sparse array of length 2^32-1 is a fast typed error', async () => {
      const a = [];
      a.length = 2 ** 32 - 1;
      const t = tfcv.Tensor.alloc('uint8', [1, 8, 8]);
      await rejectsTyped(() => new tfcv.MeanIoU(2).updateSync(t, a), tfcv.ArgumentError, 500);
      await rejectsTyped(() => new tfcv.MeanIoU(2).updateSync(a, t), tfcv.ArgumentError, 500);
      await rejectsTyped(() => tfcv.Tensor.from(a), tfcv.ArgumentError, 500);
      await rejectsTyped(() => tfcv.Tensor.alloc('uint8', a), tfcv.ShapeError, 500);
      await rejectsTyped(() => tfcv.selectShard(a, { index: 1, count: 1 }), tfcv.ArgumentError, 500);
      t.dispose();
    });
    it('image operations whose output is over the limit are a LimitError before they allocate (resize, cvtColor)', async () => {
      const float = tfcv.Mat.zeros(64, 64, { channels: 3, dtype: 'float32' });
      const before = process.memoryUsage().rss;
      // 30000 x 30000 x 3 float32 = 10.8 GB (under the 2^30-pixel size rule, over the default
      // 4 GiB allocation limit): refused at once, nothing touched.
      await rejectsTyped(
        () => float.resizeSync({ width: 30000, height: 30000 }),
        tfcv.LimitError,
        1000,
        /allocation limit/,
      );
      await rejectsTyped(
        () => float.resize({ width: 30000, height: 30000 }),
        tfcv.LimitError,
        1000,
        /allocation limit/,
      );
      assert.ok(process.memoryUsage().rss - before < 512 * 2 ** 20);
      float.dispose();
      const mat = tfcv.Mat.zeros(64, 64, { channels: 3 });
      try {
        tfcv.setLimits({ maxAllocationBytes: 10000 });
        await rejectsTyped(() => mat.resizeSync({ width: 100, height: 100 }), tfcv.LimitError, 1000);
        await rejectsTyped(() => mat.cvtColorSync('BGR2HSV'), tfcv.LimitError, 1000); // 12,288 bytes
        const small = mat.resizeSync({ width: 32, height: 32 }); // 3,072 bytes: allowed
        assert.equal(small.cols, 32);
        small.dispose();
      } finally {
        tfcv.setLimits({ maxAllocationBytes: tfcv.DEFAULT_MAX_ALLOCATION_BYTES });
      }
      mat.dispose();
    });
    it('a sparse array with holes never makes a tensor of uninitialised elements', () => {
      assert.throws(() => tfcv.Tensor.from([1, , 3]), tfcv.ArgumentError); // eslint-disable-line no-sparse-arrays
      assert.throws(() => tfcv.Tensor.from([1n, 1.5], { dtype: 'int64' }), tfcv.ArgumentError);
    });
    it('Tensor.alloc of 602 GB is a LimitError up front; the limit is configurable', async () => {
      await rejectsTyped(
        () => tfcv.Tensor.alloc('float32', [1e6, 224, 224, 3]),
        tfcv.LimitError,
        500,
        /allocation limit/,
      );
      await rejectsTyped(() => tfcv.Mat.zeros(100000, 100000, { channels: 3 }), tfcv.LimitError, 500);
      await rejectsTyped(
        () => tfcv.Mat.zeros(2 ** 31 - 1, 2 ** 31 - 1, { channels: 512, dtype: 'float64' }),
        tfcv.TfcvError,
        500,
      );
      assert.equal(tfcv.limits().maxAllocationBytes, tfcv.DEFAULT_MAX_ALLOCATION_BYTES);
      try {
        tfcv.setLimits({ maxAllocationBytes: 1000 });
        assert.throws(() => tfcv.Tensor.alloc('float32', [251]), tfcv.LimitError);
        tfcv.Tensor.alloc('float32', [250]).dispose();
        await rejectsTyped(() => tfcv.preprocess([photo()], { width: 32, height: 32 }), tfcv.LimitError);
        assert.throws(() => tfcv.Mat.decodeSync(photo()), tfcv.LimitError);
        assert.throws(() => tfcv.setLimits({ maxAllocationBytes: -1 }), tfcv.ArgumentError);
        assert.throws(() => tfcv.setLimits({ maxAllocationBytes: 2 ** 53 }), tfcv.ArgumentError);
      } finally {
        tfcv.setLimits({ maxAllocationBytes: tfcv.DEFAULT_MAX_ALLOCATION_BYTES });
      }
    });
  });

  describe('typed errors for the untyped ones', () => {
    let model;
    before(() => {
      model = tfcv.loadSavedModelSync(SEGNET);
    });
    after(() => model.dispose());

    it('options.xla and options.onCopy of the wrong type are ArgumentErrors with a code, not plain TypeErrors', async () => {
      const badXla = () => tfcv.loadSavedModelSync(SEGNET, { xla: 'yes' });
      throwsTyped(badXla, tfcv.ArgumentError, /^options\.xla: expected a boolean, got 'yes'$/);
      await rejectsTyped(() => tfcv.loadSavedModel(SEGNET, { xla: 1 }), tfcv.ArgumentError, 2000, /options\.xla/);
      const mat = tfcv.Mat.zeros(2, 2, { channels: 3 });
      try {
        throwsTyped(
          () => tfcv.toTensorSync(mat, { onCopy: 'log' }),
          tfcv.ArgumentError,
          /^options\.onCopy: expected a function, got 'log'$/,
        );
        const t = tfcv.toTensorSync(mat, { dtype: 'float32' });
        throwsTyped(() => tfcv.toMatSync(t, { onCopy: {} }), tfcv.ArgumentError, /options\.onCopy/);
        t.dispose();
      } finally {
        mat.dispose();
      }
    });

    it('shards, signatures and inputs given Symbols or non-arrays', () => {
      assert.throws(() => tfcv.selectShard({ length: 3 }, null), tfcv.ArgumentError);
      assert.throws(() => tfcv.selectShard([1, 2], 'x'), tfcv.ArgumentError);
      assert.throws(() => tfcv.parseShard(Symbol('s')), tfcv.ArgumentError);
      assert.throws(() => tfcv.parseShard(10n), tfcv.ArgumentError);
      assert.throws(() => model.inputs(Symbol('s')), tfcv.ArgumentError);
      assert.throws(() => model.outputs(Symbol('s')), tfcv.ArgumentError);
      assert.throws(() => model.inputs('__proto__'), tfcv.ArgumentError);
      assert.throws(() => tfcv.Tensor.from(undefined), tfcv.ArgumentError);
    });
    it('a Metric updated with a non-batch throws ArgumentError', async () => {
      for (const bad of [
        undefined,
        42,
        'x',
        {},
        Symbol('s'),
        [1, 2],
        new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
          },
        ),
      ]) {
        const m = new tfcv.MeanIoU(2);
        await rejectsTyped(() => m.updateSync(bad, bad), tfcv.TfcvError);
        await rejectsTyped(() => m.update(bad, bad), tfcv.TfcvError);
      }
    });
    it('error classes accept a Symbol, an array or anything as message', () => {
      for (const Class of [tfcv.TfcvError, tfcv.ArgumentError, tfcv.AbortError, tfcv.TfError]) {
        assert.match(new Class(Symbol('why')).message, /Symbol\(why\)/);
        assert.equal(new Class(['a', 'b']).message, 'a,b');
        assert.equal(typeof new Class([Symbol('x')]).message, 'string');
        assert.equal(
          typeof new Class({
            toString() {
              throw new Error('no');
            },
          }).message,
          'string',
        );
      }
    });
    it('internals are not reachable from the public module', () => {
      assert.throws(() => new tfcv.Model(Symbol('x'), {}, 'frozen-graph', null, 'graph'), tfcv.ArgumentError);
      assert.throws(() => new tfcv.Model(), tfcv.ArgumentError);
      for (const name of ['plan', 'checkVariablesRestored', 'signature', 'warmup', 'warmupSync', 'warmupFeeds']) {
        assert.equal(model[name], undefined, `model.${name}`);
      }
      assert.equal(tfcv.Mat.handle, undefined);
      assert.equal(tfcv.Tensor.handle, undefined);
      assert.equal(tfcv.Tensor.fromArray, undefined);
      const mat = tfcv.Mat.zeros(2, 2);
      const tensor = tfcv.Tensor.alloc('uint8', [2]);
      assert.deepEqual(Object.getOwnPropertySymbols(mat), []);
      assert.deepEqual(Object.getOwnPropertySymbols(tensor), []);
      assert.deepEqual(Object.getOwnPropertySymbols(model), []);
      assert.equal(new tfcv.MeanIoU(2).matrixRows, undefined);
      mat.dispose();
      tensor.dispose();
    });
    it('objects that only look like tfcv objects are refused with ArgumentError (type tags, brand checks)', () => {
      const raw = require(tfcv.nativePath);
      const fakeTensor = Object.create(raw.NativeTensor.prototype);
      const fakeMat = Object.create(raw.NativeMat.prototype);
      assert.throws(
        () => raw.tensorToMatSync(fakeTensor, { mode: 'copy', fallback: 'copy' }),
        (e) => e instanceof tfcv.ArgumentError && /expected a Tensor/.test(e.message),
      );
      assert.throws(
        () => raw.matToTensorSync(fakeMat, { mode: 'copy', fallback: 'copy', channelsFirst: false, batch: false }),
        (e) => e instanceof tfcv.ArgumentError && /expected a Mat/.test(e.message),
      );
      // A Mat's prototype on a real NativeTensor, and the facade's classes on plain objects.
      const t = tfcv.Tensor.alloc('uint8', [2, 2, 1]);
      const spoof = Object.create(tfcv.Mat.prototype);
      assert.throws(() => spoof.rows, tfcv.ArgumentError);
      assert.throws(() => tfcv.toTensorSync(spoof), tfcv.ArgumentError);
      assert.throws(() => tfcv.toMatSync(Object.create(tfcv.Tensor.prototype)), tfcv.ArgumentError);
      assert.throws(() => Object.create(tfcv.Tensor.prototype).data, tfcv.ArgumentError);
      assert.throws(() => new tfcv.Tensor(fakeTensor).dtype, tfcv.ArgumentError);
      t.dispose();
    });
    it('the native handle classes share one base: not constructible from JS, tag-checked, typed on garbage', async () => {
      const raw = require(tfcv.nativePath);
      for (const [ctor, name] of [
        [raw.NativeTensor, 'Tensor'],
        [raw.NativeMat, 'Mat'],
        [raw.NativeModel, 'Model'],
      ]) {
        assert.throws(
          () => new ctor(),
          (e) => e instanceof tfcv.ArgumentError && new RegExp(`^${name}: not constructible directly`).test(e.message),
        );
      }
      assert.throws(
        () => raw.isNative({}, 'bogus'),
        (e) =>
          e instanceof tfcv.ArgumentError && /kind: expected 'tensor' \| 'mat' \| 'model', got 'bogus'/.test(e.message),
      );
      const fakeModel = Object.create(raw.NativeModel.prototype);
      for (const run of [raw.modelRun, raw.modelRunSync])
        assert.throws(
          () => run(fakeModel, [], [], []),
          (e) => e instanceof tfcv.ArgumentError && /model: expected a Model/.test(e.message),
        );
      const handle = raw.matZeros(2, 2, 1, 'uint8');
      assert.throws(() => handle.setTo('x', 'copy'), tfcv.ArgumentError);
      assert.throws(
        () => handle.setTo([1], 'sometimes'),
        (e) => /onShared: expected 'throw' \| 'copy'/.test(e.message),
      );
      assert.throws(() => handle.roi('a', 0, 1, 1), tfcv.ArgumentError);
      handle.dispose();
      assert.equal(handle.disposed, true);
      assert.throws(
        () => handle.rows,
        (e) => e instanceof tfcv.DisposedError && /mat: the Mat was disposed/.test(e.message),
      );
    });
  });
});
