// Detection end to end: `tfcv evaluate --coco` with the bundled shapedet on the committed COCO
// set prints COCOeval's numbers as pycocotools computes them for the same pipeline
// (scripts/fixtures/make_detector.py --reference-only), writes the report and mergeable
// shards; evaluate() with options.detection; the demo's detection part.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCli } = require('../dist/cli/run_cli');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');

const SET = path.join(__dirname, 'fixtures/detection/shapes');
const MODEL = path.join(__dirname, 'fixtures/models/shapedet');
const reference = JSON.parse(fs.readFileSync(path.join(SET, 'reference.json'), 'utf8'));
const LINES = [
  'IoU=0.50:0.95 | area=   all | maxDets=100',
  'IoU=0.50      | area=   all',
  'IoU=0.75      | area=   all',
];

async function cli(args) {
  const chunks = { out: [], err: [] };
  const stream = (list) => ({ write: (s) => (list.push(String(s)), true), isTTY: false, columns: 100 });
  const code = await runCli(args, { stdout: stream(chunks.out), stderr: stream(chunks.err), cwd: process.cwd() });
  return { code, stdout: chunks.out.join(''), stderr: chunks.err.join('') };
}

const cocoArgs = (extra = []) => [
  'evaluate',
  '--model',
  MODEL,
  '--images',
  path.join(SET, 'images'),
  '--coco',
  path.join(SET, 'annotations.json'),
  '--boxes',
  'detection_boxes',
  '--scores',
  'detection_scores',
  '--classes',
  'detection_classes',
  '--score-threshold',
  String(reference.nms.scoreThreshold),
  '--nms-iou',
  String(reference.nms.iouThreshold),
  '--no-progress',
  ...extra,
];

