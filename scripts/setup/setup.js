// What `npx tfcv setup` does (idempotent), and what a checkout's `npm ci` runs through
// "prepare" (scripts/dev-setup.js): choose the binary, make sure its libtensorflow is whole,
// and prove the pair loads in a child process. An installed package needs none of it — the
// prebuilt binary and libtensorflow arrive as platform packages — so for a working install
// it says "nothing to do" and writes nothing (a read-only install stays as it is). It
// repairs: a damaged libtensorflow is re-copied from npm's copy of its package or the tfcv
// cache, checked by loading it in a child before it replaces the damaged file. A source build
// (system OpenCV, cmake-js) is the fallback, and the reason for falling back is printed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const tf = require('./libtensorflow');
const { repairLibtensorflow, damage } = require('./repair');
const { findPlatformPackage, localBuild, readState, writeState } = require('../resolve-binary');

class SetupFailure extends Error {}

/** Did the user ask for a source build (npm install --build-from-source, TFCV_BUILD_FROM_SOURCE=1)? */
function sourceBuildRequested(env = process.env) {
  return env.npm_config_build_from_source === 'true' || env.TFCV_BUILD_FROM_SOURCE === '1';
}

/**
 * Loads `file` in a child process (a damaged library kills the child, not us): { ok } or
 * { ok: false, message } with the loader's own words or the signal. `preload`: libraries
 * loaded first (LD_PRELOAD), which the binary's NEEDED entries then resolve to by soname.
 */
