#!/usr/bin/env node
// The "prepare" script of this repository: what `npm ci` / `npm install` in a checkout (or a
// git dependency) runs after installing dependencies — the source build (system OpenCV,
// libtensorflow from the cache / pip, cmake-js; scripts/setup/setup.js) and the TypeScript
// compile. "prepare" never runs when a registry tarball is installed as a dependency, and
// `npm run package` drops it from the packed manifest, so the published tfcv has no
// lifecycle script at all: its binary and libtensorflow arrive as platform packages.
// `npm rebuild` of a source build recompiles it from a clean build folder.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { setup } = require('./setup/setup');

const root = path.resolve(__dirname, '..');
const rebuild = process.env.npm_command === 'rebuild';
const log = (m) => console.log(`tfcv prepare: ${m}`);

setup({ root, rebuild, forceSource: true, log, sourceWhy: 'this is a checkout (npm ci / npm install here)' })
  .then(() => {
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status})`);
  })
  .catch((e) => {
    console.error(`tfcv prepare: ${e.message}`);
    console.error(
      'tfcv prepare: fix the cause above, then run: npm run prepare (or npx tfcv setup --build-from-source)',
    );
    process.exit(1);
  });