describe('detection evaluation', () => {
  const dirs = [];
  const scratch = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-det-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('tfcv evaluate --coco prints the COCO table equal to pycocotools on the same pipeline, and writes the report', async () => {
    const dir = scratch();
    const r = await cli(cocoArgs(['--json', path.join(dir, 'r.json'), '--report', path.join(dir, 'report')]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^24 images evaluated/m);
    assert.equal((r.stdout.match(/Average (Precision|Recall) /g) || []).length, 12);
    for (const line of LINES) assert.match(r.stdout, new RegExp(line.replace(/[|.]/g, (c) => `\\${c}`)));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const stats = json.results['mean-average-precision'].stats;
    reference.stats.forEach((e, i) => {
      if (e === -1)
        assert.equal(stats[i], null, `stat ${i}`); // NaN is null in JSON
      else assert.ok(Math.abs(stats[i] - e) <= 1e-6, `stat ${i}: ${stats[i]} vs ${e}`);
    });
    assert.ok(reference.stats[0] > 0.3, 'the bundled detector finds the shapes');
    const html = fs.readFileSync(path.join(dir, 'report/index.html'), 'utf8');
    assert.match(html, /Boxes: <b style="color:#e62828">predicted<\/b>/);
    assert.match(html, /sorted by mean-average-precision, lowest first/);
    assert.equal(fs.readdirSync(path.join(dir, 'report/images')).length, 24);
    // Worst first: the first card's AP is the lowest.
    const aps = json.perImage.map((p) => p.values['mean-average-precision']).filter((x) => x !== null);
    const first = /<figcaption><b>([^<]+)<\/b>/.exec(html)[1];
    assert.equal(json.perImage.find((p) => p.file === first).values['mean-average-precision'], Math.min(...aps));
  });

  it('shards merged with tfcv merge equal one run (contiguous shards in id order)', async () => {
    const dir = scratch();
    const whole = await cli(cocoArgs(['--json', path.join(dir, 'all.json')]));
    assert.equal(whole.code, 0, whole.stderr);
    for (const s of ['2/3', '1/3', '3/3']) {
      const r = await cli(cocoArgs(['--shard', s, '--json', path.join(dir, `s${s[0]}.json`)]));
      assert.equal(r.code, 0, r.stderr);
    }
    // Given out of order on purpose: merge sorts by shard.
    const m = await cli([
      'merge',
      path.join(dir, 's3.json'),
      path.join(dir, 's1.json'),
      path.join(dir, 's2.json'),
      '--json',
      path.join(dir, 'merged.json'),
    ]);
    assert.equal(m.code, 0, m.stderr);
    const a = JSON.parse(fs.readFileSync(path.join(dir, 'all.json'), 'utf8')).results['mean-average-precision'];
    const b = JSON.parse(fs.readFileSync(path.join(dir, 'merged.json'), 'utf8')).results['mean-average-precision'];
    assert.deepEqual(b, a);
  });

  it("--shard auto reads the job runner's index like the mask form (equal to the explicit I/N)", async () => {
    const dir = scratch();
    const run = async (args, env) => {
      const chunks = { out: [], err: [] };
      const stream = (list) => ({ write: (s) => (list.push(String(s)), true), isTTY: false, columns: 100 });
      const io = { stdout: stream(chunks.out), stderr: stream(chunks.err), cwd: process.cwd(), env };
      return { code: await runCli(args, io), stdout: chunks.out.join(''), stderr: chunks.err.join('') };
    };
    const env = { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '3' };
    const auto = await run(cocoArgs(['--shard', 'auto', '--json', path.join(dir, 'auto.json')]), env);
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(auto.stdout, /evaluated \(shard 2\/3 of 24 images\)/);
    const explicit = await cli(cocoArgs(['--shard', '2/3', '--json', path.join(dir, 'explicit.json')]));
    assert.equal(explicit.code, 0, explicit.stderr);
    const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).results;
    assert.deepEqual(read('auto.json'), read('explicit.json'));
    const missing = await run(cocoArgs(['--shard', 'auto']), {});
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--shard: 'auto' reads JOB_COMPLETION_INDEX/);
  });

  it('evaluate() with options.detection, and its errors', async () => {
    const model = await tfcv.Model.loadSavedModel(MODEL);
    try {
      const data = tfcv.cocoDataset(path.join(SET, 'annotations.json'), path.join(SET, 'images'));
      assert.equal(data.samples.length, 24);
      assert.deepEqual(data.classNames, ['circle', 'ellipse', 'square']);
      const map = new tfcv.MeanAveragePrecision();
      const seen = [];
      const r = await tfcv.evaluate(model, data.samples, [map], {
        batchSize: 5,
        detection: {
          outputs: { boxes: 'detection_boxes', scores: 'detection_scores', classes: 'detection_classes' },
          nms: reference.nms,
          onBatch: (b) => seen.push(b.predictions.length),
        },
      });
      assert.equal(r.images, 24);
      assert.deepEqual(seen, [5, 5, 5, 5, 4]);
      assert.ok(Math.abs(r.metrics['mean-average-precision'].ap - reference.stats[0]) <= 1e-6);
      await rejectsTyped(
        tfcv.evaluate(model, data.samples, [new tfcv.MeanAveragePrecision()], {
          detection: { outputs: { boxes: 'nope', scores: 'detection_scores' } },
        }),
        tfcv.ArgumentError,
        /outputs\.boxes: unknown output 'nope' \(available: detection_boxes, detection_classes, detection_scores\)/,
      );
      await rejectsTyped(
        tfcv.evaluate(model, data.samples, [new tfcv.MeanIoU(2)], {
          detection: { outputs: { boxes: 'detection_boxes', scores: 'detection_scores' } },
        }),
        tfcv.ArgumentError,
        /measures masks or images/,
      );
      await rejectsTyped(
        tfcv.evaluate(model, [{ image: data.samples[0].image }], [new tfcv.MeanAveragePrecision()], {
          detection: { outputs: { boxes: 'detection_boxes', scores: 'detection_scores' } },
        }),
        tfcv.ArgumentError,
        /dataset\[0\]: expected a sample \{ image, detections/,
      );
    } finally {
      model.dispose();
    }
    throwsTyped(() => tfcv.cocoDataset(path.join(SET, 'missing.json'), SET), tfcv.ArgumentError, /cannot read/);
  });

  it('usage errors of --coco', async () => {
    const r = await cli(['evaluate', '--model', MODEL, '--images', SET, '--coco', path.join(SET, 'annotations.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--coco needs --boxes/);
  });

  it('tfcv demo shows detection too', async () => {
    const r = await cli(['demo', '--count', '24']);
    assert.equal(r.code, 0, r.stderr);
    const m = /detection: .*\n.*\n {2}AP ([\d.]+) {2}AP50 ([\d.]+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[2]) > 0.5, `AP50 ${m[2]}`);
    assert.match(r.stdout, /per class AP: circle [\d.]+, ellipse [\d.]+, square [\d.]+/);
  });
});