function tryLoad(file, cwd, { preload = [] } = {}) {
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' };
  if (preload.length) env.LD_PRELOAD = preload.join(':');
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)}).versions()`], {
    cwd,
    encoding: 'utf8',
    env,
    timeout: 120000,
  });
  if (r.status === 0) return { ok: true };
  if (r.signal) return { ok: false, message: `the process loading it was killed by ${r.signal}`, signal: r.signal };
  const lines = (r.stderr || '').split('\n');
  const message = lines.find((l) => /^\w*Error: /.test(l)) || lines.filter(Boolean).slice(-3).join(' ');
  return { ok: false, message: message.replace(/^\w*Error: /, '').trim() || `exit ${r.status}` };
}

/**
 * libtensorflow in `dest`: kept when a complete copy is already there (so a deleted cache or
 * a copied node_modules needs nothing), else resolved and placed.
 */
async function ensureLibtensorflow(dest, { withHeaders, log, acceptOfficial }) {
  const present = tf.describe(dest);
  const explicit = process.env.TFCV_LIBTENSORFLOW_DIR ? path.resolve(process.env.TFCV_LIBTENSORFLOW_DIR) : null;
  const complete =
    present &&
    tf.inspectRoot(dest) &&
    damage(dest).length === 0 &&
    (!withHeaders || fs.existsSync(path.join(dest, 'include/tensorflow/c/c_api.h')));
  // A copy of another TensorFlow version (an upgraded tfcv) is replaced.
  const sameVersion = !present?.version || present.version === tf.TF_VERSION;
  if (complete && sameVersion && (!explicit || present.from === explicit)) {
    log(`libtensorflow already in ${dest} (from ${present.from})`);
    return present;
  }
  const source = await tf.resolveSource({ log });
  if (source.layout === 'official' && !acceptOfficial) {
    const refused = new tf.SetupError(
      `${source.dir} has the official C library layout (lib/${tf.OFFICIAL_LIB}); the prebuilt binary links ` +
        `lib/${tf.WHEEL_LIB}, the name the tensorflow-cpu ${tf.TF_VERSION} wheel ships. A source build accepts both.`,
    );
    refused.code = 'OFFICIAL_LAYOUT';
    throw refused;
  }
  tf.place(source, dest, { withHeaders, log });
  return tf.describe(dest);
}

function runStep(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new SetupFailure(`${what} failed (exit ${r.status ?? r.error?.message})`);
}

function missingBuildTools() {
  const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
  return ['cmake', 'c++'].filter((t) => !has(t));
}

async function sourceBuild({ root, log, rebuild, why, fix }) {
  log(`building from source because ${why}`);
  const tools = missingBuildTools();
  const existing = localBuild(root);
  if (tools.length) {
    // A source build copied without its tools (a runtime image) that still loads is kept.
    if (existing && !rebuild && tryLoad(existing, root).ok) {
      log(
        `${tools.join(' and ')} not on PATH; keeping the existing source build ${path.relative(root, existing)}, which loads`,
      );
      writeState(root, { kind: 'source' });
      return { kind: 'source', file: existing };
    }
    throw new SetupFailure(
      `a source build needs ${tools.join(' and ')} (cmake, a C++17 compiler), which ${tools.length > 1 ? 'are' : 'is'} not on PATH. ` +
        `Install them (Debian/Ubuntu: apt-get install cmake g++) and run npx tfcv setup --build-from-source` +
        (fix ? `; or, for the prebuilt binary: ${fix}` : ', or install the prebuilt binary for this platform.'),
    );
  }
  if (process.env.TFCV_SKIP_SETUP !== '1') {
    runStep('bash', [path.join(root, 'scripts/setup/opencv.sh')], root, 'the OpenCV step');
    await ensureLibtensorflow(path.join(root, 'deps/libtensorflow'), { withHeaders: true, log, acceptOfficial: true });
  }
  // Always through cmake-js: an up-to-date build is a no-op for ninja, and changed sources
  // (a git pull, a merge) are recompiled. npm rebuild starts from a clean build folder.
  log(
    existing && !rebuild
      ? 'compiling the native addon with cmake-js (incremental)'
      : 'compiling the native addon with cmake-js (2-4 min on 2 cores)',
  );
  runStep(
    process.execPath,
    [path.join(root, 'scripts/build-native.js'), ...(rebuild ? ['--rebuild'] : [])],
    root,
    'the native build',
  );
  const file = localBuild(root);
  const loaded = file ? tryLoad(file, root) : { ok: false, message: 'build/Release/tfcv.node was not produced' };
  if (!loaded.ok) throw new SetupFailure(`the source build ${file} does not load: ${loaded.message}`);
  writeState(root, { kind: 'source' });
  log(`using the source build ${path.relative(root, file)}`);
  return { kind: 'source', file };
}

/**
 * The prebuilt pair, made whole: an explicit TFCV_LIBTENSORFLOW_DIR is placed beside the
 * binary (the override its RPATH searches first); a damaged or missing libtensorflow is
 * repaired; then the binary is loaded in a child. { kind, file } when it loads, else null.
 */
async function prebuiltReady(root, pkg, log) {
  const override = path.join(pkg.dir, 'libtensorflow');
  if (process.env.TFCV_LIBTENSORFLOW_DIR) {
    await ensureLibtensorflow(override, { withHeaders: false, log, acceptOfficial: false });
  } else if (pkg.libtensorflowOverride || !fs.existsSync(path.join(pkg.libtensorflowDir, 'lib'))) {
    // an override placed earlier, or no library package at all (omitted, not installable):
    // the cache / pip route places one beside the binary
    if (!pkg.libtensorflowOverride)
      log(`${pkg.library.name} is not installed; placing libtensorflow beside the binary instead`);
    await ensureLibtensorflow(override, { withHeaders: false, log, acceptOfficial: false });
  }
  const current = findPlatformPackage(root);
  const dir = current.libtensorflowDir || pkg.libtensorflowDir;
  const before = tryLoad(pkg.file, root);
  const damaged = damage(dir);
  if (before.ok && damaged.length === 0) {
    const recorded = writeState(root, { kind: 'prebuilt' });
    log(
      `nothing to do: the prebuilt binary ${pkg.file} loads with libtensorflow from ${dir}` +
        (recorded ? '' : ' (this install is read-only for this user; nothing was written)'),
    );
    return { kind: 'prebuilt', file: pkg.file };
  }
  if (damaged.length === 0 && !before.signal) return null; // whole, but does not load: not a repair
  log(
    damaged.length
      ? `libtensorflow in ${dir} is damaged: ${damaged.map((d) => `${d.name} ${d.problem}`).join('; ')}`
      : `the prebuilt binary crashed while loading (${before.message}); re-copying libtensorflow`,
  );
  await repairLibtensorflow({ dir, binary: pkg.file, root, log, tryLoad, library: pkg.library });
  const after = tryLoad(pkg.file, root);
  if (!after.ok) return null;
  writeState(root, { kind: 'prebuilt' });
  log(`repaired: the prebuilt binary ${pkg.file} loads with libtensorflow from ${dir}`);
  return { kind: 'prebuilt', file: pkg.file };
}

/**
 * The whole setup. `rebuild` recompiles a source build (npm rebuild); `forceSource` skips the
 * platform package. Resolves with { kind, file }; rejects with an Error whose message names
 * the cause and the way out.
 */
async function setup({ root, log = console.log, rebuild = false, forceSource = sourceBuildRequested(), sourceWhy }) {
  // ffmpeg, for live streams only: installed as root with apt-get like OpenCV, never fatal.
  if (process.env.TFCV_SKIP_SETUP !== '1')
    spawnSync('bash', [path.join(root, 'scripts/setup/ffmpeg.sh')], { cwd: root, stdio: 'inherit' });
  if (rebuild && readState(root)?.kind === 'source') forceSource = true;
  let why;
  const pkg = findPlatformPackage(root);
  if (forceSource) {
    why =
      sourceWhy ||
      'a source build was requested (--build-from-source, TFCV_BUILD_FROM_SOURCE=1 or npm rebuild of a source build)';
  } else if (!pkg.file) {
    why = pkg.reason;
  } else {
    try {
      const ready = await prebuiltReady(root, pkg, log);
      if (ready) return ready;
      why = `the prebuilt binary ${pkg.file} does not load here: ${tryLoad(pkg.file, root).message}`;
    } catch (e) {
      // Only a layout the prebuilt binary cannot use is a reason to build; a libtensorflow
      // that cannot be found or repaired fails here, with its own message.
      if (e.code !== 'OFFICIAL_LAYOUT') throw e;
      why = `the prebuilt binary cannot be used: ${e.message}`;
    }
    log(why);
  }
  return sourceBuild({ root, log, rebuild, why, fix: pkg.fix });
}

module.exports = { setup, tryLoad, sourceBuildRequested, SetupFailure };
