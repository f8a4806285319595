// Which native binary to load (tfcv.node, which loads tfcv_core.node beside it), shared by the runtime loader (lib/native.ts), the install hook,
// `tfcv setup` and `tfcv doctor`. Two flavours of the same sources (docs/design.md, "Distribution"):
//   prebuilt — tfcv.node in the platform package (@tfcv/linux-x64-gnu, an optionalDependency),
//              OpenCV linked statically; libtensorflow sits in <platform package>/libtensorflow;
//   source   — build/Release/tfcv.node built here against the system OpenCV; libtensorflow
//              sits in <this package>/deps/libtensorflow.
// Each binary finds its libtensorflow through an $ORIGIN-relative rpath, so the pair is
// self-contained wherever the package manager puts the folders (hoisted, nested, pnpm).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Platform packages published beside the main package, by platform-arch-libc. */
const PLATFORM_PACKAGES = { 'linux-x64-glibc': '@tfcv/linux-x64-gnu' };
const STATE_FILE = '.tfcv-install.json';

function libc() {
  if (process.platform !== 'linux') return '';
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** { name } of the platform package for this machine, or { name: null, reason }. */
function platformPackageName() {
  const key = `${process.platform}-${process.arch}-${libc()}`;
  const name = PLATFORM_PACKAGES[key];
  if (name) return { name };
  return {
    name: null,
    reason: `no prebuilt binary is published for ${key} (only for ${Object.keys(PLATFORM_PACKAGES).join(', ')})`,
  };
}

/**
 * The installed platform package: { name, dir, file } or { reason }. In this repository
 * `npm run package` stages it in npm/<platform>/, used only when TFCV_BINARY=prebuilt asks for
 * it (so a checkout keeps loading its source build by default).
 */
function findPlatformPackage(root, env = process.env) {
  const { name, reason } = platformPackageName();
  if (!name) return { reason };
  let dir = null;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
  } catch {
    const staged = path.join(root, 'npm', name.split('/')[1]);
    if (env.TFCV_BINARY === 'prebuilt' && fs.existsSync(path.join(staged, 'package.json'))) dir = staged;
  }
  if (!dir) return { reason: `the optional dependency ${name} is not installed` };
  const file = path.join(dir, 'tfcv.node');
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, 'tfcv_core.node')))
    return { reason: `${dir} has no tfcv.node and tfcv_core.node` };
  return { name, dir: fs.realpathSync(dir), file: fs.realpathSync(file) };
}

/** The source build (tfcv.node, the quiet front, and tfcv_core.node, the addon), or null. */
function localBuild(root) {
  const file = path.join(root, 'build', 'Release', 'tfcv.node');
  return fs.existsSync(file) && fs.existsSync(path.join(root, 'build', 'Release', 'tfcv_core.node')) ? file : null;
}

/** What the last install / setup chose ({ kind }), or null. */
function readState(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

function writeState(root, state) {
  fs.writeFileSync(path.join(root, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
}

function prebuilt(pkg) {
  return {
    kind: 'prebuilt',
    file: pkg.file,
    libtensorflowDir: path.join(pkg.dir, 'libtensorflow'),
    packageDir: pkg.dir,
    packageName: pkg.name,
  };
}

function source(root, file) {
  return { kind: 'source', file, libtensorflowDir: path.join(root, 'deps', 'libtensorflow') };
}

/**
 * { kind: 'prebuilt' | 'source', file, libtensorflowDir } or { kind: 'none', reason }.
 * TFCV_BINARY=prebuilt|source forces a flavour; otherwise what setup chose last, else the
 * platform package, else a local build.
 */
function resolveBinary(root, env = process.env) {
  // TFCV_BINARY_PATH: an explicit source-layout binary (the sanitizer build of `npm run
  // test:asan`), for the loader and `tfcv doctor` alike.
  if (env.TFCV_BINARY_PATH) return source(root, path.resolve(env.TFCV_BINARY_PATH));
  const want = env.TFCV_BINARY;
  if (want !== undefined && want !== '' && want !== 'prebuilt' && want !== 'source') {
    return { kind: 'none', reason: `TFCV_BINARY must be 'prebuilt' or 'source', got '${want}'` };
  }
  const pkg = findPlatformPackage(root, env);
  const local = localBuild(root);
  if (want === 'prebuilt')
    return pkg.file ? prebuilt(pkg) : { kind: 'none', reason: `TFCV_BINARY=prebuilt but ${pkg.reason}` };
  if (want === 'source')
    return local
      ? source(root, local)
      : { kind: 'none', reason: `TFCV_BINARY=source but there is no ${path.join(root, 'build/Release/tfcv.node')}` };
  const state = readState(root);
  if (state?.kind === 'source' && local) return source(root, local);
  if (state?.kind === 'prebuilt' && pkg.file) return prebuilt(pkg);
  if (pkg.file) return prebuilt(pkg);
  if (local) return source(root, local);
  return { kind: 'none', reason: `${pkg.reason} and there is no source build (build/Release/tfcv.node)` };
}

module.exports = {
  resolveBinary,
  findPlatformPackage,
  platformPackageName,
  localBuild,
  readState,
  writeState,
  PLATFORM_PACKAGES,
  STATE_FILE,
};
