#!/usr/bin/env node
// Builds the native addon with cmake-js into build/Release/tfcv.node. Used by the install
// hook (when no prebuilt binary loads), by `npm run build:native` and by prebuildify.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
// cmake-js reads binary.napi_versions from package.json and then builds against the
// node-api-headers package, so no Node headers are downloaded.
const args = [cmakeJs, process.argv.includes('--rebuild') ? 'rebuild' : 'build', '--log-level', 'warn'];
const parallel = process.env.TFCV_BUILD_JOBS || String(require('node:os').availableParallelism());
const result = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CMAKE_BUILD_PARALLEL_LEVEL: parallel },
});
process.exit(result.status === null ? 1 : result.status);
