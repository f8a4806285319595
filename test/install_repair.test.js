// An install that is incomplete or damaged explains itself instead of crashing: a missing
// platform package says why (omitted by the install, not installable, another platform) and
// what to do; a truncated libtensorflow is named before anything maps it (the loader throws,
// `tfcv doctor` reports it and survives); the structural ELF check finds truncation.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tfcv } = require('./helpers');
const { explainMissing, otherPlatformAdvice } = require('../scripts/missing-package');
const { elfProblem } = require('../scripts/setup/elf-check');
const { damage } = require('../scripts/setup/repair');

const root = path.resolve(__dirname, '..');

describe('install: missing and damaged pieces explain themselves', () => {
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-repair-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** <app>/node_modules/tfcv with the given lockfile entries (or no lockfile). */
  function app(name, lockPackages) {
    const dir = path.join(tmp, name);
    const pkgRoot = path.join(dir, 'node_modules/tfcv');
    fs.mkdirSync(pkgRoot, { recursive: true });
    if (lockPackages)
      fs.writeFileSync(
        path.join(dir, 'package-lock.json'),
        JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/tfcv': {}, ...lockPackages } }),
      );
    return pkgRoot;
  }

  it('a missing platform package says which of omitted / not installable / unknown, and what to do', () => {
    const omitted = explainMissing(
      '@tfcv/linux-x64-gnu',
      app('omitted', { 'node_modules/@tfcv/linux-x64-gnu': { version: '0.1.0', optional: true } }),
      '0.1.0',
    );
    assert.equal(omitted.why, 'omitted');
    assert.match(omitted.reason, /omitted optional dependencies \(npm install --omit=optional/);
    assert.match(omitted.fix, /npm install --include=optional/);
    const missing = explainMissing('@tfcv/linux-x64-gnu', app('unpublished', {}), '0.1.0');
    assert.equal(missing.why, 'not-installable');
    assert.match(
      missing.reason,
      /does not list it: npm could not install it \(@tfcv\/linux-x64-gnu@0\.1\.0 is not in the registry/,
    );
    assert.match(missing.fix, /npm view @tfcv\/linux-x64-gnu@0\.1\.0 version.*--build-from-source/);
    const unknown = explainMissing('@tfcv/linux-x64-gnu', app('nolock', null), '0.1.0');
    assert.equal(unknown.why, 'unknown');
    assert.match(otherPlatformAdvice('darwin-arm64-'), /macOS has no prebuilt.*docker run .*node:20-bookworm-slim/);
    assert.match(otherPlatformAdvice('linux-x64-musl'), /musl \(Alpine\).*glibc base image/);
    assert.match(otherPlatformAdvice('linux-arm64-glibc'), /linux-arm64 has no prebuilt: build from source/);
  });

  it('tfcv --help works when the addon does not load: setup and doctor, and why the rest is missing', () => {
    const env = { ...process.env, TFCV_BINARY: 'neither' };
    delete env.TFCV_BINARY_PATH;
    const r = spawnSync(process.execPath, [path.join(root, 'dist/cli/tfcv.js'), '--help'], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /setup \[options\]/);
    assert.match(r.stdout, /doctor/);
    assert.match(
      r.stdout,
      /The other commands \(evaluate, merge, demo\) need the native addon, which does not load here:\n.*TFCV_BINARY must be 'prebuilt' or 'source', got 'neither'/,
    );
  });

  it('the ELF check finds a truncated library and passes whole ones', () => {
    const core = path.join(path.dirname(tfcv.nativePath), 'tfcv_core.node');
    assert.equal(elfProblem(core), null);
    assert.equal(elfProblem(tfcv.nativePath), null);
    const cut = path.join(tmp, 'cut.node');
    const bytes = fs.readFileSync(core);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    assert.match(
      elfProblem(cut),
      /^truncated: \d+ bytes, (loadable segment \d+|the section header table) ends at \d+$/,
    );
    fs.writeFileSync(cut, 'not elf at all, but long enough to hold a header...........................');
    assert.equal(elfProblem(cut), 'not an ELF file');
    assert.equal(elfProblem(path.join(tmp, 'none.so')), 'missing');
  });

  it('a truncated libtensorflow: require throws naming the file, tfcv doctor names it and does not crash', function () {
    this.timeout(120000);
    const dir = path.join(tmp, 'damaged');
    fs.mkdirSync(path.join(dir, 'build/Release'), { recursive: true });
    fs.copyFileSync(tfcv.nativePath, path.join(dir, 'build/Release/tfcv.node'));
    fs.copyFileSync(
      path.join(path.dirname(tfcv.nativePath), 'tfcv_core.node'),
      path.join(dir, 'build/Release/tfcv_core.node'),
    );
    fs.cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
    fs.cpSync(path.join(root, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    // deps/libtensorflow: the framework cut to 1 MiB (an interrupted copy), the C API intact
    const lib = path.join(dir, 'deps/libtensorflow/lib');
    fs.mkdirSync(lib, { recursive: true });
    const real = fs.realpathSync(path.join(require('../dist/native').nativeChoice.libtensorflowDir, 'lib'));
    const fd = fs.openSync(path.join(real, 'libtensorflow_framework.so.2'), 'r');
    const head = Buffer.alloc(1 << 20);
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(lib, 'libtensorflow_framework.so.2'), head);
    fs.linkSync(path.join(real, 'libtensorflow_cc.so.2'), path.join(lib, 'libtensorflow_cc.so.2'));
    assert.deepEqual(
      damage(path.join(dir, 'deps/libtensorflow')).map((d) => d.name),
      ['libtensorflow_framework.so.2'],
    );
    const env = { ...process.env, TFCV_BINARY: 'source' };
    delete env.TFCV_BINARY_PATH;
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(dir)})`], { encoding: 'utf8', env });
    assert.equal(r.signal, null, 'no crash');
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      /libtensorflow_framework\.so\.2 is damaged \(truncated: 1048576 bytes, .*\); loading it would crash the process\. Run: npx tfcv setup/,
    );
    const doctor = spawnSync(process.execPath, [path.join(dir, 'dist/cli/tfcv.js'), 'doctor'], {
      encoding: 'utf8',
      env,
    });
    assert.equal(doctor.signal, null);
    assert.equal(doctor.status, 1, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /DAMAGED:\s+\S+libtensorflow_framework\.so\.2: truncated: 1048576 bytes/);
    assert.match(doctor.stdout, /load:\s+FAILED: .*is damaged/);
    assert.match(doctor.stderr, /libtensorflow_framework\.so\.2 damaged\. Run: npx tfcv setup/);
  });
});
