// The tfcv command. In-process (runCli with captured streams, fast): `evaluate` end to end on
// the reference set with its JSON checked against the Python values, shards merged equal to
// one run, the progress bar, the report, `demo`, and every error path with its exit code and
// message. As real processes: `tfcv demo` (the README's first command) and exit codes.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { runCli } = require('../dist/cli/run_cli');

const ROOT = path.join(__dirname, '..');
const REF = path.join(__dirname, 'fixtures/reference/metrics');
const SEGNET = path.join(__dirname, 'fixtures/models/segnet');
const ref = JSON.parse(fs.readFileSync(path.join(REF, 'values.json'), 'utf8'));
const BIN = path.join(ROOT, 'dist/cli/tfcv.js');

function capture(isTTY = false) {
  const chunks = [];
  return {
    chunks,
    stream: { write: (s) => (chunks.push(String(s)), true), isTTY, columns: 100 },
    text: () => chunks.join(''),
  };
}

/** Runs the command in-process: { code, stdout, stderr }. */
async function tfcv(args, { cwd = ROOT, tty = false } = {}) {
  const out = capture();
  const err = capture(tty);
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, cwd });
  return { code, stdout: out.text(), stderr: err.text() };
}

const evaluateArgs = (extra = []) => [
  'evaluate',
  '--model',
  SEGNET,
  '--images',
  path.join(REF, 'images'),
  '--masks',
  path.join(REF, 'masks'),
  '--no-progress',
  ...extra,
];
const near = (a, b, label) =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b) || Math.abs(a - b) <= 1e-12, `${label}: ${a} vs ${b}`);

