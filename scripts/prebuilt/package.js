#!/usr/bin/env node
// `npm run package`: writes to pack/ the three tarballs a registry would receive —
//   tfcv-<v>.tgz                         the main package: JS, typings, sources for a source
//                                        build; no install script; its manifest lists the two
//                                        platform packages as optionalDependencies;
//   tfcv-linux-x64-gnu-<v>.tgz           tfcv.node + tfcv_core.node, OpenCV and its codecs linked
//                                        statically; depends on the library package below;
//   tfcv-libtensorflow-linux-x64-<v>.tgz libtensorflow_cc.so.2 + libtensorflow_framework.so.2 from
//                                        the tensorflow-cpu wheel, `strip --strip-unneeded`.
// The binary finds the library package through its relative RPATH (CMakeLists.txt), so npm
// places everything with no script run. The static OpenCV is built once into the cache
// (scripts/prebuilt/build-static-opencv.sh); the prebuilt addon is compiled into
// build-prebuilt/ and staged in npm/linux-x64-gnu/, beside npm/libtensorflow-linux-x64/, so
// `TFCV_BINARY=prebuilt npm test` runs the suite against the staged pair in this checkout.
// TFCV_PACKAGE_BINARY_DIR=<dir> packs the tfcv.node / tfcv_core.node found there instead of
// building the static flavour (a check of the packaging while the static OpenCV is not built:
// such a binary may need the system OpenCV, which is reported, and is not for publishing).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync, execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const platformDir = path.join(root, 'npm', 'linux-x64-gnu');
const libDir = path.join(root, 'npm', 'libtensorflow-linux-x64');
const outDir = path.resolve(process.env.TFCV_PACK_DIR || path.join(root, 'pack'));
const log = (m) => console.log(`tfcv package: ${m}`);
const tf = require('../setup/libtensorflow');

/** Dynamic dependencies the prebuilt binary may have: glibc, libstdc++/libgcc, libtensorflow. */
const ALLOWED_NEEDED =
  /^(libc|libm|libdl|libpthread|librt|ld-linux-x86-64|libstdc\+\+|libgcc_s|libtensorflow_cc|libtensorflow_framework)\.so/;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...opts,
  });
  if (r.status !== 0) {
    process.stdout.write(r.stdout || '');
    throw new Error(`'${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.error?.message})`);
  }
  return r.stdout || '';
}

function needed(file) {
  return execFileSync('readelf', ['-d', file], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /\(NEEDED\).*\[(.+)\]/.exec(l)?.[1])
    .filter(Boolean);
}

