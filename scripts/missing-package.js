// Why a platform package is not installed, and what to do, for the loader, `tfcv setup` and
// `tfcv doctor`: another platform (no prebuilt published for it: musl, macOS, Windows, arm64),
// omitted by the install (--omit=optional), or not installable (missing from the registry, or
// the fetch failed). npm keeps no record of an omission, so the app's package-lock.json is
// read: a lockfile that resolved the package but a node_modules without it means it was
// omitted; a lockfile without it means npm could not resolve it. Messages live here only.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DOCKER_DEV =
  'docker run --rm -it -v "$PWD":/app -v tfcv-node-modules:/app/node_modules -w /app node:20-bookworm-slim sh -c "npm ci && node app.js"';

/** What works on a platform tfcv publishes no prebuilt for (`key`: platform-arch-libc). */
function otherPlatformAdvice(key) {
  const [platform, arch, libc] = key.split('-');
  if (platform === 'darwin')
    return (
      'macOS has no prebuilt (TensorFlow publishes no C library for it that tfcv is built against). ' +
      `Develop in a Linux container, with node_modules in a volume of its own so macOS never shares it: ${DOCKER_DEV}`
    );
  if (platform === 'win32') return `Windows has no prebuilt: use WSL2 (Ubuntu 22.04 or newer) or Docker: ${DOCKER_DEV}`;
  if (platform === 'linux' && libc === 'musl')
    return (
      'musl (Alpine) has no prebuilt and TensorFlow publishes no musl build: use a glibc base image ' +
      '(node:20-bookworm-slim, glibc 2.36), or build from source against a libtensorflow built for musl ' +
      '(TFCV_LIBTENSORFLOW_DIR=<dir> npx tfcv setup --build-from-source; needs cmake, a C++17 compiler, OpenCV 4).'
    );
  if (platform === 'linux')
    return (
      `linux-${arch} has no prebuilt: build from source against a libtensorflow 2.21 for ${arch} ` +
      '(TFCV_LIBTENSORFLOW_DIR=<dir> npx tfcv setup --build-from-source; needs cmake, a C++17 compiler, OpenCV 4).'
    );
  return `${key} has no prebuilt; the supported platform is linux-x64 with glibc >= 2.34 (Docker: ${DOCKER_DEV}).`;
}

/** The app's lockfile (package-lock.json or npm-shrinkwrap.json) above `root`, parsed, or null. */
function findLockfile(root) {
  let dir = path.dirname(root);
  for (let i = 0; i < 40; i++) {
    if (path.basename(dir) !== 'node_modules' && !path.basename(dir).startsWith('@')) {
      for (const name of ['npm-shrinkwrap.json', 'package-lock.json']) {
        const file = path.join(dir, name);
        try {
          return { file, lock: JSON.parse(fs.readFileSync(file, 'utf8')) };
        } catch {
          // none here (or unreadable): look further up
        }
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/**
 * { why: 'omitted' | 'not-installable' | 'unknown', reason, fix } for a platform package
 * `name` that this platform should have but node_modules lacks. `root`: tfcv's package folder.
 */
function explainMissing(name, root, version) {
  const found = findLockfile(root);
  const spec = `${name}@${version}`;
  const sourceBuild =
    'or build from source: npx tfcv setup --build-from-source (needs cmake, a C++17 compiler, OpenCV 4 and TurboJPEG headers)';
  if (found) {
    const entry = Object.entries(found.lock.packages || {}).find(([k]) => k.endsWith(`node_modules/${name}`));
    if (entry)
      return {
        why: 'omitted',
        reason: `the optional dependency ${name} is not installed although ${found.file} lists it: the install omitted optional dependencies (npm install --omit=optional, --no-optional, or omit=optional in an .npmrc / npm_config_omit)`,
        fix: `install again with them: npm install --include=optional (check: npm config get omit)`,
      };
    return {
      why: 'not-installable',
      reason: `the optional dependency ${name} is not installed and ${found.file} does not list it: npm could not install it (${spec} is not in the registry this project uses, or fetching it failed; npm skips a failed optional dependency silently)`,
      fix: `check with: npm view ${spec} version; then npm install again (npm install --foreground-scripts --loglevel verbose shows why it is skipped), ${sourceBuild}`,
    };
  }
  return {
    why: 'unknown',
    reason: `the optional dependency ${name} is not installed (omitted with --omit=optional, or npm could not fetch it: no lockfile here says which)`,
    fix: `npm install --include=optional; if it still is missing, check npm view ${spec} version, ${sourceBuild}`,
  };
}

module.exports = { otherPlatformAdvice, explainMissing, findLockfile, DOCKER_DEV };
