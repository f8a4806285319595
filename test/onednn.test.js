// versions().onednn and `tfcv doctor` say whether TensorFlow runs its oneDNN kernels: the
// report agrees with TensorFlow's own word (its "oneDNN custom operations are on" line, printed
// while the library loads) for the environment variable unset, off, on and ignored; and the
// CPU rule is TensorFlow's (AVX512_VNNI / AVX512_BF16 / AVX_VNNI / AMX turn it on by default).
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { oneDnnFor, readCpuFlags, describeOneDnn } = require('../dist/onednn');

const root = path.resolve(__dirname, '..');

function childReport(setting) {
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '0' };
  if (setting === undefined) delete env.TF_ENABLE_ONEDNN_OPTS;
  else env.TF_ENABLE_ONEDNN_OPTS = setting;
  const r = spawnSync(
    process.execPath,
    ['-e', `console.log(JSON.stringify(require(${JSON.stringify(root)}).versions().onednn))`],
    { env, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return { reported: JSON.parse(r.stdout), tensorflowSaysOn: /oneDNN custom operations are on/.test(r.stderr) };
}

describe('oneDNN report', () => {
  for (const setting of [undefined, '0', '1', 'TRUE', 'maybe']) {
    it(`agrees with TensorFlow's own log with TF_ENABLE_ONEDNN_OPTS ${setting === undefined ? 'unset' : `= '${setting}'`}`, () => {
      const { reported, tensorflowSaysOn } = childReport(setting);
      assert.equal(reported.enabled, tensorflowSaysOn, JSON.stringify(reported));
      if (setting === '0') assert.equal(reported.enabled, false);
      if (setting === '1' || setting === 'TRUE') assert.equal(reported.enabled, true);
      if (setting === 'maybe') assert.match(reported.note, /TensorFlow ignores it/);
      assert.equal(reported.source, setting === undefined || setting === 'maybe' ? 'cpu' : 'TF_ENABLE_ONEDNN_OPTS');
    });
  }

  it("follows TensorFlow's CPU rule: on with AVX512_VNNI, BF16, AVX_VNNI or AMX; off on AVX2 alone", () => {
    const avx2 = readCpuFlags('processor : 0\nflags\t\t: fpu sse2 avx avx2 fma\n');
    assert.equal(oneDnnFor({}, avx2).enabled, false);
    for (const flag of ['avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_int8', 'amx_bf16']) {
      const cpu = readCpuFlags(`flags\t: avx2 ${flag}\n`);
      assert.equal(oneDnnFor({}, cpu).enabled, process.platform === 'linux', flag);
      assert.deepEqual(oneDnnFor({}, cpu).cpuFlags, [flag]);
      assert.equal(oneDnnFor({ TF_ENABLE_ONEDNN_OPTS: 'false' }, cpu).enabled, false);
    }
    assert.equal(oneDnnFor({ TF_ENABLE_ONEDNN_OPTS: 'true' }, avx2).enabled, true);
    assert.deepEqual(readCpuFlags(''), new Set());
  });

  it('doctor says on or off, why and how to change it', () => {
    const on = describeOneDnn(oneDnnFor({}, readCpuFlags('flags : avx512_vnni\n')));
    assert.match(on, /^on \(TensorFlow's default on a CPU with avx512_vnni\); set TF_ENABLE_ONEDNN_OPTS=0/);
    const off = describeOneDnn(oneDnnFor({ TF_ENABLE_ONEDNN_OPTS: '0' }, readCpuFlags('flags : avx512_vnni\n')));
    assert.match(off, /^off \(TF_ENABLE_ONEDNN_OPTS=0\); set TF_ENABLE_ONEDNN_OPTS=1/);
    const r = spawnSync(process.execPath, [path.join(root, 'dist/cli/tfcv.js'), 'doctor'], {
      encoding: 'utf8',
      env: { ...process.env, TF_ENABLE_ONEDNN_OPTS: '0' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^oneDNN: +off \(TF_ENABLE_ONEDNN_OPTS=0\)/m);
  });
});
