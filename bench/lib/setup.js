// What the benchmarks need besides tfcv itself, made on demand and cached outside the repo:
// the plain C++ baselines (CMake project in bench/native/runtime), the Python venv (shared with the
// fixture generator) and the MobileNetV2-224 SavedModel generated in it. Each helper returns
// null with a reason when its thing cannot be had here, so a baseline is reported as
// 'n/a: reason' instead of silently dropped.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const cache = process.env.TFCV_CACHE || path.join(os.homedir(), '.cache/tfcv');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: (r.stdout || '') + (r.stderr || '') };
}

/** Builds bench/native/runtime (once) and returns { dir } or { error }. */
function nativeBaselines() {
  const src = path.join(root, 'bench/native/runtime');
  const build = path.join(src, 'build');
  const configure = run('cmake', ['-S', src, '-B', build, '-DCMAKE_BUILD_TYPE=Release']);
  if (!configure.ok) return { error: `cmake configure failed: ${configure.out.slice(-300)}` };
  const compile = run('cmake', ['--build', build, '--parallel', '2']);
  if (!compile.ok) return { error: `native build failed: ${compile.out.slice(-300)}` };
  return { dir: build };
}

/** The venv's python (created by scripts/fixtures/setup_venv.sh), or { error }. */
function python() {
  const r = run('bash', [path.join(root, 'scripts/fixtures/setup_venv.sh')]);
  const py = r.out.trim().split('\n').pop();
  if (!r.ok || !py || !fs.existsSync(py))
    return { error: `no Python venv with TensorFlow (${r.out.slice(-200).trim()})` };
  return { python: py };
}

/** The MobileNetV2-224 SavedModel (generated once, ~29 MB, in the cache), or { error }. */
function mobilenet() {
  const dir = path.join(cache, 'bench-models/mobilenet_v2');
  if (fs.existsSync(path.join(dir, 'saved_model.pb'))) return { dir };
  const py = python();
  if (py.error) return py;
  const r = run(py.python, [path.join(root, 'bench/models/make_mobilenet.py'), dir]);
  if (!r.ok) return { error: `generating MobileNetV2 failed: ${r.out.slice(-300)}` };
  return { dir };
}

module.exports = { root, cache, run, nativeBaselines, python, mobilenet };
