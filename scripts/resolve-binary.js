// Which native binary to load, shared by the runtime loader (lib/native.ts) and the install
// hook: a prebuilt binary first (prebuildify layout: prebuilds/<platform>-<arch>/*.node,
// Node-API builds tagged "napi"), then whatever node-gyp-build resolves (the local
// build/Release, or other prebuild flavours). node-gyp-build alone would prefer a local
// build over a prebuild, so the prebuild lookup comes first here.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function isMusl() {
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  return !!report && !report.header?.glibcVersionRuntime;
}

/** The prebuild for this platform, or null. Files carry dot-separated tags: tfcv.napi.node, node.napi.glibc.node. */
function findPrebuild(dir) {
  const folder = path.join(dir, 'prebuilds', `${process.platform}-${process.arch}`);
  let files;
  try {
    files = fs.readdirSync(folder).filter((f) => f.endsWith('.node'));
  } catch {
    return null;
  }
  const libc = isMusl() ? 'musl' : 'glibc';
  const usable = files.filter((f) => {
    const tags = f.split('.').slice(0, -1);
    const otherLibc = tags.includes('musl') || tags.includes('glibc') ? tags.includes(libc) : true;
    return otherLibc && !tags.includes('electron');
  });
  // Prefer an explicit Node-API build.
  usable.sort((a, b) => Number(b.includes('.napi.')) - Number(a.includes('.napi.')));
  return usable.length ? path.join(folder, usable[0]) : null;
}

/** { kind: 'prebuilt' | 'local' | 'build', file } — 'build' means nothing loadable exists yet. */
function resolveBinary(dir) {
  const prebuild = findPrebuild(dir);
  if (prebuild) return { kind: 'prebuilt', file: prebuild };
  let file;
  try {
    file = require('node-gyp-build').path(dir);
  } catch {
    return { kind: 'build', file: null };
  }
  return { kind: file.split(path.sep).includes('prebuilds') ? 'prebuilt' : 'local', file };
}

module.exports = { resolveBinary, findPrebuild };
