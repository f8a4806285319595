// The loader and the install machinery around it: which binary is chosen (the prebuilt
// platform package, the source build, TFCV_BINARY, what setup recorded), a binary loading
// from another directory through its $ORIGIN rpath with libtensorflow placed beside it (hard
// links, never symlinks), the load error of an install whose scripts did not run naming
// `npx tfcv setup`, libtensorflow layouts, and a failed configure not poisoning the next build.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tfcv } = require('./helpers');
const { resolveBinary, writeState } = require('../scripts/resolve-binary');
const tf = require('../scripts/setup/libtensorflow');

const root = path.resolve(__dirname, '..');
const loaded = tfcv.nativePath;
const core = path.join(path.dirname(loaded), 'tfcv_core.node');

describe('native loader', () => {
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-loader-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A package folder with a platform package (prebuilt) and/or a source build, both copies of the loaded binary. */
  function fakePackage(name, { prebuilt, source }) {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    if (prebuilt) {
      const pkg = path.join(dir, 'node_modules/@tfcv/linux-x64-gnu');
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(
        path.join(pkg, 'package.json'),
        JSON.stringify({ name: '@tfcv/linux-x64-gnu', version: '0.0.0' }),
      );
      fs.copyFileSync(loaded, path.join(pkg, 'tfcv.node'));
      fs.copyFileSync(core, path.join(pkg, 'tfcv_core.node'));
    }
    if (source) {
      fs.mkdirSync(path.join(dir, 'build/Release'), { recursive: true });
      fs.copyFileSync(loaded, path.join(dir, 'build/Release/tfcv.node'));
      fs.copyFileSync(core, path.join(dir, 'build/Release/tfcv_core.node'));
    }
    return dir;
  }

  it('prefers the platform package, then the source build; TFCV_BINARY and the recorded choice override', () => {
    const both = fakePackage('both', { prebuilt: true, source: true });
    const sourceOnly = fakePackage('source', { source: true });
    const none = fakePackage('none', {});
    const env = {};
    assert.equal(resolveBinary(both, env).kind, 'prebuilt');
    assert.match(resolveBinary(both, env).file, /@tfcv\/linux-x64-gnu\/tfcv\.node$/);
    // no library package installed: where it belongs, the sibling package the RPATH searches
    assert.equal(
      resolveBinary(both, env).libtensorflowDir,
      path.join(fs.realpathSync(both), 'node_modules/@tfcv/libtensorflow-linux-x64'),
    );
    assert.equal(resolveBinary(both, { TFCV_BINARY: 'source' }).kind, 'source');
    assert.equal(
      resolveBinary(both, { TFCV_BINARY: 'source' }).libtensorflowDir,
      path.join(both, 'deps/libtensorflow'),
    );
    assert.equal(resolveBinary(sourceOnly, env).kind, 'source');
    assert.equal(resolveBinary(sourceOnly, { TFCV_BINARY: 'prebuilt' }).kind, 'none');
    assert.match(
      resolveBinary(sourceOnly, { TFCV_BINARY: 'prebuilt' }).reason,
      /@tfcv\/linux-x64-gnu is not installed/,
    );
    assert.match(
      resolveBinary(both, { TFCV_BINARY: 'static' }).reason,
      /TFCV_BINARY must be 'prebuilt' or 'source', got 'static'/,
    );
    assert.equal(resolveBinary(none, env).kind, 'none');
    writeState(both, { kind: 'source' }); // what setup records after a (forced) source build
    assert.equal(resolveBinary(both, env).kind, 'source');
  });

  it('a binary loads from another directory with libtensorflow placed beside it (hard links, no symlink)', () => {
    // the flavour this run loaded (TFCV_BINARY=prebuilt npm test loads the static build)
    const kind = require('../dist/native').nativeChoice.kind;
    const dir = fakePackage('placed', { [kind]: true });
    const choice = resolveBinary(dir, { TFCV_BINARY: kind });
    assert.equal(choice.kind, kind);
    // place from this checkout's libtensorflow (what setup resolved for it)
    const from = tf.describe(path.join(root, 'deps/libtensorflow'))?.from ?? path.join(root, 'deps/libtensorflow');
    const found = tf.inspectRoot(from);
    assert.ok(found, `no libtensorflow at ${from}`);
    const how = tf.place({ dir: from, ...found, how: 'test', version: null }, choice.libtensorflowDir, {
      log: () => {},
    });
    assert.ok(how === 'linked' || how === 'copied');
    assert.equal(
      tf.place({ dir: from, ...found, how: 'test', version: null }, choice.libtensorflowDir, { log: () => {} }),
      'kept',
    );
    for (const f of fs.readdirSync(path.join(choice.libtensorflowDir, 'lib'))) {
      assert.ok(!fs.lstatSync(path.join(choice.libtensorflowDir, 'lib', f)).isSymbolicLink(), f);
    }
    assert.ok(!fs.lstatSync(choice.libtensorflowDir).isSymbolicLink());
    const r = spawnSync(
      process.execPath,
      ['-e', `console.log(JSON.stringify(require(${JSON.stringify(choice.file)}).versions()))`],
      {
        encoding: 'utf8',
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', LD_LIBRARY_PATH: '' },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).tensorflow, tfcv.versions().tensorflow);
  });

  it('an install whose scripts did not run fails at require with `npx tfcv setup` in the message', () => {
    const dir = fakePackage('ignore-scripts', { source: true });
    fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
    fs.cpSync(path.join(root, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    // no deps/libtensorflow: what `npm install --ignore-scripts` leaves
    const env = { ...process.env, TFCV_BINARY: 'source' };
    delete env.TFCV_BINARY_PATH; // the sanitizer run's explicit binary would load instead
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(dir)})`], { encoding: 'utf8', env });
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /libtensorflow is not installed beside the source binary .*\(npm install --ignore-scripts\?\)\. Run: npx tfcv setup/,
    );
    assert.match(r.stderr, /libtensorflow_cc\.so\.2: cannot open shared object file/); // the loader's own words
  });

  it('this checkout loaded the binary the loader chose', () => {
    // TFCV_BINARY_PATH (the sanitizer run) overrides the choice on purpose.
    if (process.env.TFCV_BINARY_PATH) {
      assert.equal(tfcv.nativePath, path.resolve(process.env.TFCV_BINARY_PATH));
      return;
    }
    assert.equal(tfcv.nativePath, resolveBinary(root).file);
  });
});

describe('libtensorflow layouts', () => {
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-tflayout-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function layout(name, libs) {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
    for (const l of libs) fs.writeFileSync(path.join(dir, 'lib', l), '');
    return dir;
  }

  it('accepts the wheel and the official names, refuses anything else naming what is expected', async () => {
    assert.deepEqual(tf.inspectRoot(layout('wheel', ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'])), {
      lib: 'libtensorflow_cc.so.2',
      layout: 'wheel',
    });
    assert.deepEqual(tf.inspectRoot(layout('official', ['libtensorflow.so.2', 'libtensorflow_framework.so.2'])), {
      lib: 'libtensorflow.so.2',
      layout: 'official',
    });
    const bad = layout('bad', ['libtensorflow.so']);
    const saved = process.env.TFCV_LIBTENSORFLOW_DIR;
    process.env.TFCV_LIBTENSORFLOW_DIR = bad;
    try {
      await assert.rejects(tf.resolveSource({ log: () => {} }), (e) => {
        assert.match(
          e.message,
          /is not a libtensorflow directory: expected lib\/libtensorflow_framework\.so\.2 and lib\/libtensorflow_cc\.so\.2 or lib\/libtensorflow\.so\.2 .*lib\/ has: libtensorflow\.so/,
        );
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.TFCV_LIBTENSORFLOW_DIR;
      else process.env.TFCV_LIBTENSORFLOW_DIR = saved;
    }
  });
});

describe('libtensorflow fetch', () => {
  it("a pip failure quotes pip's own last lines (the network cause) and the ways to provide libtensorflow", function () {
    this.timeout(60000);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-pipfail-'));
    try {
      const env = {
        ...process.env,
        TFCV_CACHE: cache,
        PIP_CONFIG_FILE: '/dev/null',
        PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
        PIP_FIND_LINKS: '',
        PIP_EXTRA_INDEX_URL: '',
        PIP_NO_INDEX: '',
      };
      delete env.TFCV_LIBTENSORFLOW_DIR;
      const script = `require(${JSON.stringify(path.join(root, 'scripts/setup/libtensorflow.js'))}).resolveSource({ log: () => {} }).then(() => process.exit(3), (e) => { console.error(e.message); process.exit(1); })`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /pip download of tensorflow-cpu==2\.21\.0 failed \(exit \d+\)\. pip said:/);
      assert.match(
        r.stderr,
        /Could not fetch URL http:\/\/127\.0\.0\.1:9\/simple\/tensorflow-cpu\/: connection error.*Connection refused/,
      );
      assert.match(r.stderr, /TFCV_LIBTENSORFLOW_DIR=<dir>/);
      assert.doesNotMatch(r.stderr, /pip\.log/);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('native build', () => {
  it('a failed configure leaves no build folder behind, so the next build fails for the same reason', function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-configure-'));
    try {
      fs.mkdirSync(path.join(dir, 'scripts'));
      fs.copyFileSync(path.join(root, 'scripts/build-native.js'), path.join(dir, 'scripts/build-native.js'));
      fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
      fs.writeFileSync(
        path.join(dir, 'CMakeLists.txt'),
        'cmake_minimum_required(VERSION 3.16)\nproject(x LANGUAGES NONE)\nmessage(FATAL_ERROR "deliberate configure failure")\n',
      );
      for (let attempt = 0; attempt < 2; attempt++) {
        const r = spawnSync(process.execPath, [path.join(dir, 'scripts/build-native.js')], {
          cwd: dir,
          encoding: 'utf8',
        });
        const out = r.stdout + r.stderr;
        assert.notEqual(r.status, 0);
        assert.match(out, /deliberate configure failure/, `attempt ${attempt + 1}`);
        assert.doesNotMatch(out, /loading 'build\.ninja'/);
        assert.ok(!fs.existsSync(path.join(dir, 'build')), 'build/ removed');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
