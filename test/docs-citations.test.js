// The repository's comments and docs cite only files inside it: a design note a comment
// points to lives in docs/ (docs/design.md), and every docs/ page cited exists. A reader of
// the repository (or of the installed package) can follow every reference.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

function trackedTextFiles() {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  return out
    .split('\0')
    .filter(
      (f) =>
        f &&
        !f.startsWith('test/fixtures/') &&
        /\.(ts|js|mjs|cc|h|md|txt|sh|py|json|yaml|yml)$|CMakeLists\.txt$/.test(f),
    )
    .filter((f) => f !== 'package-lock.json' && fs.existsSync(path.join(root, f)));
}

describe('docs citations', () => {
  const files = trackedTextFiles();

  it('no file cites a design note that is not in the repository (DESIGN.md, STYLE.md)', () => {
    const outside = [];
    for (const file of files.filter((f) => f !== 'test/docs-citations.test.js')) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      text.split('\n').forEach((line, i) => {
        if (/(^|[^\w/.-])(DESIGN|STYLE)\.md/.test(line)) outside.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(outside, [], 'cite docs/design.md instead');
  });

  it('every docs/ page cited exists', () => {
    assert.ok(files.length > 100, `read ${files.length} files`);
    const missing = new Set();
    for (const file of files) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const m of text.matchAll(/(?<![\w/.-])docs\/([\w.-]+\.md)/g)) {
        if (!fs.existsSync(path.join(root, 'docs', m[1]))) missing.add(`${file}: docs/${m[1]}`);
      }
    }
    assert.deepEqual([...missing], []);
  });
});
