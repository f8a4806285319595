// The pip route of libtensorflow (source builds, TFCV_LIBTENSORFLOW_DIR-less repairs) with a
// stand-in `python3` whose `pip download` writes a small wheel slowly: two cold setups sharing
// one cache both finish with whole libraries (neither reads the other's half-written wheel or
// loses the extraction race), and pip is asked for the wheel's own tags, so any python3 works.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', '1']).status === 0);

describe('libtensorflow cache: two cold setups at once', () => {
  let tmp;
  before(function () {
    if (!python) throw new Error('python3 is needed to build the stand-in wheel (zipfile)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-tfcache-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('both finish with the complete libraries; pip gets --python-version/--platform/--abi', async function () {
    this.timeout(60000);
    // A stand-in wheel: the two libraries (an ELF header and 1 MiB of distinct bytes each) and the C headers.
    const wheel = path.join(tmp, 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl');
    const made = spawnSync(
      python,
      [
        '-c',
        `import zipfile, sys
elf = b"\\x7fELF\\x02\\x01" + bytes(58)  # a 64-bit ELF header with no segments: passes the structural check
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    z.writestr("tensorflow/libtensorflow_cc.so.2", elf + bytes(range(256)) * 4096)
    z.writestr("tensorflow/libtensorflow_framework.so.2", elf + bytes(reversed(range(256))) * 4096)
    z.writestr("tensorflow/include/tensorflow/c/c_api.h", "/* c api */")`,
        wheel,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    // `python3 -m pip download ... -d DIR spec`: logs its arguments, writes the wheel in two
    // halves 1.5 s apart (the window in which a second setup would see it half-written);
    // anything else (the extraction's `python3 -c`) runs the real python.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const calls = path.join(tmp, 'pip-calls.log');
    fs.writeFileSync(
      path.join(bin, 'python3'),
      `#!/bin/bash
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  [ "$3" = "--version" ] && { echo "pip 23.0 (stand-in)"; exit 0; }
  echo "$*" >> ${JSON.stringify(calls)}
  dir=""; prev=""
  for a in "$@"; do [ "$prev" = "-d" ] && dir="$a"; prev="$a"; done
  out="$dir/${path.basename(wheel)}"
  size=$(stat -c %s ${JSON.stringify(wheel)})
  head -c $((size / 2)) ${JSON.stringify(wheel)} > "$out"
  sleep 1.5
  tail -c +$((size / 2 + 1)) ${JSON.stringify(wheel)} >> "$out"
  echo "Saved $out"
  exit 0
fi
exec ${python} "$@"
`,
      { mode: 0o755 },
    );
    const cache = path.join(tmp, 'cache');
    const env = { ...process.env, TFCV_CACHE: cache, PATH: `${bin}:${process.env.PATH}` };
    delete env.TFCV_LIBTENSORFLOW_DIR;
    const script = `require(${JSON.stringify(path.join(root, 'scripts/setup/libtensorflow.js'))}).resolveSource({ log: () => {} }).then((s) => console.log(s.dir), (e) => { console.error(e.message); process.exit(1); })`;
    const runOne = () =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['-e', script], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const first = runOne();
    await new Promise((r) => setTimeout(r, 500)); // the second starts while the first's wheel is half-written
    const [a, b] = await Promise.all([first, runOne()]);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    const dir = path.join(cache, 'libtensorflow-2.21.0');
    assert.equal(a.stdout.trim(), dir);
    assert.equal(b.stdout.trim(), dir);
    const cc = fs.readFileSync(path.join(dir, 'lib/libtensorflow_cc.so.2'));
    assert.equal(cc.length, 64 + (1 << 20));
    assert.equal(require('../scripts/setup/elf-check').elfProblem(path.join(dir, 'lib/libtensorflow_cc.so.2')), null);
    assert.equal(cc[64 + 255], 255);
    assert.equal(fs.readFileSync(path.join(dir, 'lib/libtensorflow_framework.so.2'))[64], 255);
    assert.ok(fs.existsSync(path.join(dir, 'include/tensorflow/c/c_api.h')));
    // nothing half-done left behind: no temporary extraction, no private download folder
    assert.deepEqual(
      fs.readdirSync(cache).filter((n) => n !== 'libtensorflow-2.21.0' && n !== 'wheel'),
      [],
    );
    assert.deepEqual(fs.readdirSync(path.join(cache, 'wheel')), []);
    const logged = fs.readFileSync(calls, 'utf8').trim().split('\n');
    assert.ok(logged.length >= 1 && logged.length <= 2, logged.join('\n'));
    for (const line of logged) {
      assert.match(
        line,
        /--only-binary=:all: .*--python-version 3\.11 --implementation cp --abi cp311 --platform manylinux_2_27_x86_64 /,
      );
      assert.match(line, / tensorflow-cpu==2\.21\.0$/);
    }
  });
});
