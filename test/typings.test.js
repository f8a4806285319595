// The published typings compile against realistic usage and reject wrong literals
// (test/typings/usage.ts, checked with the project's TypeScript at target ES2015, the oldest
// docs/install.md states: the declarations' `#private` fields need it).
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

describe('typings', () => {
  it('dist/*.d.ts type-check user code and reject bad option literals', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'typings/tsconfig.json')], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
