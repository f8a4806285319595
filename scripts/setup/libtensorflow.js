// Resolves libtensorflow (the TensorFlow C API) and places it inside the package, next to the
// binary that needs it, so an installed node_modules keeps working when copied to another
// path or image, run by another user, or after the cache is deleted (docs/design.md,
// "Distribution"). Never a symlink: a hard link from the cache when the filesystem and
// permissions allow it (free), else a copy. Where from, in order:
//   1. $TFCV_LIBTENSORFLOW_DIR (official C-library layout or the wheel's library names);
//   2. a system install (/usr/local, /usr);
//   3. the C API extracted from the pinned tensorflow-cpu wheel (pip download), kept in a
//      cache outside the package (${TFCV_CACHE:-~/.cache/tfcv}) so later installs reuse it.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const TF_VERSION = '2.21.0';
const FRAMEWORK = 'libtensorflow_framework.so.2';
/** The wheel ships the C API inside libtensorflow_cc; the official C tarball as libtensorflow. */
const WHEEL_LIB = 'libtensorflow_cc.so.2';
const OFFICIAL_LIB = 'libtensorflow.so.2';
const MARKER = '.tfcv-libtensorflow.json';

class SetupError extends Error {}

function cacheDir() {
  return process.env.TFCV_CACHE || path.join(os.homedir(), '.cache', 'tfcv');
}

/** The C API library in `dir/lib`, or null: { lib, layout } where layout is 'wheel' or 'official'. */
function inspectRoot(dir) {
  const lib = path.join(dir, 'lib');
  if (!fs.existsSync(path.join(lib, FRAMEWORK))) return null;
  if (fs.existsSync(path.join(lib, WHEEL_LIB))) return { lib: WHEEL_LIB, layout: 'wheel' };
  if (fs.existsSync(path.join(lib, OFFICIAL_LIB))) return { lib: OFFICIAL_LIB, layout: 'official' };
  return null;
}

function hasHeaders(dir) {
  return fs.existsSync(path.join(dir, 'include/tensorflow/c/c_api.h'));
}

function mb(bytes) {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}

/** Last `n` non-empty lines of a text, indented, for error messages that carry a tool's own words. */
function tail(text, n = 12) {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .map((l) => `    ${l}`)
    .join('\n');
}

/**
 * Runs pip download of the pinned wheel, streaming pip's progress lines (what, from which
 * index, how many MB) and keeping its output so a failure quotes pip's own last lines.
 */
function pipDownload(wheelDir, log) {
  const python = ['python3', 'python'].find(
    (p) => spawnSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0,
  );
  if (!python) {
    throw new SetupError(
      `libtensorflow ${TF_VERSION} is not in the cache (${cacheDir()}) and pip is not available to fetch it ` +
        `(python3 -m pip --version failed).\n${howToProvide()}`,
    );
  }
  fs.mkdirSync(wheelDir, { recursive: true });
  log(
    `fetching tensorflow-cpu==${TF_VERSION} (the wheel carries the TensorFlow C API, ~250 MB) with pip into ${wheelDir} (once)`,
  );
  // -vvv: pip names the network cause ("Could not fetch URL ...: connection refused", DNS,
  // TLS, proxy) only at debug level; pipCause() picks those lines out.
  const args = [
    '-m',
    'pip',
    'download',
    '-vvv',
    '--no-deps',
    '--retries',
    '0',
    '--timeout',
    '30',
    '--only-binary=:all:',
    '--progress-bar',
    'off',
    '-d',
    wheelDir,
    `tensorflow-cpu==${TF_VERSION}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) {
        // pip names the index and the file with its size: the progress worth showing.
        if (/^(Looking in indexes|Downloading|Collecting|Saved|File was already)/.test(line.trim()))
          log(`  pip: ${line.trim()}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => reject(new SetupError(`pip could not be started: ${e.message}`)));
    child.on('close', (code) => {
      const wheel = findWheel(wheelDir);
      if (code === 0 && wheel) return resolve(wheel);
      reject(
        new SetupError(
          `pip download of tensorflow-cpu==${TF_VERSION} failed (exit ${code}). pip said:\n${pipCause(output)}\n${howToProvide()}`,
        ),
      );
    });
  });
}

