#!/usr/bin/env node
// npm's install hook. Brings the native dependencies (system OpenCV, libtensorflow in
// deps/) and then makes sure a loadable addon exists: a prebuilt binary (prebuilds/, via
// node-gyp-build) is used as is; otherwise the addon is built with cmake-js. node-gyp-build's
// own fallback would run node-gyp, which cannot build this CMake project, so the fallback
// is wired here. TFCV_SKIP_SETUP=1 skips the dependency steps (packagers, CI images).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { resolveBinary } = require('./resolve-binary');

const root = path.resolve(__dirname, '..');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`tfcv install: '${cmd} ${args.join(' ')}' failed (exit ${r.status})`);
    process.exit(r.status || 1);
  }
}

// A binary that exists but cannot be loaded here (another glibc, a stale ABI) is rebuilt.
function loads(file) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  return r.status === 0;
}

function main() {
  if (process.env.TFCV_SKIP_SETUP !== '1') {
    run('bash', [path.join(root, 'scripts/setup/opencv.sh')]);
    run('bash', [path.join(root, 'scripts/setup/libtensorflow.sh')]);
  }
  const choice = resolveBinary(root);
  if (choice.kind !== 'build' && loads(choice.file)) {
    console.log(`tfcv install: using the ${choice.kind} binary ${path.relative(root, choice.file)}`);
    return;
  }
  console.log('tfcv install: building the native addon with cmake-js');
  run(process.execPath, [path.join(root, 'scripts/build-native.js')]);
}

main();
