#!/usr/bin/env node
// `npm run package`: writes to pack/ the tarballs a registry would receive — the main package
// (tfcv-<v>.tgz, whose manifest lists the platform package as an optionalDependency) and the
// linux-x64 platform package (tfcv-linux-x64-gnu-<v>.tgz: tfcv.node with OpenCV and its codecs
// linked statically). The static OpenCV is built once into the cache
// (scripts/prebuilt/build-static-opencv.sh); the prebuilt addon is compiled into
// build-prebuilt/ and staged in npm/linux-x64-gnu/ (tfcv.node, tfcv_core.node), beside a hard-linked libtensorflow, so
// `TFCV_BINARY=prebuilt npm test` runs the suite against it in this checkout.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '../..');
const platformDir = path.join(root, 'npm', 'linux-x64-gnu');
const outDir = path.resolve(process.env.TFCV_PACK_DIR || path.join(root, 'pack'));
const log = (m) => console.log(`tfcv package: ${m}`);

/** Dynamic dependencies the prebuilt binary may have: glibc, libstdc++/libgcc, libtensorflow. */
const ALLOWED_NEEDED =
  /^(libc|libm|libdl|libpthread|librt|ld-linux-x86-64|libstdc\+\+|libgcc_s|libtensorflow_cc|libtensorflow_framework)\.so/;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    process.stdout.write(r.stdout || '');
    throw new Error(`'${cmd} ${args.join(' ')}' failed (exit ${r.status})`);
  }
  return r.stdout || '';
}

function needed(file) {
  return execFileSync('readelf', ['-d', file], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /\(NEEDED\).*\[(.+)\]/.exec(l)?.[1])
    .filter(Boolean);
}

function mb(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error('the platform package is built on linux-x64');
  const started = Date.now();
  const mainPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const platformPkgFile = path.join(platformDir, 'package.json');
  const platformPkg = JSON.parse(fs.readFileSync(platformPkgFile, 'utf8'));

  log('static OpenCV 4.6 + codecs (built once, cached)');
  const prefix = run('bash', [path.join(__dirname, 'build-static-opencv.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop();

  log('libtensorflow headers and libraries for linking (deps/libtensorflow)');
  run(process.execPath, [path.join(root, 'scripts/setup/libtensorflow.js')], { stdio: 'inherit' });

  log(`compiling the prebuilt addon against ${prefix}`);
  run(process.execPath, [path.join(root, 'scripts/build-native.js'), '--prebuilt', prefix], { stdio: 'inherit' });
  for (const name of ['tfcv.node', 'tfcv_core.node']) {
    const staged = path.join(platformDir, name);
    fs.copyFileSync(path.join(root, 'build-prebuilt', 'Release', name), staged);
    run('strip', ['--strip-unneeded', staged]);
    const deps = needed(staged);
    const foreign = deps.filter((d) => !ALLOWED_NEEDED.test(d));
    if (foreign.length)
      throw new Error(
        `${staged} needs ${foreign.join(', ')}: only glibc, libstdc++/libgcc and libtensorflow are allowed`,
      );
    log(`${name} ${mb(fs.statSync(staged).size)}, needs: ${deps.join(' ')}`);
  }

  // The platform package carries the main package's version; the main manifest names it.
  platformPkg.version = mainPkg.version;
  fs.writeFileSync(platformPkgFile, JSON.stringify(platformPkg, null, 2) + '\n');

  // Beside the staged binary for TFCV_BINARY=prebuilt in this checkout (not in the tarball:
  // its "files" lists tfcv.node only).
  run(
    process.execPath,
    [
      '-e',
      `
    const tf = require(${JSON.stringify(path.join(root, 'scripts/setup/libtensorflow.js'))});
    tf.resolveSource({ log: () => {} }).then((s) => tf.place(s, ${JSON.stringify(path.join(platformDir, 'libtensorflow'))}, {}));
  `,
    ],
    { stdio: 'inherit' },
  );

  fs.mkdirSync(outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-pack-'));
  try {
    // The main package as npm packs it (runs "prepare": tsc), then its manifest gains the
    // optionalDependency. It is not in package.json itself: npm ci would fail on a platform
    // package the registry does not have yet.
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', staging]));
    run('tar', ['-xzf', path.join(staging, packed.filename), '-C', staging]);
    const manifestFile = path.join(staging, 'package', 'package.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.optionalDependencies = { ...manifest.optionalDependencies, [platformPkg.name]: mainPkg.version };
    // "prepare" compiles the TypeScript of a checkout; a tarball carries dist/ already.
    delete manifest.scripts.prepare;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
    const [mainOut] = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], {
        cwd: path.join(staging, 'package'),
      }),
    );
    const [platformOut] = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], { cwd: platformDir }),
    );
    for (const p of [mainOut, platformOut]) {
      log(
        `${path.join(outDir, p.filename)}: ${mb(p.size)} packed, ${mb(p.unpackedSize)} unpacked, ${p.entryCount} files`,
      );
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

try {
  main();
} catch (e) {
  console.error(`tfcv package: ${e.message}`);
  process.exit(1);
}
