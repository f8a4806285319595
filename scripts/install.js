#!/usr/bin/env node
// npm's install hook (also run by `npm rebuild`): scripts/setup/setup.js does the work, the
// same steps `npx tfcv setup` repeats. With the platform package installed this only places
// libtensorflow beside the prebuilt binary; otherwise it builds from source and says why.
// `npm rebuild` of a source build recompiles it.
'use strict';
const path = require('node:path');
const { setup } = require('./setup/setup');
const { readState } = require('./resolve-binary');

const root = path.resolve(__dirname, '..');
const rebuild = process.env.npm_command === 'rebuild' && readState(root)?.kind === 'source';

setup({ root, rebuild, log: (m) => console.log(`tfcv install: ${m}`) }).catch((e) => {
  console.error(`tfcv install: ${e.message}`);
  console.error('tfcv install: after fixing the cause, run `npx tfcv setup` (no reinstall needed)');
  process.exit(1);
});