describe('tfcv command', () => {
  const dirs = [];
  const scratch = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-cli-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('evaluate', () => {
    let full;
    before(async () => {
      full = path.join(scratch(), 'full.json');
      const r = await tfcv(evaluateArgs(['--json', full, '--batch-size', '7']));
      assert.equal(r.code, 0, r.stderr);
      full = JSON.parse(fs.readFileSync(full, 'utf8'));
    });

    it('on the reference set: the JSON holds the Python reference values, states and per-image values', () => {
      assert.equal(full.command, 'evaluate');
      assert.equal(full.count, 24);
      assert.equal(full.output, 'foreground');
      assert.deepEqual(Object.keys(full.results), [
        'mean-iou',
        'iou',
        'dice',
        'pixel-accuracy',
        'precision',
        'recall',
        'circularity',
      ]);
      near(full.results['mean-iou'].value, ref.binary.keras_mean_iou, 'mean-iou');
      full.results.iou.perClass.forEach((x, c) => near(x, ref.binary.keras_iou_per_class[c], `iou ${c}`));
      full.results.dice.perClass.forEach((x, c) => near(x, ref.binary.dice_per_class[c], `dice ${c}`));
      near(full.results['pixel-accuracy'].value, ref.binary.pixel_accuracy, 'pixel-accuracy');
      near(full.results.precision.value, ref.binary.keras_precision, 'precision');
      near(full.results.recall.value, ref.binary.keras_recall, 'recall');
      near(full.results.circularity.value, ref.circularity.probabilities.mean, 'circularity');
      assert.deepEqual(full.states['mean-iou'].state.matrix, ref.binary.confusion_matrix);
      assert.deepEqual(
        full.perImage.map((p) => p.file),
        ref.files,
      );
      full.perImage.forEach((p, i) =>
        near(p.values.circularity, ref.circularity.probabilities.per_image[i], `circularity ${p.file}`),
      );
      assert.deepEqual(full.skipped, []);
      assert.deepEqual(full.shards, []);
      assert.ok(full.timing.imagesPerSecond > 0);
    });

    it('prints a results table and the time per stage', async () => {
      const r = await tfcv(evaluateArgs(['--metrics', 'mean-iou,circularity']));
      assert.equal(r.code, 0);
      assert.match(r.stdout, /24 images evaluated with .*segnet \(output 'foreground'\)/);
      assert.match(r.stdout, /^mean-iou +0\.8959 +per class: 0\.9741 0\.8178$/m);
      assert.match(
        r.stdout,
        /^circularity +0\.6428 +24\/24 images counted, 1 without a contour \(emptyPolicy zero\)$/m,
      );
      assert.match(
        r.stdout,
        /images\/s; busy time per stage: decode \d+ ms, preprocess \d+ ms, run \d+ ms, metrics \d+ ms/,
      );
    });

    it('--shard 1/3, 2/3, 3/3 merged with tfcv merge equal the single run', async () => {
      const dir = scratch();
      const files = [];
      for (const i of [1, 2, 3]) {
        const file = path.join(dir, `shard${i}.json`);
        const r = await tfcv(evaluateArgs(['--shard', `${i}/3`, '--json', file]));
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`evaluated \\(shard ${i}/3 of 24 images\\)`));
        files.push(file);
      }
      const merged = path.join(dir, 'merged.json');
      const r = await tfcv(['merge', files[2], files[0], files[1], '--json', merged]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^24 images from 3 files/);
      const m = JSON.parse(fs.readFileSync(merged, 'utf8'));
      assert.equal(m.count, 24);
      assert.deepEqual(
        m.shards,
        [1, 2, 3].map((index) => ({ index, count: 3 })),
      );
      assert.deepEqual(m.perImage, full.perImage);
      for (const [name, result] of Object.entries(full.results)) {
        for (const [key, value] of Object.entries(result)) {
          const got = m.results[name][key];
          if (typeof value === 'number') near(got, value, `${name}.${key}`);
          else assert.deepEqual(got, value, `${name}.${key}`);
        }
        if (name !== 'circularity')
          assert.deepEqual(m.states[name], full.states[name], `${name}: counts merge exactly`);
      }
      // A merged file merges again.
      assert.equal((await tfcv(['merge', merged])).code, 0);
    });

    it('shows a progress bar with rate and ETA on a terminal', async () => {
      const r = await tfcv(
        [
          'evaluate',
          '--model',
          SEGNET,
          '--images',
          path.join(REF, 'images'),
          '--metrics',
          'circularity',
          '--batch-size',
          '4',
        ],
        { tty: true },
      );
      assert.equal(r.code, 0);
      assert.match(r.stderr, /24\/24 images \| [\d.]+ img\/s \| ETA /);
      assert.match(r.stderr, /100%/);
    });

    it('--report writes an HTML page with one overlay PNG per image, worst mean IoU first', async () => {
      const dir = scratch();
      const r = await tfcv(evaluateArgs(['--report', dir, '--metrics', 'mean-iou,circularity']));
      assert.equal(r.code, 0, r.stderr);
      const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
      const pngs = fs.readdirSync(path.join(dir, 'images'));
      assert.equal(pngs.length, 24);
      assert.ok(
        pngs.every(
          (f) =>
            fs
              .readFileSync(path.join(dir, 'images', f))
              .subarray(1, 4)
              .toString() === 'PNG',
        ),
      );
      assert.match(html, /<img src="images\/\d+\.png" alt="0\d\d\.png">/);
      assert.match(html, /sorted by mean-iou, lowest first/);
    });

    it('with --keep-going, an unreadable image and an image without a mask are listed and skipped (exit 0)', async () => {
      const dir = scratch();
      fs.mkdirSync(path.join(dir, 'images'));
      fs.mkdirSync(path.join(dir, 'masks'));
      for (const f of ['000.png', '001.png', '002.png']) {
        fs.copyFileSync(path.join(REF, 'images', f), path.join(dir, 'images', f));
        fs.copyFileSync(path.join(REF, 'masks', f), path.join(dir, 'masks', f));
      }
      fs.writeFileSync(path.join(dir, 'images', '001.png'), 'not a png');
      fs.unlinkSync(path.join(dir, 'masks', '002.png'));
      const json = path.join(dir, 'out.json');
      const failing = await tfcv(
        ['evaluate', '--model', SEGNET, '--images', 'images', '--masks', 'masks', '--no-progress'],
        { cwd: dir },
      );
      assert.equal(failing.code, 1);
      assert.match(
        failing.stderr,
        /^tfcv: no mask in .*masks for 002\.png \(masks pair with images by file name; --keep-going skips such images\)$/m,
      );
      fs.copyFileSync(path.join(REF, 'masks', '002.png'), path.join(dir, 'masks', '002.png'));
      const corrupt = await tfcv(
        ['evaluate', '--model', SEGNET, '--images', 'images', '--masks', 'masks', '--no-progress'],
        { cwd: dir },
      );
      assert.equal(corrupt.code, 1);
      assert.match(corrupt.stderr, /^tfcv: sample '001\.png': the image \(.*001\.png\) is not a decodable image/m);
      fs.unlinkSync(path.join(dir, 'masks', '002.png'));
      const r = await tfcv(
        [
          'evaluate',
          '--model',
          SEGNET,
          '--images',
          'images',
          '--masks',
          'masks',
          '--no-progress',
          '--keep-going',
          '--json',
          json,
        ],
        { cwd: dir },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^1 images evaluated/);
      assert.match(
        r.stderr,
        /skipped 2 files:\n {2}002\.png: no mask in .*\n {2}001\.png: sample '001\.png': the image .* is not a decodable image/,
      );
      const out = JSON.parse(fs.readFileSync(json, 'utf8'));
      assert.deepEqual(
        out.skipped.map((s) => s.file),
        ['002.png', '001.png'],
      );
      assert.equal(out.count, 1);
    });

    describe('error paths: a message naming the problem and a non-zero exit code', () => {
      it('no command, an unknown command or option, a missing required option: usage, exit 2', async () => {
        const none = await tfcv([]);
        assert.equal(none.code, 2);
        assert.match(none.stderr, /Usage: tfcv \[options\] \[command\]/);
        const unknown = await tfcv(['evaluat']);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /unknown command 'evaluat'/);
        const option = await tfcv(['evaluate', '--model', SEGNET, '--images', REF, '--colour']);
        assert.equal(option.code, 2);
        assert.match(option.stderr, /unknown option '--colour'/);
        const missing = await tfcv(['evaluate', '--images', REF]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /required option '--model <dir>' not specified/);
      });

      it('bad option values: exit 2 naming the option', async () => {
        const cases = [
          [
            ['--metrics', 'mean-iou,f1'],
            /option '--metrics <list>' argument 'mean-iou,f1' is invalid. unknown metric 'f1' \(known: circularity, /,
          ],
          [
            ['--batch-size', '0'],
            /option '--batch-size <n>' argument '0' is invalid. expected an integer in 1\.\.65536/,
          ],
          [['--threshold', 'half'], /option '--threshold <t>' argument 'half' is invalid. expected a number/],
          [
            ['--empty-policy', 'drop'],
            /option '--empty-policy <policy>' argument 'drop' is invalid. Allowed choices are zero, skip, nan/,
          ],
          [['--shard', '4/3'], /^tfcv: --shard: expected I\/N with 1 <= I <= N \(e\.g\. 2\/4\), got "4\/3"$/m],
        ];
        for (const [extra, pattern] of cases) {
          const r = await tfcv(evaluateArgs(extra));
          assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
          assert.match(r.stderr, pattern);
        }
        const noMasks = await tfcv([
          'evaluate',
          '--model',
          SEGNET,
          '--images',
          path.join(REF, 'images'),
          '--metrics',
          'circularity,mean-iou,dice',
        ]);
        assert.equal(noMasks.code, 2);
        assert.match(noMasks.stderr, /^tfcv: mean-iou, dice need truth masks: pass --masks DIR/m);
      });

      it('a missing images directory, one without images, a model that does not load: exit 1 naming it', async () => {
        const dir = scratch();
        const missing = await tfcv([
          'evaluate',
          '--model',
          SEGNET,
          '--images',
          path.join(dir, 'nope'),
          '--metrics',
          'circularity',
        ]);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /^tfcv: images directory .*nope: does not exist$/m);
        const empty = await tfcv(['evaluate', '--model', SEGNET, '--images', dir, '--metrics', 'circularity']);
        assert.equal(empty.code, 1);
        assert.match(empty.stderr, /^tfcv: images directory .*: no image files \(\.png, \.jpg/m);
        const noModel = await tfcv([
          'evaluate',
          '--model',
          dir,
          '--images',
          path.join(REF, 'images'),
          '--metrics',
          'circularity',
        ]);
        assert.equal(noModel.code, 1);
        assert.match(noModel.stderr, /^tfcv: cannot load the model at .*: /m);
        const badOutput = await tfcv(evaluateArgs(['--output', 'logits']));
        assert.equal(badOutput.code, 1);
        assert.match(badOutput.stderr, /options.output: unknown output 'logits' \(available: classes, foreground\)/);
        const unwritable = await tfcv(
          evaluateArgs(['--metrics', 'circularity', '--json', path.join(dir, 'no/such/dir/out.json')]),
        );
        assert.equal(unwritable.code, 1);
        assert.match(unwritable.stderr, /^tfcv: cannot write .*out\.json: ENOENT/m);
        fs.writeFileSync(path.join(dir, 'file'), '');
        const badReport = await tfcv(
          evaluateArgs(['--metrics', 'circularity', '--report', path.join(dir, 'file/report')]),
        );
        assert.equal(badReport.code, 1);
        assert.match(badReport.stderr, /^tfcv: cannot write the report to .*file\/report: ENOTDIR/m);
      });

      it('merge: missing or foreign files, different metrics or configs, a shard counted twice', async () => {
        const dir = scratch();
        const write = (name, data) => (
          fs.writeFileSync(path.join(dir, name), typeof data === 'string' ? data : JSON.stringify(data)),
          path.join(dir, name)
        );
        const a = path.join(dir, 'a.json');
        assert.equal((await tfcv(evaluateArgs(['--metrics', 'mean-iou', '--shard', '1/2', '--json', a]))).code, 0);
        const doc = JSON.parse(fs.readFileSync(a, 'utf8'));
        const expectMerge = async (files, pattern) => {
          const r = await tfcv(['merge', ...files]);
          assert.equal(r.code, 1, r.stdout);
          assert.match(r.stderr, pattern);
        };
        await expectMerge([path.join(dir, 'nope.json')], /^tfcv: .*nope\.json: no such file or directory \(ENOENT\)$/m);
        await expectMerge([write('text.json', 'hello')], /text\.json: not JSON/);
        await expectMerge([write('other.json', { hello: 1 })], /other\.json: not a tfcv results file \(no "states"/);
        await expectMerge([a, a], /a\.json and .*a\.json both hold shard 1\/2: it would be counted twice/);
        await expectMerge(
          [a, write('b.json', { ...doc, shards: [{ index: 2, count: 3 }] })],
          /b\.json: is a shard of 3, but an earlier file is a shard of 2/,
        );
        await expectMerge(
          [
            a,
            write('c.json', {
              ...doc,
              shards: [],
              states: { dice: { ...doc.states['mean-iou'], kind: 'Dice', name: 'dice' } },
            }),
          ],
          /c\.json: holds metrics dice, but .*a\.json holds mean-iou/,
        );
        const k3 = {
          ...doc.states['mean-iou'],
          config: { ...doc.states['mean-iou'].config, numClasses: 3 },
          state: {
            matrix: [
              [0, 0, 0],
              [0, 0, 0],
              [0, 0, 0],
            ],
          },
        };
        await expectMerge(
          [a, write('d.json', { ...doc, shards: [], states: { 'mean-iou': k3 } })],
          /d\.json: metric 'mean-iou': others\[0\]: cannot merge a MeanIoU with config numClasses 3 into one with numClasses 2/,
        );
        await expectMerge(
          [write('e.json', { ...doc, states: { 'mean-iou': { ...doc.states['mean-iou'], state: { matrix: 'x' } } } })],
          /e\.json: metric 'mean-iou': json.state.matrix: expected a 2x2 matrix/,
        );
        const usage = await tfcv(['merge']);
        assert.equal(usage.code, 2);
        assert.match(usage.stderr, /missing required argument 'files'/);
        const partial = await tfcv(['merge', a]);
        assert.equal(partial.code, 0);
        assert.match(partial.stderr, /note: shard 2\/2 missing: this covers 1 of 2/);
      });
    });
  });

  describe('demo', () => {
    it('needs no arguments: draws the synthetic set, runs the bundled segnet, prints the metrics (mean IoU well above chance)', async () => {
      const dir = scratch();
      const r = await tfcv(['demo', '--json', path.join(dir, 'demo.json'), '--report', path.join(dir, 'report')]);
      assert.equal(r.code, 0, r.stderr);
      const meanIoU = Number(/^mean-iou +([\d.]+)/m.exec(r.stdout)[1]);
      const baseline = Number(/calling every pixel foreground gives mean IoU ([\d.]+)/.exec(r.stdout)[1]);
      assert.ok(meanIoU > 0.85, `mean IoU ${meanIoU}`);
      assert.ok(baseline < 0.2, `baseline ${baseline}`);
      assert.match(r.stdout, /^circle +32 +0\.\d+ +0\.\d+ +0\.\d+$/m);
      assert.match(r.stdout, /^square +32 /m);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8'));
      assert.equal(json.count, 96);
      assert.equal(json.results['mean-iou'].value.toFixed(4), meanIoU.toFixed(4));
      assert.equal(fs.readdirSync(path.join(dir, 'report/images')).length, 96);
      assert.match(
        fs.readFileSync(path.join(dir, 'report/index.html'), 'utf8'),
        /<figcaption><b>shape-000-circle<\/b> <i>circle<\/i>/,
      );
    });

    it('the same seed draws the same set and gives the same numbers', async () => {
      const a = await tfcv(['demo', '--count', '12', '--seed', '7']);
      const b = await tfcv(['demo', '--count', '12', '--seed', '7']);
      const table = (s) => s.split('\n').filter((l) => /^(mean-iou|dice|circularity|circle|ellipse|square) /.test(l));
      assert.deepEqual(table(a.stdout), table(b.stdout));
    });
  });

  describe('as a process (package.json bin)', () => {
    it('`npm run demo` runs `tfcv demo`, which exits 0 and prints the metrics', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.equal(pkg.bin.tfcv, 'dist/cli/tfcv.js');
      assert.equal(pkg.scripts.demo, 'node dist/cli/tfcv.js demo');
      assert.match(fs.readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node/);
      const r = spawnSync(process.execPath, [BIN, 'demo', '--count', '24'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^mean-iou +0\.\d{4} +per class/m);
    });

    it('exit codes: 2 for a bad command line, 1 for a missing mask', () => {
      const usage = spawnSync(process.execPath, [BIN, 'demo', '--bogus'], { encoding: 'utf8' });
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /unknown option '--bogus'/);
      const dir = scratch();
      fs.mkdirSync(path.join(dir, 'm'));
      const failure = spawnSync(
        process.execPath,
        [BIN, 'evaluate', '--model', SEGNET, '--images', path.join(REF, 'images'), '--masks', path.join(dir, 'm')],
        { encoding: 'utf8' },
      );
      assert.equal(failure.status, 1);
      assert.match(
        failure.stderr,
        /tfcv: no mask in .*m for 000\.png, 001\.png, 002\.png, 003\.png, 004\.png, … \(24 in all\)/,
      );
    });
  });
});
