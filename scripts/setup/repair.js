// Finds and repairs a damaged libtensorflow (a truncated or missing file: a full disk, an
// interrupted copy) for `tfcv setup`, and names the damage for the loader and `tfcv doctor`.
// A repair re-copies the libraries from an intact source — npm's copy of the library package
// (`npm pack`, served from npm's cache when it has it) or the tfcv cache — into temporary
// names beside the damaged ones, proves the copy by loading the binary with it in a child
// process (LD_PRELOAD: the binary's NEEDED entries resolve to the preloaded sonames), and only
// then renames it over the damaged files. A running process keeps its mapped old inode.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tf = require('./libtensorflow');
const { elfProblem } = require('./elf-check');
const { findLockfile } = require('../missing-package');

const RECORD = 'libtensorflow.json'; // written by npm run package into the library package

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * What is wrong with the libtensorflow in `dir`: [{ name, file, problem }], empty when whole.
 * Structural (ELF headers against the file size) plus the sizes the package recorded.
 */
function damage(dir) {
  const lib = path.join(dir, 'lib');
  const found = tf.inspectRoot(dir);
  const names = [tf.FRAMEWORK, found ? found.lib : tf.WHEEL_LIB];
  const recorded = readJson(path.join(dir, RECORD))?.files || readJson(path.join(dir, tf.MARKER))?.files || {};
  const out = [];
  for (const name of names) {
    const file = path.join(lib, name);
    let problem = elfProblem(file);
    if (!problem && recorded[name]?.size !== undefined) {
      const size = fs.statSync(file).size;
      if (size !== recorded[name].size) problem = `size ${size} bytes, recorded ${recorded[name].size}`;
    }
    if (problem) out.push({ name, file, problem });
  }
  return out;
}

/** The npm spec of the library package in `dir`: the app lockfile's `resolved`, else name@version. */
function packageSpec(dir, root) {
  const pkg = readJson(path.join(dir, 'package.json'));
  if (!pkg?.name) return null;
  const found = findLockfile(root);
  const entry = found
    ? Object.entries(found.lock.packages || {}).find(([k]) => k.endsWith(`node_modules/${pkg.name}`))?.[1]
    : null;
  const resolved = entry?.resolved;
  if (resolved?.startsWith('file:')) return path.resolve(path.dirname(found.file), resolved.slice(5));
  return resolved || `${pkg.name}@${pkg.version}`;
}

/** Extracts the library package from npm into a temporary folder: { dir, cleanup } or { error }. */
function fromNpm(spec, log) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-repair-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  log(`fetching ${spec} with npm pack (npm's cache first)`);
  const r = spawnSync(
    'npm',
    ['pack', spec, '--json', '--prefer-offline', '--ignore-scripts', '--pack-destination', tmp],
    { cwd: tmp, encoding: 'utf8', timeout: 600000 },
  );
  let filename = null;
  try {
    filename = JSON.parse(r.stdout)[0].filename;
  } catch {
    // npm failed: its stderr says why
  }
  if (r.status !== 0 || !filename) {
    cleanup();
    const said = (r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ');
    return { error: `npm pack ${spec} failed (exit ${r.status}): ${said}` };
  }
  const x = spawnSync('tar', ['-xzf', path.join(tmp, path.basename(filename)), '-C', tmp, 'package/lib'], {
    encoding: 'utf8',
  });
  if (x.status !== 0) {
    cleanup();
    return { error: `extracting ${filename} failed: ${x.stderr.trim()}` };
  }
  return { dir: path.join(tmp, 'package'), cleanup, how: `npm's copy of ${spec}` };
}

/**
 * Re-copies the libraries of `dir` from an intact source, each checked by loading `binary`
 * with it in a child (`tryLoad`) before it replaces anything. Throws tf.SetupError naming
 * what was tried and the way out.
 */
async function repairLibtensorflow({ dir, binary, root, log, tryLoad }) {
  const lib = path.join(dir, 'lib');
  try {
    fs.accessSync(lib, fs.constants.W_OK);
  } catch {
    throw new tf.SetupError(
      `${dir} is damaged and this user (${os.userInfo().username}) cannot write it: run npx tfcv setup as its owner, ` +
        `or reinstall (rm -rf node_modules/@tfcv && npm install)`,
    );
  }
  const names = [tf.FRAMEWORK, tf.WHEEL_LIB];
  const tried = [];
  const candidates = [];
  const spec = packageSpec(dir, root);
  if (spec) candidates.push(() => fromNpm(spec, log));
  const cached = path.join(tf.cacheDir(), `libtensorflow-${tf.TF_VERSION}`);
  candidates.push(() => {
    if (tf.inspectRoot(cached)?.layout !== 'wheel') return { error: `the tfcv cache has no ${cached}` };
    const bad = damage(cached);
    if (bad.length) return { error: `the cached copy is damaged too (${bad.map((b) => b.name).join(', ')})` };
    return { dir: cached, cleanup: () => {}, how: `the tfcv cache (${cached})` };
  });
  for (const candidate of candidates) {
    const source = candidate();
    if (source.error) {
      tried.push(source.error);
      continue;
    }
    const staged = names.map((n) => path.join(lib, `${n}.tfcv-new-${process.pid}`));
    try {
      log(`copying libtensorflow from ${source.how} into ${lib} (checked before it replaces anything)`);
      names.forEach((n, i) => fs.copyFileSync(path.join(source.dir, 'lib', n), staged[i]));
      const bad = staged.map((f) => elfProblem(f)).filter(Boolean);
      const loaded = bad.length ? { ok: false, message: bad.join('; ') } : tryLoad(binary, root, { preload: staged });
      if (!loaded.ok) {
        tried.push(`${source.how}: does not load (${loaded.message})`);
        continue;
      }
      names.forEach((n, i) => fs.renameSync(staged[i], path.join(lib, n)));
      const record = readJson(path.join(dir, RECORD));
      if (record?.files) {
        // the package's record now describes what is there (a cache copy is not stripped)
        for (const n of names) record.files[n] = { ...record.files[n], size: fs.statSync(path.join(lib, n)).size };
        record.repairedFrom = source.how;
        fs.writeFileSync(path.join(dir, RECORD), JSON.stringify(record, null, 2) + '\n');
      }
      log(`libtensorflow re-copied from ${source.how}; it loads`);
      return source.how;
    } finally {
      for (const f of staged) fs.rmSync(f, { force: true });
      source.cleanup();
    }
  }
  throw new tf.SetupError(
    `libtensorflow in ${dir} is damaged and no intact copy was found:\n  ${tried.join('\n  ')}\n` +
      `Reinstall it: rm -rf node_modules/@tfcv && npm install (or point TFCV_LIBTENSORFLOW_DIR at a libtensorflow ${tf.TF_VERSION} and run npx tfcv setup)`,
  );
}

module.exports = { damage, repairLibtensorflow, packageSpec };
