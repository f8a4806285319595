// Helpers of the serving tests: model versions made by hard-linking fixture SavedModels into
// temporary base paths (fast, no copies), and a `tfcv serve` child process that is always
// reaped.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const MODELS = path.join(__dirname, 'fixtures', 'models');
const SERVING = path.join(__dirname, 'fixtures', 'serving');

/** Hard-links (copies when linking fails) the files of `src` into `dst`. */
function linkTree(src, dst) {
  fs.mkdirSync(dst, { recursive: true });
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    const to = path.join(dst, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else {
      try {
        fs.linkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
      }
    }
  }
}

/** `<base>/<version>/` from a fixture model (by name); a version appears atomically (renamed into place). */
function addVersion(base, version, fixture = 'cnn_keras', { warmup } = {}) {
  const staging = path.join(base, `.staging-${version}-${process.pid}`);
  linkTree(path.join(MODELS, fixture), staging);
  if (warmup) {
    fs.mkdirSync(path.join(staging, 'assets.extra'), { recursive: true });
    fs.copyFileSync(warmup, path.join(staging, 'assets.extra', 'tf_serving_warmup_requests'));
  }
  fs.renameSync(staging, path.join(base, String(version)));
  return path.join(base, String(version));
}

/** A version directory that is not a loadable SavedModel. */
function addBrokenVersion(base, version) {
  const dir = path.join(base, String(version));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), Buffer.from('this is not a SavedModel'));
  return dir;
}

function tempBase(prefix = 'tfcv-serving-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts `tfcv serve` with `args` on a free port; resolves once it printed the `ready` event
 * with { port, events, stop() }. stop() sends SIGTERM and waits for the exit (SIGKILL after 15 s).
 */
function startServe(args, { readyTimeoutMs = 90_000 } = {}) {
  const bin = path.join(__dirname, '..', 'dist', 'cli', 'tfcv.js');
  const child = spawn(process.execPath, [bin, 'serve', '--rest_api_port=0', '--rest_api_host=127.0.0.1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events = [];
  let stderr = '';
  let port = null;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop().then(() => reject(new Error(`tfcv serve not ready in ${readyTimeoutMs} ms: ${stderr}`)));
    }, readyTimeoutMs);
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let event;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        events.push(event);
        if (event.event === 'listening') port = event.port;
        if (event.event === 'ready' || event.event === 'not-ready') {
          clearTimeout(timer);
          resolve({ port, events, stop, child, stderr: () => stderr });
        }
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`tfcv serve exited with ${code}: ${stderr}`));
    });
  });
}

module.exports = { MODELS, SERVING, linkTree, addVersion, addBrokenVersion, tempBase, startServe };