/** The newest GLIBC_ and GLIBCXX_ symbol versions `file` imports (objdump -T): its floor. */
function floor(file) {
  const text = execFileSync('objdump', ['-T', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const newest = (prefix) => {
    const versions = [...text.matchAll(new RegExp(`\\b${prefix}_([0-9.]+)\\b`, 'g'))].map((m) => m[1]);
    const key = (v) =>
      v
        .split('.')
        .map((n) => n.padStart(4, '0'))
        .join('.');
    return versions.sort((a, b) => (key(a) < key(b) ? -1 : 1)).pop() || null;
  };
  return { glibc: newest('GLIBC'), glibcxx: newest('GLIBCXX') };
}

function mb(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

function sha256(file) {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * npm/libtensorflow-linux-x64/lib: the wheel's two libraries, stripped, with libtensorflow.json
 * (origin, sizes, SHA-256). Kept when the record says it was made from the same source files.
 */
async function stageLibtensorflow() {
  const source = await tf.resolveSource({ log });
  if (source.layout !== 'wheel')
    throw new Error(`${source.dir} has the official layout; the package carries the wheel's libtensorflow_cc.so.2`);
  const names = [tf.FRAMEWORK, tf.WHEEL_LIB];
  const recordFile = path.join(libDir, 'libtensorflow.json');
  let record = null;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  } catch {
    // none yet
  }
  const sourceSizes = Object.fromEntries(names.map((n) => [n, fs.statSync(path.join(source.dir, 'lib', n)).size]));
  const fresh =
    record?.version === tf.TF_VERSION &&
    names.every(
      (n) =>
        record.files?.[n]?.unstrippedSize === sourceSizes[n] &&
        fs.existsSync(path.join(libDir, 'lib', n)) &&
        fs.statSync(path.join(libDir, 'lib', n)).size === record.files[n].size,
    );
  if (fresh) {
    log(`libtensorflow package already staged in ${libDir} (stripped from ${source.dir})`);
    return record;
  }
  fs.mkdirSync(path.join(libDir, 'lib'), { recursive: true });
  const files = {};
  for (const n of names) {
    const from = path.join(source.dir, 'lib', n);
    const to = path.join(libDir, 'lib', n);
    const tmp = `${to}.tmp.${process.pid}`;
    const started = Date.now();
    // strip writes a new file (never edits the cache's, which a hard link may share).
    run('strip', ['--strip-unneeded', '-o', tmp, from]);
    fs.chmodSync(tmp, 0o644);
    fs.renameSync(tmp, to);
    const size = fs.statSync(to).size;
    files[n] = { size, sha256: sha256(to), unstrippedSize: sourceSizes[n] };
    log(`${n}: ${mb(sourceSizes[n])} -> ${mb(size)} stripped in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  record = {
    version: tf.TF_VERSION,
    from: `tensorflow-cpu ${tf.TF_VERSION} wheel (manylinux_2_27_x86_64)`,
    stripped: 'strip --strip-unneeded',
    files,
  };
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 2) + '\n');
  return record;
}

/** Sets a staged package's version (and its dependency on the library package) to `version`. */
function setVersion(dir, version) {
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.version = version;
  for (const dep of Object.keys(pkg.dependencies || {})) if (dep.startsWith('@tfcv/')) pkg.dependencies[dep] = version;
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
  return pkg;
}

function pack(cwd, dest) {
  return JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd }))[0];
}

async function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error('the platform packages are built on linux-x64');
  const started = Date.now();
  const mainPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  const given = process.env.TFCV_PACKAGE_BINARY_DIR ? path.resolve(process.env.TFCV_PACKAGE_BINARY_DIR) : null;
  let binaryDir = given;
  if (!given) {
    log('static OpenCV 4.6 + codecs (built once, cached)');
    const prefix = run('bash', [path.join(__dirname, 'build-static-opencv.sh')])
      .trim()
      .split('\n')
      .pop();

    log('libtensorflow headers and libraries for linking (deps/libtensorflow)');
    run(process.execPath, [path.join(root, 'scripts/setup/libtensorflow.js')], { stdio: 'inherit' });

    log(`compiling the prebuilt addon against ${prefix}`);
    run(process.execPath, [path.join(root, 'scripts/build-native.js'), '--prebuilt', prefix], { stdio: 'inherit' });
    binaryDir = path.join(root, 'build-prebuilt', 'Release');
  } else {
    log(`TFCV_PACKAGE_BINARY_DIR: packing the binaries of ${given} (not the static build: not for publishing)`);
  }
  const floors = {};
  for (const name of ['tfcv.node', 'tfcv_core.node']) {
    const staged = path.join(platformDir, name);
    fs.copyFileSync(path.join(binaryDir, name), staged);
    run('strip', ['--strip-unneeded', staged]);
    const deps = needed(staged);
    const foreign = deps.filter((d) => !ALLOWED_NEEDED.test(d));
    if (foreign.length && given) log(`WARNING: ${name} needs ${foreign.join(', ')} (TFCV_PACKAGE_BINARY_DIR)`);
    else if (foreign.length)
      throw new Error(
        `${staged} needs ${foreign.join(', ')}: only glibc, libstdc++/libgcc and libtensorflow are allowed`,
      );
    floors[name] = floor(staged);
    log(`${name} ${mb(fs.statSync(staged).size)}, needs: ${deps.join(' ')}`);
  }

  log('libtensorflow package (stripped copy of the wheel libraries)');
  const record = await stageLibtensorflow();
  for (const n of Object.keys(record.files)) floors[n] = floor(path.join(libDir, 'lib', n));
  for (const [n, f] of Object.entries(floors))
    log(`${n}: newest symbol versions GLIBC_${f.glibc}${f.glibcxx ? `, GLIBCXX_${f.glibcxx}` : ''}`);

  // Both platform packages carry the main package's version; the main manifest names them.
  const platformPkg = setVersion(platformDir, mainPkg.version);
  const libPkg = setVersion(libDir, mainPkg.version);

  fs.mkdirSync(outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-pack-'));
  try {
    // The main package: dist/ compiled here, packed without lifecycle scripts, then its
    // manifest rewritten for a registry: no "prepare" (a checkout's development setup:
    // source build + tsc; a tarball carries dist/ and must run nothing), the optional
    // platform packages added (not in package.json itself: npm ci in this repository
    // would fail on packages the registry does not have yet).
    run('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
    const packed = pack(root, staging);
    run('tar', ['-xzf', path.join(staging, packed.filename), '-C', staging]);
    const manifestFile = path.join(staging, 'package', 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack'])
      delete manifest.scripts[hook];
    manifest.optionalDependencies = {
      ...manifest.optionalDependencies,
      [platformPkg.name]: mainPkg.version,
      [libPkg.name]: mainPkg.version,
    };
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
    const outs = [pack(path.join(staging, 'package'), outDir), pack(platformDir, outDir)];
    log('packing the libtensorflow package (gzip of ~600 MiB: about a minute)');
    outs.push(pack(libDir, outDir));
    for (const p of outs) {
      log(
        `${path.join(outDir, p.filename)}: ${mb(p.size)} packed, ${mb(p.unpackedSize)} unpacked, ${p.entryCount} files`,
      );
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(`tfcv package: ${e.message}`);
  process.exit(1);
});
