#!/usr/bin/env node
// `npm run test:other-onednn`: the whole mocha suite again with TensorFlow's oneDNN kernels
// switched the other way from this CPU's default (TF_ENABLE_ONEDNN_OPTS=0 on a CPU where
// TensorFlow turns them on, =1 elsewhere), so the tests' numerics hold under both settings on
// any machine. .ci/run runs it after `npm test`. Extra arguments go to mocha.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { oneDnnFor, readCpuFlags } = require('../dist/onednn');

const root = path.resolve(__dirname, '..');
const byDefault = oneDnnFor({}, readCpuFlags()).enabled;
const setting = byDefault ? '0' : '1';
console.log(
  `tfcv: oneDNN is ${byDefault ? 'on' : 'off'} by default on this CPU; running the suite with TF_ENABLE_ONEDNN_OPTS=${setting}`,
);
const r = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: setting },
});
process.exit(r.status ?? 1);
