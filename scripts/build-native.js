#!/usr/bin/env node
// Builds the native addon with cmake-js: the source flavour into build/Release/tfcv.node
// (`npm ci` here through "prepare", `npx tfcv setup --build-from-source`, `npm run build:native`), or with `--prebuilt <static prefix>` the
// statically linked flavour into build-prebuilt/Release/tfcv.node (scripts/prebuilt/package.js).
// A configure that failed leaves a build folder without build.ninja, on which every later
// cmake-js run fails with "ninja: error: loading 'build.ninja'": such a folder is removed
// before building, and after a failed configure, so one failure never poisons the next build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const prebuiltAt = argv.indexOf('--prebuilt');
const staticPrefix = prebuiltAt >= 0 ? argv[prebuiltAt + 1] : null;
if (prebuiltAt >= 0 && !staticPrefix) {
  console.error(
    'build-native: --prebuilt needs the static OpenCV prefix (scripts/prebuilt/build-static-opencv.sh prints it)',
  );
  process.exit(2);
}
const out = path.join(root, staticPrefix ? 'build-prebuilt' : 'build');

function configured() {
  return ['build.ninja', 'Makefile'].some((f) => fs.existsSync(path.join(out, f)));
}

if (fs.existsSync(out) && !configured()) fs.rmSync(out, { recursive: true, force: true });

// cmake-js is a devDependency: a checkout has it; an installed tfcv building from source
// (`npx tfcv setup --build-from-source`) fetches the pinned range with npm exec, so a prebuilt
// user's node_modules never holds the build toolchain.
function cmakeJsCommand() {
  try {
    return [process.execPath, require.resolve('cmake-js/bin/cmake-js', { paths: [root] })];
  } catch {
    const range = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.['cmake-js'];
    console.log(`build-native: fetching cmake-js@${range || 'latest'} (needed for a source build only) with npm exec`);
    return ['npm', 'exec', '--yes', `--package=cmake-js@${range || 'latest'}`, '--', 'cmake-js'];
  }
}
const [command, ...prefixArgs] = cmakeJsCommand();
// cmake-js reads binary.napi_versions from package.json and then builds against the
// node-api-headers package, so no Node headers are downloaded.
const args = [
  ...prefixArgs,
  argv.includes('--rebuild') ? 'rebuild' : 'build',
  '--log-level',
  'warn',
  '--out',
  path.relative(root, out),
];
if (staticPrefix) args.push(`--CDTFCV_STATIC_DEPS=${path.resolve(staticPrefix)}`);
const parallel = process.env.TFCV_BUILD_JOBS || String(require('node:os').availableParallelism());
const result = spawnSync(command, args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CMAKE_BUILD_PARALLEL_LEVEL: parallel },
});
if (result.status !== 0 && !configured()) {
  fs.rmSync(out, { recursive: true, force: true });
  console.error(`build-native: configure failed; ${path.relative(root, out)}/ removed so the next build starts clean`);
}
process.exit(result.status === null ? 1 : result.status);
