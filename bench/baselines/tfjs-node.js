#!/usr/bin/env node
// Baseline for bench/model-latency.js: @tensorflow/tfjs-node, the TensorFlow binding most Node
// users have, on the same SavedModel (tf.node.loadSavedModel + model.predict), so tfcv is
// compared with it on the SAME libtensorflow. Its own install downloads libtensorflow 2.9.1 and
// a prebuilt addon from Google storage, which is not reachable here; instead it is installed
// with --ignore-scripts into ${TFCV_CACHE:-~/.cache/tfcv}/baselines/tfjs-node, its deps/ is
// pointed at tfcv's libtensorflow (deps/libtensorflow), and its binding is built from source
// with node-gyp against Node's local headers.
//
// usage: tfjs-node.js MODEL SHAPE TIME_MS   (MODEL tiny|mobilenet, SHAPE e.g. 1,224,224,3)
//        tfjs-node.js --prepare             (install + build only)
// stdout: one JSON line, {"median_ms":…,"p99_ms":…,"iterations":…} or {"error":"…"} (exit 0).
'use strict';
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, cache, Unavailable, createRunner, parseArgs, measure } = require('./runner_kit');

const { log, run, start } = createRunner('tfjs-node');

const TFJS_VERSION = '4.22.0';
const installDir = path.join(cache, 'baselines/tfjs-node');
const pkgDir = path.join(installDir, 'node_modules/@tensorflow/tfjs-node');

/** tfcv's libtensorflow (scripts/setup/libtensorflow.sh links it at deps/libtensorflow). */
function libtensorflow() {
  const link = path.join(root, 'deps/libtensorflow');
  if (!fs.existsSync(path.join(link, 'include/tensorflow/c/eager/c_api.h'))) {
    throw new Unavailable(
      `no libtensorflow with the eager C API headers at ${link} (run scripts/setup/libtensorflow.sh)`,
    );
  }
  const dir = fs.realpathSync(link);
  const lib = path.join(dir, 'lib');
  // The official C library calls it libtensorflow.so.2; the Python wheel, libtensorflow_cc.so.2.
  const main = ['libtensorflow.so.2', 'libtensorflow_cc.so.2'].find((f) => fs.existsSync(path.join(lib, f)));
  if (!main || !fs.existsSync(path.join(lib, 'libtensorflow_framework.so.2')))
    throw new Unavailable(`${lib} lacks libtensorflow{,_cc}.so.2 or libtensorflow_framework.so.2`);
  return { dir, lib, main };
}

/** The napi version node-pre-gyp (tfjs-node's loader) picks: the highest the package declares
 *  that this Node supports. Its binding is looked up in lib/napi-v{that}/. */
function napiBuildVersion() {
  const declared = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).binary.napi_versions;
  return Math.max(...declared.filter((v) => v <= Number(process.versions.napi)));
}

