// What the install hook does, and `npx tfcv setup` repeats (idempotent): choose the binary,
// put libtensorflow next to it, and prove it loads. The prebuilt platform package is used when
// it is installed and loads; a source build (system OpenCV, cmake-js) is the fallback, and
// the reason for falling back is printed, never swallowed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const tf = require('./libtensorflow');
const { findPlatformPackage, localBuild, readState, writeState } = require('../resolve-binary');

class SetupFailure extends Error {}

/** Did the user ask for a source build (npm install --build-from-source, TFCV_BUILD_FROM_SOURCE=1)? */
function sourceBuildRequested(env = process.env) {
  return env.npm_config_build_from_source === 'true' || env.TFCV_BUILD_FROM_SOURCE === '1';
}

/** Loads `file` in a child process: { ok } or { ok: false, message } with the loader's own words. */
function tryLoad(file, cwd) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)}).versions()`], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  if (r.status === 0) return { ok: true };
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
    present && tf.inspectRoot(dest) && (!withHeaders || fs.existsSync(path.join(dest, 'include/tensorflow/c/c_api.h')));
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

async function sourceBuild({ root, log, rebuild, why }) {
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
        `Install them (Debian/Ubuntu: apt-get install cmake g++), or install the prebuilt binary for this platform.`,
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
 * The whole setup. `rebuild` recompiles a source build (npm rebuild); `forceSource` skips the
 * platform package. Resolves with { kind, file }; rejects with an Error whose message names
 * the cause and the way out.
 */
async function setup({ root, log = console.log, rebuild = false, forceSource = sourceBuildRequested() }) {
  // ffmpeg, for live streams only: installed as root with apt-get like OpenCV, never fatal.
  if (process.env.TFCV_SKIP_SETUP !== '1')
    spawnSync('bash', [path.join(root, 'scripts/setup/ffmpeg.sh')], { cwd: root, stdio: 'inherit' });
  if (rebuild && readState(root)?.kind === 'source') forceSource = true;
  let why;
  const pkg = findPlatformPackage(root);
  if (forceSource) {
    why =
      'a source build was requested (--build-from-source, TFCV_BUILD_FROM_SOURCE=1 or npm rebuild of a source build)';
  } else if (!pkg.file) {
    why = pkg.reason;
  } else {
    try {
      await ensureLibtensorflow(path.join(pkg.dir, 'libtensorflow'), {
        withHeaders: false,
        log,
        acceptOfficial: false,
      });
      const loaded = tryLoad(pkg.file, root);
      if (loaded.ok) {
        writeState(root, { kind: 'prebuilt' });
        log(`using the prebuilt binary from ${pkg.name} (${pkg.file}); nothing to compile`);
        return { kind: 'prebuilt', file: pkg.file };
      }
      why = `the prebuilt binary ${pkg.file} does not load here: ${loaded.message}`;
    } catch (e) {
      // Only a layout the prebuilt binary cannot use is a reason to build; a libtensorflow
      // that cannot be found at all fails here, with its own message (a build needs it too).
      if (e.code !== 'OFFICIAL_LAYOUT') throw e;
      why = `the prebuilt binary cannot be used: ${e.message}`;
    }
    log(why);
  }
  return sourceBuild({ root, log, rebuild, why });
}

module.exports = { setup, tryLoad, sourceBuildRequested, SetupFailure };
