// The loader: a prebuilt binary (prebuildify layout) is preferred over the local cmake-js
// build, which is used when no prebuild exists; with neither, the install hook builds.
// A prebuild found through its $ORIGIN-relative rpath loads libtensorflow from deps/.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tfcv } = require('./helpers');
const { resolveBinary: chooseBinary } = require('../scripts/resolve-binary');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'build/Release/tfcv.node');

describe('native loader', () => {
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-loader-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function fakePackage(name, { prebuild, local }) {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(root, 'deps'), path.join(dir, 'deps'));
    if (prebuild) {
      fs.mkdirSync(path.join(dir, 'prebuilds', `${process.platform}-${process.arch}`), { recursive: true });
      fs.copyFileSync(built, path.join(dir, 'prebuilds', `${process.platform}-${process.arch}`, 'tfcv.napi.node'));
    }
    if (local) {
      fs.mkdirSync(path.join(dir, 'build/Release'), { recursive: true });
      fs.copyFileSync(built, path.join(dir, 'build/Release/tfcv.node'));
    }
    return dir;
  }

  it('prefers a prebuild, then the local build, else asks for a build', () => {
    const both = fakePackage('both', { prebuild: true, local: true });
    const localOnly = fakePackage('local', { local: true });
    const none = fakePackage('none', {});
    assert.equal(chooseBinary(both).kind, 'prebuilt');
    assert.match(chooseBinary(both).file, /prebuilds/);
    assert.equal(chooseBinary(localOnly).kind, 'local');
    assert.equal(chooseBinary(none).kind, 'build');
  });

  it('a prebuild loads from another directory through its $ORIGIN rpath', () => {
    const dir = fakePackage('prebuilt-only', { prebuild: true });
    const file = chooseBinary(dir).file;
    const r = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(file)}).versions()))`], {
      encoding: 'utf8',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', LD_LIBRARY_PATH: '' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).tensorflow, tfcv.versions().tensorflow);
  });

  it('this checkout loaded the binary the install hook chose (built by cmake-js when no prebuild exists)', function () {
    // TFCV_BINARY_PATH (the sanitizer run) overrides the choice on purpose.
    if (process.env.TFCV_BINARY_PATH) {
      assert.equal(tfcv.nativePath, path.resolve(process.env.TFCV_BINARY_PATH));
      return;
    }
    const expected = chooseBinary(root).file;
    assert.equal(tfcv.nativePath, expected);
    if (!fs.existsSync(path.join(root, 'prebuilds'))) assert.equal(tfcv.nativePath, built);
  });
});
