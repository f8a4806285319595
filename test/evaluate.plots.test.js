// `tfcv evaluate --plots DIR`, the plots in --report and the per-image CSV beside --json:
// detection (the bundled shapedet on the committed shapes set) and masks (segnet on the
// metric reference set). The pictures decode as PNGs of the drawn size; the JSON's best-F1
// confidence is the one curves() gives from the same run's state; CSV rows match the JSON.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCli } = require('../dist/cli/run_cli');
const { tfcv } = require('./helpers');

const SET = path.join(__dirname, 'fixtures/detection/shapes');
const SHAPEDET = path.join(__dirname, 'fixtures/models/shapedet');
const REF = path.join(__dirname, 'fixtures/reference/metrics');
const SEGNET = path.join(__dirname, 'fixtures/models/segnet');
const reference = JSON.parse(fs.readFileSync(path.join(SET, 'reference.json'), 'utf8'));

async function cli(args) {
  const chunks = { out: [], err: [] };
  const stream = (list) => ({ write: (s) => (list.push(String(s)), true), isTTY: false, columns: 100 });
  const code = await runCli(args, { stdout: stream(chunks.out), stderr: stream(chunks.err), cwd: process.cwd() });
  return { code, stdout: chunks.out.join(''), stderr: chunks.err.join('') };
}

function csvRows(file) {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

function png(file) {
  const m = tfcv.Mat.readSync(file);
  try {
    return { rows: m.rows, cols: m.cols, channels: m.channels };
  } finally {
    m.dispose();
  }
}

describe('evaluate --plots, report plots and the per-image CSV', () => {
  let dir;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-plots-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('detection: six PNGs, in the report too; the JSON names the best-F1 confidence; CSV beside the JSON', async () => {
    const r = await cli([
      'evaluate',
      '--model',
      SHAPEDET,
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
      '--json',
      path.join(dir, 'det.json'),
      '--plots',
      path.join(dir, 'plots'),
      '--report',
      path.join(dir, 'report'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const files = [
      'confusion_matrix.png',
      'f1_curve.png',
      'pr_curve_iou50-95.png',
      'pr_curve_iou50.png',
      'precision_curve.png',
      'recall_curve.png',
    ];
    assert.deepEqual(fs.readdirSync(path.join(dir, 'plots')).sort(), files);
    assert.deepEqual(png(path.join(dir, 'plots/f1_curve.png')), { rows: 560, cols: 900, channels: 3 });
    for (const f of files) assert.ok(fs.statSync(path.join(dir, 'report/plots', f)).size > 1000, f);
    const html = fs.readFileSync(path.join(dir, 'report/index.html'), 'utf8');
    for (const f of files) assert.match(html, new RegExp(`<img src="plots/${f.replace('.', '\\.')}"`));

    const json = JSON.parse(fs.readFileSync(path.join(dir, 'det.json'), 'utf8'));
    const map = tfcv.Metric.fromJSON(json.states['mean-average-precision']);
    const best = map.curves().overall.best;
    assert.deepEqual(json.detection.bestF1, best);
    assert.ok(best.f1 > 0.5 && best.confidence > 0);
    assert.match(r.stdout, new RegExp(`best F1 ${best.f1.toFixed(4)} at confidence ${best.confidence}`));
    assert.deepEqual(
      json.detection.perClass.map((c) => c.name),
      ['circle', 'ellipse', 'square'],
    );
    // The confusion matrix's counts are the sum of the per-image marks.
    const cm = json.results['detection-confusion-matrix'];
    const marks = json.perImage.map((p) => p.outcomes['detection-confusion-matrix']);
    assert.equal(
      marks.reduce((s, o) => s + o.tp, 0),
      cm.tp,
    );
    assert.equal(
      marks.reduce((s, o) => s + o.fp, 0),
      cm.fp,
    );
    assert.equal(
      marks.reduce((s, o) => s + o.fn, 0),
      cm.fn,
    );
    assert.equal(cm.matrix.length, 4);

    const rows = csvRows(path.join(dir, 'det.per-image.csv'));
    assert.deepEqual(rows[0], [
      'file',
      'mean-average-precision',
      'detection-confusion-matrix',
      'detection-confusion-matrix.tp',
      'detection-confusion-matrix.fp',
      'detection-confusion-matrix.fn',
    ]);
    assert.equal(rows.length, 25);
    json.perImage.forEach((p, i) => {
      const row = rows[i + 1];
      assert.equal(row[0], p.file);
      const ap = p.values['mean-average-precision'];
      assert.equal(row[1], ap === null ? '' : String(ap));
      const o = p.outcomes['detection-confusion-matrix'];
      assert.deepEqual(row.slice(3).map(Number), [o.tp, o.fp, o.fn]);
    });
  });

  it('masks: the pixel confusion matrix and the per-image IoU histogram; CSV beside the JSON', async () => {
    const r = await cli([
      'evaluate',
      '--model',
      SEGNET,
      '--images',
      path.join(REF, 'images'),
      '--masks',
      path.join(REF, 'masks'),
      '--no-progress',
      '--json',
      path.join(dir, 'masks.json'),
      '--plots',
      path.join(dir, 'mask-plots'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'mask-plots')).sort(), [
      'confusion_matrix.png',
      'iou_histogram.png',
    ]);
    assert.deepEqual(png(path.join(dir, 'mask-plots/iou_histogram.png')), { rows: 480, cols: 760, channels: 3 });
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'masks.json'), 'utf8'));
    const rows = csvRows(path.join(dir, 'masks.per-image.csv'));
    assert.equal(rows[0][0], 'file');
    assert.equal(rows.length, json.perImage.length + 1);
    const col = rows[0].indexOf('mean-iou');
    json.perImage.forEach((p, i) => assert.equal(rows[i + 1][col], String(p.values['mean-iou'] ?? '')));
  });
});
