// The command's advice (issue 21): `tfcv evaluate --mask-mode ids` hands the mode to the
// metrics too, so a mask that is not class ids fails with a message about ids in the
// command's flags (was: "masks 'auto' ... pass masks: 'ids'", the flag just given), and a
// 0/255 mask under --mask-mode ids is no longer silently read as binary; `tfcv doctor`
// warns about glibc's default malloc arenas unless MALLOC_ARENA_MAX is set.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { tfcv } = require('./helpers');
const { runCli } = require('../dist/cli/run_cli');

const ROOT = path.join(__dirname, '..');
const SEGNET = path.join(__dirname, 'fixtures/models/segnet');

async function cli(args, cwd) {
  const out = [];
  const err = [];
  const code = await runCli(args, {
    stdout: { write: (s) => (out.push(String(s)), true) },
    stderr: { write: (s) => (err.push(String(s)), true) },
    cwd,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('tfcv command advice (issue 21)', () => {
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-ids-'));
    fs.mkdirSync(path.join(dir, 'images'));
    fs.mkdirSync(path.join(dir, 'masks7'));
    fs.mkdirSync(path.join(dir, 'masks255'));
    const image = tfcv.Mat.zeros(64, 64, { channels: 3 });
    fs.writeFileSync(path.join(dir, 'images/a.png'), image.encodeSync('png'));
    for (const value of [7, 255]) {
      const mask = tfcv.Mat.zeros(64, 64);
      mask.rectangle({ x: 10, y: 10, width: 20, height: 20 }, [value], { thickness: 'filled' });
      fs.writeFileSync(path.join(dir, `masks${value}/a.png`), mask.encodeSync('png'));
      mask.dispose();
    }
    image.dispose();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const evaluate = (masks, mode) =>
    cli(
      ['evaluate', '--model', SEGNET, '--images', path.join(dir, 'images'), '--masks', path.join(dir, masks)].concat([
        '--mask-mode',
        mode,
        '--metrics',
        'mean-iou',
        '--no-progress',
      ]),
      dir,
    );

  it("--mask-mode ids with a mask of values 0 / 7 fails naming class ids and the flags, not masks 'auto'", async () => {
    const r = await evaluate('masks7', 'ids');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /class id 7 .* outside 0\.\.1 \(--num-classes 2\)/);
    assert.doesNotMatch(r.stderr, /'auto'|masks: 'ids'/);
  });

  it('--mask-mode ids reads a 0/255 mask as ids (255 is out of range), --mask-mode binary / auto as binary', async () => {
    const ids = await evaluate('masks255', 'ids');
    assert.equal(ids.code, 1);
    assert.match(ids.stderr, /class id 255 .*--mask-mode binary/);
    for (const mode of ['binary', 'auto']) {
      const r = await evaluate('masks255', mode);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /mean-iou/);
    }
  });

  it('tfcv doctor warns about default glibc arenas, and not when MALLOC_ARENA_MAX is set', () => {
    const bin = path.join(ROOT, 'dist/cli/tfcv.js');
    const env = { ...process.env };
    delete env.MALLOC_ARENA_MAX;
    const plain = spawnSync(process.execPath, [bin, 'doctor'], { cwd: ROOT, encoding: 'utf8', env });
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /malloc:\s+glibc, default arenas/);
    assert.match(plain.stderr, /warning: MALLOC_ARENA_MAX is not set.*MALLOC_ARENA_MAX=2/);
    const capped = spawnSync(process.execPath, [bin, 'doctor'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, MALLOC_ARENA_MAX: '2' },
    });
    assert.equal(capped.status, 0, capped.stderr);
    assert.match(capped.stdout, /malloc:\s+glibc, MALLOC_ARENA_MAX=2/);
    assert.doesNotMatch(capped.stderr, /warning/);
  });
});