/** The node-gyp that npm ships, and a --nodedir with Node's headers (so nothing is downloaded). */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout?.trim();
  if (npmRoot) candidates.push(path.join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js'));
  candidates.push(path.resolve(process.execPath, '../../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  const gyp = candidates.find((c) => c && fs.existsSync(c));
  if (!gyp) throw new Unavailable('node-gyp not found (it ships with npm)');
  const configured = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout?.trim();
  const nodedir = [configured, path.resolve(process.execPath, '../..')].find(
    (d) =>
      d &&
      d !== 'undefined' &&
      fs.existsSync(path.join(d, 'include/node/common.gypi')) &&
      fs.existsSync(path.join(d, 'include/node/node_api.h')),
  );
  if (!nodedir)
    throw new Unavailable(
      "Node's headers (include/node/common.gypi, node_api.h) not found; node-gyp would try to download them",
    );
  return { gyp, nodedir };
}

/** deps/ in the layout binding.gyp and scripts/install.js expect: deps/include/tensorflow/c/…,
 *  deps/lib/libtensorflow.so (+ .so.2, and .so.2.9.1, the name install.js checks for) and
 *  libtensorflow_framework.so(.2) — here symlinks to tfcv's libtensorflow. The library's own
 *  file name is linked too: the binding records the SONAME (libtensorflow_cc.so.2 for the
 *  wheel's build) and finds it through its rpath $ORIGIN/../../deps/lib. */
function linkDeps(tf) {
  const deps = path.join(pkgDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  fs.symlinkSync(path.join(tf.dir, 'include'), path.join(deps, 'include'));
  const link = (target, name) => fs.symlinkSync(target, path.join(deps, 'lib', name));
  link(path.join(tf.lib, tf.main), tf.main);
  link(path.join(tf.lib, 'libtensorflow_framework.so.2'), 'libtensorflow_framework.so.2');
  for (const name of ['libtensorflow.so', 'libtensorflow.so.2', 'libtensorflow.so.2.9.1'])
    if (name !== tf.main) link(tf.main, name);
  for (const name of ['libtensorflow_framework.so', 'libtensorflow_framework.so.2.9.1'])
    link('libtensorflow_framework.so.2', name);
}

/** Installs tfjs-node (no scripts), links deps/, builds the binding: each step once. */
function prepare() {
  const tf = libtensorflow();
  const pkgJson = path.join(pkgDir, 'package.json');
  if (!fs.existsSync(pkgJson) || JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version !== TFJS_VERSION) {
    fs.mkdirSync(installDir, { recursive: true });
    const manifest = path.join(installDir, 'package.json');
    if (!fs.existsSync(manifest))
      fs.writeFileSync(manifest, JSON.stringify({ name: 'tfcv-baseline-tfjs-node', private: true }, null, 2));
    log(`installing @tensorflow/tfjs-node@${TFJS_VERSION} (--ignore-scripts) into ${installDir}`);
    const r = run(
      'npm',
      [
        'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--save-exact',
        `@tensorflow/tfjs-node@${TFJS_VERSION}`,
      ],
      { cwd: installDir },
    );
    if (!r.ok)
      throw new Unavailable(`npm install @tensorflow/tfjs-node@${TFJS_VERSION} failed: ${r.out.trim().slice(-300)}`);
  }
  const napi = napiBuildVersion();
  const binding = path.join(pkgDir, `lib/napi-v${napi}/tfjs_binding.node`);
  const stampFile = path.join(pkgDir, 'deps/.tfcv-baseline.json');
  const stamp = JSON.stringify({ libtensorflow: tf.dir, main: tf.main, node: process.versions.modules, napi });
  const built = fs.existsSync(binding) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (!built) {
    linkDeps(tf);
    const { gyp, nodedir } = nodeGyp();
    log(
      `building the binding from source with node-gyp (napi ${napi}, headers from ${nodedir}, libtensorflow ${tf.dir})`,
    );
    const started = Date.now();
    const r = run(
      process.execPath,
      [
        gyp,
        'rebuild',
        `--nodedir=${nodedir}`,
        '--module_name=tfjs_binding',
        `--module_path=${path.dirname(binding)}`,
        `--napi_build_version=${napi}`,
        '-j',
        '2',
      ],
      { cwd: pkgDir },
    );
    if (!r.ok || !fs.existsSync(binding))
      throw new Unavailable(`node-gyp build of the tfjs-node binding failed: ${r.out.trim().slice(-400)}`);
    log(`built ${binding} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // Node loads addons lazily (RTLD_LAZY): a C API function missing from libtensorflow would only
  // fail when first called. LD_BIND_NOW resolves every symbol now and names any that is missing.
  const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(binding)})`], {
    encoding: 'utf8',
    env: { ...process.env, LD_BIND_NOW: '1', TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  if (check.status !== 0) {
    const undef = /undefined symbol: (\S+)/.exec(check.stderr);
    throw new Unavailable(
      undef
        ? `libtensorflow at ${tf.dir} does not export ${undef[1]}, which the tfjs-node binding needs`
        : `the tfjs-node binding does not load: ${check.stderr.trim().slice(-300)}`,
    );
  }
  if (!built) fs.writeFileSync(stampFile, stamp);
}

function modelDir(model) {
  if (model === 'tiny') return path.join(root, 'test/fixtures/models/cnn_keras');
  const m = require('../lib/setup').mobilenet(); // generated once into ${TFCV_CACHE}/bench-models
  if (m.error) throw new Unavailable(m.error);
  return m.dir;
}

async function bench({ model, shape, timeMs }) {
  prepare();
  const dir = modelDir(model);
  const tf = require(pkgDir);
  // loadSavedModel opens a TF_Session with default options: tfjs-node has no way to set thread
  // counts, so TensorFlow picks them (intra-op = inter-op = the schedulable cores).
  const savedModel = await tf.node.loadSavedModel(dir, ['serve'], 'serving_default');
  const x = tf.fill(shape, 0.5, 'float32');
  const once = () => {
    const out = savedModel.predict(x);
    for (const t of out instanceof tf.Tensor ? [out] : Object.values(out)) {
      t.dataSync(); // what a caller does next: read the result (a copy of N×10 or N×1000 floats)
      t.dispose();
    }
  };
  const y = savedModel.predict(x);
  log(
    `${path.basename(dir)}: [${shape}] -> [${y.shape}], backend ${tf.getBackend()}, tfjs-node ${tf.version['tfjs-node']}, TensorFlow ${tf.backend().binding.TF_Version}`,
  );
  y.dispose();
  const result = await measure(once, timeMs);
  x.dispose();
  savedModel.dispose();
  return result;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--prepare') {
    prepare();
    return { ok: true };
  }
  return bench(parseArgs(argv));
}

start(main);
