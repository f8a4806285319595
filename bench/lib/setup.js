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
  return {
    ok: r.status === 0,
    status: r.status ?? r.error?.message,
    out: (r.stdout || '') + (r.stderr || ''),
    stdout: r.stdout || '',
    stderr: r.stderr || '',
  };
}

/**
 * Debian packages a baseline needs (e.g. libopencv-dnn-dev for the C++ NMS): installed with
 * apt-get as the setup scripts install OpenCV when this is root on a Debian system; otherwise
 * { error } says what to run. Returns {} when they are there.
 */
function aptPackages(packages) {
  const missing = packages.filter(
    (p) => !run('dpkg-query', ['-W', '-f=${Status}', p]).out.includes('install ok installed'),
  );
  if (missing.length === 0) return {};
  const command = `apt-get install ${missing.join(' ')}`;
  if (!run('sh', ['-c', 'command -v apt-get']).ok)
    return { error: `${missing.join(', ')} missing and no apt-get here` };
  if (process.getuid?.() !== 0) return { error: `${missing.join(', ')} missing; as root run: ${command}` };
  console.log(`bench setup: installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-qq'], { env });
  const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  if (!install.ok)
    return {
      error: `${command} failed (exit ${install.status}): ${(install.stderr || update.stderr).trim().split('\n').slice(-3).join(' ')}`,
    };
  return {};
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

/** The venv's python (created by scripts/fixtures/setup_venv.sh), or { error } with pip's own words. */
function python() {
  const r = run('bash', [path.join(root, 'scripts/fixtures/setup_venv.sh')]);
  const py = r.stdout.trim().split('\n').pop() ?? '';
  if (!r.ok) {
    // setup_venv.sh prints pip's exit status and ERROR lines on failure, never its warnings.
    const why = r.stderr
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('WARNING: '))
      .slice(-4)
      .join(' ');
    return { error: `no Python venv with TensorFlow: scripts/fixtures/setup_venv.sh exit ${r.status}: ${why}` };
  }
  if (!py || !fs.existsSync(py)) return { error: `scripts/fixtures/setup_venv.sh printed no python path (${py})` };
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

module.exports = { root, cache, run, aptPackages, nativeBaselines, python, mobilenet };
