// The README runs as written: every ```js block of README.md runs as its own CommonJS program
// in a child process, from the repository root, with require('tfcv') resolving to this
// repository (a node_modules/tfcv link in a temporary directory, also on NODE_PATH), and must
// exit 0 within the time limit. Every ```ts block is type-checked against the generated
// typings (dist/*.d.ts) in one tsc run. Failures name the block by its README line.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const BLOCK_TIMEOUT_MS = 90_000; // a loaded 2-core machine; blocks themselves take a few seconds

/** Fenced code blocks of a Markdown text: { lang, line (1-based, of the opening fence), code }. */
function codeBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  let open = null;
  lines.forEach((line, i) => {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (open === null) {
      if (fence)
        open = { indent: fence[1].length, fence: fence[2], lang: fence[3].toLowerCase(), line: i + 1, body: [] };
    } else if (fence && fence[2].startsWith(open.fence) && line.trim() === fence[2]) {
      blocks.push({ lang: open.lang, line: open.line, code: open.body.join('\n') + '\n' });
      open = null;
    } else {
      open.body.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
    }
  });
  if (open !== null) throw new Error(`README.md line ${open.line}: a code block is never closed`);
  return blocks;
}

function runBlock(file, timeoutMs, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// TensorFlow's one-time banner on stderr is noise in a failure message.
const clean = (s) =>
  s
    .split('\n')
    .filter((l) => !/^(WARNING: All log messages before absl|I0000 )/.test(l))
    .join('\n')
    .trim();

describe('README.md runs as written', function () {
  const blocks = codeBlocks(fs.readFileSync(README, 'utf8'));
  const js = blocks.filter((b) => b.lang === 'js' || b.lang === 'javascript' || b.lang === 'cjs');
  const ts = blocks.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
  let dir;
  let env;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-readme-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'tfcv'), 'dir');
    env = { ...process.env, NODE_PATH: path.join(dir, 'node_modules') };
    delete env.NODE_OPTIONS; // blocks run as a user runs them (mocha's --expose-gc is not theirs)
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has JavaScript blocks to run', () => {
    assert.ok(js.length >= 5, `expected the README's examples, found ${js.length} js blocks`);
  });

  for (const block of js) {
    it(`the js block at README.md line ${block.line} runs and exits 0`, async function () {
      this.timeout(BLOCK_TIMEOUT_MS + 10_000);
      assert.doesNotMatch(
        block.code,
        /^\s*import\s.+from\s/m,
        `README.md line ${block.line}: js blocks are CommonJS (require), not ES modules`,
      );
      const file = path.join(dir, `readme-line-${block.line}.js`);
      fs.writeFileSync(file, block.code);
      const r = await runBlock(file, BLOCK_TIMEOUT_MS, env);
      const how =
        r.signal === 'SIGKILL'
          ? `did not finish within ${BLOCK_TIMEOUT_MS / 1000} s`
          : `exited with ${r.code ?? r.signal}`;
      assert.equal(
        r.code,
        0,
        `README.md line ${block.line} (js block): ${how}\n--- stderr ---\n${clean(r.stderr)}\n--- stdout ---\n${r.stdout.trim()}`,
      );
    });
  }

  if (ts.length > 0) {
    it(`the ${ts.length} ts block(s) type-check against dist/*.d.ts`, function () {
      this.timeout(120_000);
      const files = ts.map((b) => {
        const file = path.join(dir, `readme-line-${b.line}.ts`);
        // Each block is its own module, so names do not clash between blocks.
        fs.writeFileSync(file, `${b.code}\nexport {};\n`);
        return file;
      });
      const tsconfig = path.join(dir, 'tsconfig.json');
      fs.writeFileSync(
        tsconfig,
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'commonjs',
            strict: true,
            noEmit: true,
            types: ['node'],
            typeRoots: [path.join(ROOT, 'node_modules/@types')],
            skipLibCheck: true,
          },
          files,
        }),
      );
      const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
        encoding: 'utf8',
      });
      const out = (r.stdout + r.stderr).replace(
        /[^\s(]*readme-line-(\d+)\.ts\((\d+),(\d+)\)/g,
        (_, start, l, c) => `README.md line ${Number(start) + Number(l)} (ts block at line ${start}, col ${c})`,
      );
      assert.equal(r.status, 0, out);
    });
  }
});

module.exports = { codeBlocks };
