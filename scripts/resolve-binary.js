// Which native binary to load (tfcv.node, which loads tfcv_core.node beside it), shared by the runtime loader (lib/native.ts),
// `tfcv setup` and `tfcv doctor`. Two flavours of the same sources (docs/design.md,
// "Distribution"; docs/install.md):
//   prebuilt — tfcv.node in the platform package (@tfcv/linux-x64-gnu, an optionalDependency),
//              OpenCV linked statically; libtensorflow is the package @tfcv/libtensorflow-linux-x64
//              (a dependency of the binary package), or an override `tfcv setup` placed in
//              <binary package>/libtensorflow (TFCV_LIBTENSORFLOW_DIR);
//   source   — build/Release/tfcv.node built here against the system OpenCV; libtensorflow
//              sits in <this package>/deps/libtensorflow.
// Each binary finds its libtensorflow through an $ORIGIN-relative rpath (CMakeLists.txt), so
// the set is self-contained wherever the package manager puts the folders (hoisted, nested,
// pnpm) and nothing has to run at install.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { otherPlatformAdvice, explainMissing } = require('./missing-package');

/** Platform packages published beside the main package, by platform-arch-libc. */
const PLATFORM_PACKAGES = { 'linux-x64-glibc': '@tfcv/linux-x64-gnu' };
/** The libtensorflow package each binary package depends on. */
const LIBRARY_PACKAGES = { '@tfcv/linux-x64-gnu': '@tfcv/libtensorflow-linux-x64' };
/** Where the prebuilt tfcv_core.node's RPATH looks, relative to its folder, in its order (CMakeLists.txt). */
const PREBUILT_RPATH = [
  'libtensorflow/lib',
  '../libtensorflow-linux-x64/lib',
  'node_modules/@tfcv/libtensorflow-linux-x64/lib',
  '../../../../@tfcv/libtensorflow-linux-x64/lib',
];
const STATE_FILE = '.tfcv-install.json';

function libc() {
  if (process.platform !== 'linux') return '';
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** { name } of the platform package for this machine, or { name: null, reason, fix }. */
function platformPackageName() {
  const key = `${process.platform}-${process.arch}-${libc()}`;
  const name = PLATFORM_PACKAGES[key];
  if (name) return { name };
  return {
    name: null,
    why: 'other-platform',
    reason: `no prebuilt binary is published for ${key} (only for ${Object.keys(PLATFORM_PACKAGES).join(', ')})`,
    fix: otherPlatformAdvice(key),
  };
}

function version(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  } catch {
    return '<version>';
  }
}

/** The folder of package `name` as Node resolves it from `from`, or null. */
function resolvePackage(name, from) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
  } catch {
    return null;
  }
}

/**
 * The libtensorflow the prebuilt binary in `dir` (its real path) loads: the first folder of
 * its RPATH holding both libraries, as the dynamic loader searches. { dir, override } or null.
 */
function prebuiltLibtensorflow(dir) {
  for (const rel of PREBUILT_RPATH) {
    const lib = path.join(dir, rel);
    if (
      fs.existsSync(path.join(lib, 'libtensorflow_framework.so.2')) &&
      fs.existsSync(path.join(lib, 'libtensorflow_cc.so.2'))
    )
      return { dir: path.dirname(lib), override: rel === PREBUILT_RPATH[0] };
  }
  return null;
}

/**
 * The installed platform package: { name, dir, file, libtensorflowDir, library } or
 * { reason, fix, why }. In this repository `npm run package` stages both packages in npm/,
 * used only when TFCV_BINARY=prebuilt asks for them (so a checkout keeps loading its source
 * build by default).
 */
function findPlatformPackage(root, env = process.env) {
  const { name, reason, fix, why } = platformPackageName();
  if (!name) return { reason, fix, why };
  let dir = resolvePackage(name, root);
  if (!dir) {
    const staged = path.join(root, 'npm', name.split('/')[1]);
    if (env.TFCV_BINARY === 'prebuilt' && fs.existsSync(path.join(staged, 'package.json'))) dir = staged;
  }
  if (!dir) return explainMissing(name, root, version(root));
  const file = path.join(dir, 'tfcv.node');
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, 'tfcv_core.node')))
    return {
      why: 'damaged',
      reason: `${dir} has no tfcv.node and tfcv_core.node`,
      fix: `Reinstall it: npm install --force ${name}@${version(root)}`,
    };
  const real = fs.realpathSync(dir);
  const libraryName = LIBRARY_PACKAGES[name];
  const libraryDir = resolvePackage(libraryName, real) || resolvePackage(libraryName, root);
  const loads = prebuiltLibtensorflow(real);
  return {
    name,
    dir: real,
    file: fs.realpathSync(file),
    // Where the binary's libtensorflow is (or, when nowhere, where the package belongs).
    libtensorflowDir: loads ? loads.dir : path.join(real, PREBUILT_RPATH[1], '..'),
    libtensorflowOverride: !!loads?.override,
    library: { name: libraryName, dir: libraryDir ? fs.realpathSync(libraryDir) : null },
  };
}

/** The source build (tfcv.node, the quiet front, and tfcv_core.node, the addon), or null. */
function localBuild(root) {
  const file = path.join(root, 'build', 'Release', 'tfcv.node');
  return fs.existsSync(file) && fs.existsSync(path.join(root, 'build', 'Release', 'tfcv_core.node')) ? file : null;
}

/** What the last setup chose ({ kind }), or null. */
function readState(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Records the choice when it changed. A read-only install (a root-owned image run by another
 * user, a read-only mount) keeps what it has: returns false instead of throwing EACCES/EROFS.
 */
function writeState(root, state) {
  if (readState(root)?.kind === state.kind) return true;
  try {
    fs.writeFileSync(path.join(root, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
    return true;
  } catch (e) {
    if (e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'EPERM') return false;
    throw e;
  }
}

function prebuilt(pkg) {
  return {
    kind: 'prebuilt',
    file: pkg.file,
    libtensorflowDir: path.normalize(pkg.libtensorflowDir),
    libtensorflowOverride: pkg.libtensorflowOverride,
    packageDir: pkg.dir,
    packageName: pkg.name,
    library: pkg.library,
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
    return pkg.file
      ? prebuilt(pkg)
      : { kind: 'none', why: pkg.why, reason: `TFCV_BINARY=prebuilt but ${pkg.reason}`, fix: pkg.fix };
  if (want === 'source')
    return local
      ? source(root, local)
      : { kind: 'none', reason: `TFCV_BINARY=source but there is no ${path.join(root, 'build/Release/tfcv.node')}` };
  const state = readState(root);
  if (state?.kind === 'source' && local) return source(root, local);
  if (state?.kind === 'prebuilt' && pkg.file) return prebuilt(pkg);
  if (pkg.file) return prebuilt(pkg);
  if (local) return source(root, local);
  return {
    kind: 'none',
    why: pkg.why,
    reason: `${pkg.reason}, and there is no source build (build/Release/tfcv.node)`,
    fix: pkg.fix,
  };
}

module.exports = {
  resolveBinary,
  findPlatformPackage,
  platformPackageName,
  localBuild,
  readState,
  writeState,
  prebuiltLibtensorflow,
  PLATFORM_PACKAGES,
  LIBRARY_PACKAGES,
  PREBUILT_RPATH,
  STATE_FILE,
};
