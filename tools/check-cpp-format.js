#!/usr/bin/env node
// Lint step: the C++ of binding/, loader/ and bench/native/ is formatted by clang-format (.clang-format
// at the root). `--fix` rewrites the files instead of checking them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const fix = process.argv.includes('--fix');

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'build') yield* sources(full);
    } else if (/\.(cc|cpp|h|hpp)$/.test(entry.name)) {
      yield full;
    }
  }
}

const files = ['binding', 'loader', path.join('bench', 'native')].flatMap((dir) => [...sources(path.join(root, dir))]);
const args = fix ? ['-i', ...files] : ['--dry-run', '--Werror', ...files];
const result = spawnSync('clang-format', args, { stdio: 'inherit' });
if (result.error) {
  console.error(
    `check-cpp-format: clang-format could not run (${result.error.code}); install it with scripts/setup/lint-tools.sh`,
  );
  process.exit(1);
}
if (result.status !== 0) {
  console.error('check-cpp-format: run `npm run lint:fix` to format the files above');
  process.exit(1);
}
console.log(`check-cpp-format: ${files.length} files ${fix ? 'formatted' : 'formatted as .clang-format says'}`);
