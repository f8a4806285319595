#!/usr/bin/env node
// Stand-in for node-gyp when prebuildify runs (`npm run prebuild`): prebuildify 6 only
// drives node-gyp, but accepts a script through --node-gyp. Whatever node-gyp arguments it
// passes, this builds with cmake-js into build/Release, where prebuildify picks it up.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const r = spawnSync(process.execPath, [path.join(__dirname, 'build-native.js'), '--rebuild'], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
});
process.exit(r.status === null ? 1 : r.status);
