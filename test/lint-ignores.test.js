// Build output anywhere in the tree is outside lint: a benchmark's CMake build folder holds
// compiler_depend.ts files that are not TypeScript, and `npm run lint` after `npm run bench`
// must stay clean. eslint and prettier both take the list from .gitignore.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const BUILD_OUTPUT = [
  'bench/native/runtime/build/CMakeFiles/tfcv_bench.dir/compiler_depend.ts',
  'bench/native/nms/build/CMakeFiles/x/helper.js',
  'build/Release/obj/whatever.ts',
  'build-asan/CMakeFiles/a.ts',
  'build-prebuilt/x.js',
  'deps/libtensorflow/include/x.ts',
  'dist/index.js',
];
const SOURCES = ['lib/index.ts', 'test/helpers.js', 'bench/run.js', 'eslint.config.mjs'];

describe('lint ignores', () => {
  it('eslint ignores build output anywhere and still lints the sources', async () => {
    const { ESLint } = require('eslint');
    const eslint = new ESLint({ cwd: root });
    for (const file of BUILD_OUTPUT) assert.equal(await eslint.isPathIgnored(file), true, file);
    for (const file of SOURCES) assert.equal(await eslint.isPathIgnored(file), false, file);
  });

  it('prettier ignores build output anywhere and still checks the sources', async () => {
    const prettier = await import('prettier');
    const ignorePath = [path.join(root, '.gitignore'), path.join(root, '.prettierignore')];
    for (const file of BUILD_OUTPUT) {
      const info = await prettier.getFileInfo(path.join(root, file), { ignorePath });
      assert.equal(info.ignored, true, file);
    }
    for (const file of SOURCES) {
      const info = await prettier.getFileInfo(path.join(root, file), { ignorePath });
      assert.equal(info.ignored, false, file);
    }
  });
});
