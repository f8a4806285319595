#!/usr/bin/env node
// Lint step: binding/ is layered and a file may include only its own folder or the layers
// below it. The order is written down here, once; docs/design.md ("Layers") and the README's development
// section describe the same order. Exits 1 and names every upward (or sideways) include.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Folder of binding/ -> its layer. Folders on one level must not include each other. */
const LAYERS = {
  common: 0,
  workers: 1,
  tf: 2,
  cv: 2,
  bridge: 3,
  metrics: 4,
  detection: 4,
  evaluate: 5,
  demo: 5,
  '.': 6, // addon.cc registers everything
};

const root = path.resolve(__dirname, '..', 'binding');

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (/\.(cc|h)$/.test(entry.name)) yield full;
  }
}

function folderOf(relative) {
  const parts = relative.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : '.';
}

const problems = [];
for (const file of sources(root)) {
  const rel = path.relative(root, file);
  const from = folderOf(rel);
  if (!(from in LAYERS)) {
    problems.push(`${rel}: folder '${from}' has no layer in tools/check-layers.js`);
    continue;
  }
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    const m = /^\s*#\s*include\s+"([^"]+)"/.exec(line);
    if (!m) return;
    const to = folderOf(m[1]);
    if (to === from) return;
    if (!(to in LAYERS)) {
      problems.push(`binding/${rel}:${index + 1}: includes "${m[1]}" from unknown folder '${to}'`);
    } else if (LAYERS[to] >= LAYERS[from]) {
      const how = LAYERS[to] === LAYERS[from] ? 'sideways' : 'upward';
      problems.push(
        `binding/${rel}:${index + 1}: includes "${m[1]}" ${how} (${from} is layer ${LAYERS[from]}, ${to} is layer ${LAYERS[to]})`,
      );
    }
  });
}

if (problems.length) {
  console.error(`check-layers: ${problems.length} include(s) against the layer order\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-layers: every include in binding/ runs downwards');