/** pip's lines that name why it failed (network, index, TLS), then its last lines. */
function pipCause(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const cause =
    /Could not fetch URL|refused|timed? ?out|unreachable|Name or service|name resolution|SSLError|certificate verify|ProxyError|HTTP error \d+/i;
  const noise = /^(raise |File "|Traceback|Skipping|Link |Found link|\^)/;
  const picked = [...new Set(lines.filter((l) => cause.test(l) && !noise.test(l)))].slice(0, 4);
  const errors = lines.filter((l) => /^ERROR:/.test(l));
  const shown = [...picked, ...(errors.length ? errors : lines.slice(-4))];
  return shown.map((l) => `    ${l.length > 800 ? `${l.slice(0, 800)}...` : l}`).join('\n');
}

function findWheel(wheelDir) {
  let names = [];
  try {
    names = fs.readdirSync(wheelDir);
  } catch {
    return null;
  }
  const name = names.find((n) => n.startsWith(`tensorflow_cpu-${TF_VERSION}-`) && n.endsWith('.whl'));
  return name ? path.join(wheelDir, name) : null;
}

function howToProvide() {
  return [
    `Provide libtensorflow ${TF_VERSION} in one of these ways:`,
    `  1. TFCV_LIBTENSORFLOW_DIR=<dir> with lib/${FRAMEWORK} and lib/${WHEEL_LIB} (tensorflow-cpu wheel names)`,
    `     or lib/${OFFICIAL_LIB} (official C library), plus include/tensorflow/c/c_api.h;`,
    `  2. a system install in /usr/local or /usr;`,
    `  3. a working 'python3 -m pip download --no-deps tensorflow-cpu==${TF_VERSION}' (pip's index), cached in ${cacheDir()}.`,
  ].join('\n');
}

/** Extracts the two libraries and the C headers from the wheel (a zip) with Python's zipfile. */
function extractWheel(wheel, dest, log) {
  log(`extracting the C API from ${path.basename(wheel)} (${mb(fs.statSync(wheel).size)}) into ${dest}`);
  const staging = `${dest}.tmp.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const script = `
import os, shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}
header_dirs = ("tensorflow/include/tensorflow/c/", "tensorflow/include/xla/tsl/c/",
               "tensorflow/include/tsl/platform/ctstring", "tensorflow/include/tensorflow/core/platform/ctstring")
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith("/"):
            continue
        if name in libs:
            dest = os.path.join(out, "lib", os.path.basename(name))
        elif name.startswith(header_dirs) and name.endswith(".h"):
            dest = os.path.join(out, "include", name[len("tensorflow/include/"):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
`;
  const r = spawnSync('python3', ['-c', script, wheel, staging], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new SetupError(`extracting ${wheel} failed:\n${tail(r.stderr || r.error?.message || '')}`);
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(staging, dest);
  // The wheel is only a carrier; keep the cache lean.
  fs.rmSync(wheel, { force: true });
}

/**
 * Where libtensorflow comes from: { dir, lib, layout, how, version }. Fetches into the cache
 * when nothing else provides it. Throws SetupError with the way out.
 */
async function resolveSource({ log = console.log } = {}) {
  const explicit = process.env.TFCV_LIBTENSORFLOW_DIR;
  if (explicit) {
    const dir = path.resolve(explicit);
    const found = inspectRoot(dir);
    if (!found) {
      let listing = '(missing)';
      try {
        listing = fs.readdirSync(path.join(dir, 'lib')).join(', ') || '(empty)';
      } catch {
        // no lib/ at all: '(missing)' says so
      }
      throw new SetupError(
        `TFCV_LIBTENSORFLOW_DIR=${explicit} is not a libtensorflow directory: expected lib/${FRAMEWORK} and ` +
          `lib/${WHEEL_LIB} or lib/${OFFICIAL_LIB} (and include/tensorflow/c/c_api.h for source builds); lib/ has: ${listing}`,
      );
    }
    return { dir, ...found, how: 'TFCV_LIBTENSORFLOW_DIR', version: null };
  }
  for (const dir of ['/usr/local', '/usr']) {
    const found = inspectRoot(dir);
    if (found && hasHeaders(dir)) return { dir, ...found, how: 'system install', version: null };
  }
  const cached = path.join(cacheDir(), `libtensorflow-${TF_VERSION}`);
  if (!inspectRoot(cached)) {
    const wheelDir = path.join(cacheDir(), 'wheel');
    const wheel = findWheel(wheelDir) || (await pipDownload(wheelDir, log));
    extractWheel(wheel, cached, log);
  }
  return {
    dir: cached,
    ...inspectRoot(cached),
    how: `tensorflow-cpu ${TF_VERSION} wheel, cached in ${cacheDir()}`,
    version: TF_VERSION,
  };
}

function sameFile(a, b) {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return (sa.ino === sb.ino && sa.dev === sb.dev) || sa.size === sb.size;
  } catch {
    return false;
  }
}

/** Files to place: both libraries (always), the C headers (source builds). */
function listFiles(source, withHeaders) {
  const files = [path.join('lib', FRAMEWORK), path.join('lib', source.lib)];
  if (withHeaders) {
    const walk = (rel) => {
      for (const entry of fs.readdirSync(path.join(source.dir, rel), { withFileTypes: true })) {
        const r = path.join(rel, entry.name);
        if (entry.isDirectory()) walk(r);
        else if (entry.name.endsWith('.h')) files.push(r);
      }
    };
    walk('include/tensorflow/c');
    for (const extra of ['include/xla/tsl/c', 'include/tsl/platform', 'include/tensorflow/core/platform']) {
      if (fs.existsSync(path.join(source.dir, extra))) walk(extra);
    }
  }
  return files;
}

/**
 * Places libtensorflow from `source` into `dest` (dest/lib, dest/include), idempotently: a
 * destination whose marker names the same source and whose files match is left alone.
 * Returns 'kept' | 'linked' | 'copied'.
 */
function place(source, dest, { withHeaders = false, log = console.log } = {}) {
  const markerFile = path.join(dest, MARKER);
  const files = listFiles(source, withHeaders);
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    if (marker.from === source.dir && files.every((f) => sameFile(path.join(source.dir, f), path.join(dest, f))))
      return 'kept';
  } catch {
    // no marker or a stale one: place the libraries again
  }
  // A symlink left by an older install (deps/libtensorflow -> ~/.cache/...) is replaced.
  if (fs.existsSync(dest) && fs.lstatSync(dest).isSymbolicLink()) fs.unlinkSync(dest);
  const staging = `${dest}.tmp.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const total = files.reduce((n, f) => n + fs.statSync(path.join(source.dir, f)).size, 0);
  let linked = 0;
  let copied = 0;
  let announced = false;
  for (const f of files) {
    const from = path.join(source.dir, f);
    const to = path.join(staging, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      // Same filesystem and a file we may link (fs.protected_hardlinks): costs nothing.
      fs.linkSync(from, to);
      linked += fs.statSync(from).size;
    } catch {
      if (!announced) {
        log(`copying libtensorflow (${mb(total)}) from ${source.dir} into ${dest}`);
        announced = true;
      }
      const size = fs.statSync(from).size;
      fs.copyFileSync(from, to);
      copied += size;
      if (size > 1048576) log(`  ${path.basename(f)} ${mb(size)} (${mb(copied + linked)} of ${mb(total)})`);
    }
  }
  fs.writeFileSync(
    path.join(staging, MARKER),
    JSON.stringify(
      { from: source.dir, how: source.how, layout: source.layout, lib: source.lib, version: source.version },
      null,
      2,
    ) + '\n',
  );
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.renameSync(staging, dest);
  if (copied === 0) log(`libtensorflow (${mb(total)}) hard-linked from ${source.dir} into ${dest}`);
  return copied === 0 ? 'linked' : 'copied';
}

/** What a placed libtensorflow says about itself (the marker), or null. */
function describe(dest) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dest, MARKER), 'utf8'));
  } catch {
    return null;
  }
}

module.exports = {
  TF_VERSION,
  WHEEL_LIB,
  OFFICIAL_LIB,
  FRAMEWORK,
  SetupError,
  resolveSource,
  place,
  inspectRoot,
  describe,
  cacheDir,
};

// `node scripts/setup/libtensorflow.js`: places it at deps/libtensorflow for a source build.
if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  const log = (m) => console.log(`tfcv setup: ${m}`);
  resolveSource({ log })
    .then((source) => {
      place(source, path.join(root, 'deps/libtensorflow'), { withHeaders: true, log });
      log(`libtensorflow from ${source.dir} (${source.how})`);
    })
    .catch((e) => {
      console.error(`tfcv setup: ${e.message}`);
      process.exit(1);
    });
}
