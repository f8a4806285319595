// The detection curves (MeanAveragePrecision.curves()) and DetectionConfusionMatrix against the
// NumPy / pycocotools reference of scripts/fixtures/make_detection_curves.py on the committed
// detection fixtures and a larger random set: every number within 1e-9. Also the merge law,
// JSON round trips, per-prediction outcomes and bad input.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped } = require('./helpers');
const { MeanAveragePrecision, DetectionConfusionMatrix, Metric, ArgumentError } = tfcv;

const DIR = path.join(__dirname, 'fixtures', 'detection');
const TOL = 1e-9;
const CASES = ['mixed', 'ties', 'dense', 'random'].map((name) => {
  const doc = JSON.parse(fs.readFileSync(path.join(DIR, `curves_${name}.json`), 'utf8'));
  const images = doc.images ?? JSON.parse(fs.readFileSync(path.join(DIR, doc.source), 'utf8')).images;
  return { name, doc, truth: images.map((i) => i.truth), pred: images.map((i) => i.predictions) };
});

function close(actual, expected, label) {
  if (expected === null) assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
  else assert.ok(Math.abs(actual - expected) <= TOL, `${label}: expected ${expected}, got ${actual}`);
}

function closeList(actual, expected, label) {
  assert.equal(actual.length, expected.length, `${label}: length`);
  expected.forEach((e, i) => close(actual[i], e, `${label}[${i}]`));
}

const ratio = (a, b) => (b > 0 ? a / b : null);

function checkCurve(actual, expected, label) {
  assert.equal(actual.truth, expected.truth, `${label} truth`);
  for (const key of ['pr50', 'prMean']) {
    if (expected[key] === null) assert.equal(actual[key], null, `${label} ${key}`);
    else closeList(actual[key], expected[key], `${label} ${key}`);
  }
  // Every threshold against the reference counts, every tenth against its ratios.
  for (let g = 0; g < 1001; g++) {
    const tp = expected.tp[g],
      fp = expected.fp[g];
    close(actual.precision[g], ratio(tp, tp + fp), `${label} precision@${g}`);
    close(actual.recall[g], ratio(tp, expected.truth), `${label} recall@${g}`);
    close(actual.f1[g], ratio(2 * tp, tp + fp + expected.truth), `${label} f1@${g}`);
  }
  closeList(
    actual.precision.filter((_, g) => g % 10 === 0),
    expected.precision,
    `${label} precision`,
  );
  closeList(
    actual.recall.filter((_, g) => g % 10 === 0),
    expected.recall,
    `${label} recall`,
  );
  closeList(
    actual.f1.filter((_, g) => g % 10 === 0),
    expected.f1,
    `${label} f1`,
  );
  if (expected.best === null) assert.equal(actual.best, null, `${label} best`);
  else for (const [k, e] of Object.entries(expected.best)) close(actual.best[k], e, `${label} best.${k}`);
}

function mapOf(c, parts = 1) {
  const metrics = [];
  const step = Math.ceil(c.truth.length / parts);
  for (let i = 0; i < c.truth.length; i += step) {
    const m = new MeanAveragePrecision();
    m.updateSync(c.truth.slice(i, i + step), c.pred.slice(i, i + step));
    metrics.push(m);
  }
  return metrics[0].merge(...metrics.slice(1));
}

describe('MeanAveragePrecision.curves() against pycocotools and the NumPy reference', () => {
  for (const c of CASES) {
    it(`${c.name}: PR curves, P / R / F1 against confidence and the best-F1 threshold, per class and overall`, () => {
      const curves = mapOf(c).curves();
      const expected = c.doc.curves;
      assert.deepEqual(
        curves.classes.map((k) => k.classId),
        expected.classes.map((k) => k.classId),
      );
      curves.classes.forEach((k, i) => checkCurve(k, expected.classes[i], `${c.name} class ${k.classId}`));
      checkCurve(curves.overall, expected.overall, `${c.name} overall`);
      assert.equal(curves.confidences.length, 1001);
      assert.equal(curves.confidences[250], 0.25);
      assert.equal(curves.recallPoints.length, 101);
    });
  }

  it('merged shards and a JSON round trip give the same curves', () => {
    const c = CASES[3];
    const whole = mapOf(c).curves();
    assert.deepEqual(mapOf(c, 4).curves(), whole);
    assert.deepEqual(Metric.fromJSON(JSON.stringify(mapOf(c, 3).toJSON())).curves(), whole);
  });

  it('an empty metric has no classes and no best threshold', () => {
    const curves = new MeanAveragePrecision().curves();
    assert.equal(curves.classes.length, 0);
    assert.equal(curves.overall.best, null);
    assert.equal(curves.overall.pr50, null);
  });

  it('the best threshold is a detection score, and keeping scores >= it gives its counts', () => {
    const m = new MeanAveragePrecision();
    m.updateSync(
      {
        boxes: [
          [0, 0, 10, 10],
          [20, 20, 10, 10],
        ],
        classes: [1, 1],
      },
      {
        boxes: [
          [0, 0, 10, 10],
          [50, 50, 5, 5],
          [20, 20, 10, 10],
        ],
        classes: [1, 1, 1],
        scores: [0.9, 0.8, 0.3],
      },
    );
    const best = m.curves().classes[0].best;
    // Keeping 0.9 only: F1 2/3; keeping all three: 2*2 / (3 + 2) = 0.8.
    assert.deepEqual(best, { confidence: 0.3, precision: 2 / 3, recall: 1, f1: 0.8, tp: 2, fp: 1, fn: 0 });
  });
});

describe('DetectionConfusionMatrix against the NumPy reference', () => {
  for (const c of CASES) {
    for (const [s, setting] of c.doc.confusion.entries()) {
      it(`${c.name}: IoU >= ${setting.iouThreshold}, score >= ${setting.confidenceThreshold}: matrix, counts, per-image outcomes`, async () => {
        const options = { iouThreshold: setting.iouThreshold, confidenceThreshold: setting.confidenceThreshold };
        const m = new DetectionConfusionMatrix(setting.classes, options);
        const half = Math.floor(c.truth.length / 2);
        const values = [
          ...(await m.update(c.truth.slice(0, half), c.pred.slice(0, half))),
          ...m.updateSync(c.truth.slice(half), c.pred.slice(half)),
        ];
        const r = m.result();
        assert.deepEqual(r.matrix, setting.matrix);
        assert.equal(r.tp, setting.tp);
        assert.equal(r.fp, setting.fp);
        assert.equal(r.fn, setting.fn);
        close(r.value, setting.value, 'value');
        assert.equal(r.images, c.truth.length);
        const outcomes = m.outcomes(c.truth, c.pred);
        setting.images.forEach((e, i) => {
          const o = outcomes[i];
          assert.equal(o.predictions.map((x) => x[0]).join(''), e.predictions, `${c.name}/${s} image ${i} predictions`);
          assert.equal(o.truth.map((x) => x[0]).join(''), e.truth, `image ${i} truth`);
          assert.deepEqual([o.tp, o.fp, o.fn], [e.tp, e.fp, e.fn], `image ${i} counts`);
          close(values[i], ratio(2 * e.tp, 2 * e.tp + e.fp + e.fn), `image ${i} F1`);
        });
        // Per class: rows are truth, columns predictions.
        r.perClass.forEach((k, i) => {
          const row = setting.matrix[i].reduce((a, b) => a + b, 0);
          const col = setting.matrix.reduce((a, rr) => a + rr[i], 0);
          const tp = setting.matrix[i][i];
          assert.deepEqual([k.tp, k.fp, k.fn], [tp, col - tp, row - tp]);
        });
      });
    }
  }

  it('merges like one metric over everything, also through JSON; reset forgets', () => {
    const c = CASES[3];
    const whole = new DetectionConfusionMatrix(6);
    whole.updateSync(c.truth, c.pred);
    const a = new DetectionConfusionMatrix(6),
      b = new DetectionConfusionMatrix(6);
    a.updateSync(c.truth.slice(0, 100), c.pred.slice(0, 100));
    b.updateSync(c.truth.slice(100), c.pred.slice(100));
    const merged = Metric.fromJSON(JSON.stringify(a.toJSON())).merge(b);
    assert.deepEqual(merged.result(), whole.result());
    assert.equal(merged.kind, 'DetectionConfusionMatrix');
    merged.reset();
    assert.equal(merged.result().tp, 0);
    assert.ok(Number.isNaN(merged.result().value));
  });

  it('a box found with the wrong class is off the diagonal; background row and column', () => {
    const m = new DetectionConfusionMatrix([3, 7]);
    m.updateSync(
      {
        boxes: [
          [0, 0, 10, 10],
          [40, 40, 10, 10],
        ],
        classes: [3, 7],
      },
      {
        boxes: [
          [0, 0, 10, 10],
          [100, 100, 5, 5],
          [40, 40, 10, 10],
        ],
        classes: [7, 3, 7],
        scores: [0.9, 0.8, 0.1],
      },
    );
    // truth 3 found as 7; prediction of 3 on nothing; truth 7 missed (its prediction scores < 0.25).
    assert.deepEqual(m.result().matrix, [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('equal IoU: the higher score is matched first, then the lower prediction index', () => {
    const m = new DetectionConfusionMatrix(2);
    const truth = { boxes: [[0, 0, 10, 10]], classes: [0] };
    const same = [
      [0, 0, 10, 10],
      [0, 0, 10, 10],
    ];
    const [a] = m.outcomes(truth, { boxes: same, classes: [1, 0], scores: [0.5, 0.9] });
    assert.deepEqual([a.predictions, a.truth], [['fp', 'tp'], ['tp']]);
    const [b] = m.outcomes(truth, { boxes: same, classes: [1, 0], scores: [0.7, 0.7] });
    assert.deepEqual([b.predictions, b.truth], [['fp', 'fp'], ['fn']]);
    // A prediction covering a crowd region is ignored; the crowd box is never counted.
    const [c] = m.outcomes(
      { boxes: [[0, 0, 100, 100]], classes: [0], iscrowd: [1] },
      { boxes: [[10, 10, 20, 20]], classes: [0], scores: [0.9] },
    );
    assert.deepEqual(c, { predictions: ['ignored'], truth: ['crowd'], tp: 0, fp: 0, fn: 0 });
  });

  it('refuses unknown options, bad thresholds, unknown classes and mismatched merges', () => {
    throwsTyped(() => new DetectionConfusionMatrix(3, { iou: 0.5 }), ArgumentError, /options\.iou: unknown option/);
    throwsTyped(() => new DetectionConfusionMatrix(3, { iouThreshold: 0 }), ArgumentError, /iouThreshold.*\(0, 1\]/);
    throwsTyped(() => new DetectionConfusionMatrix([1, 1]), ArgumentError, /listed twice/);
    throwsTyped(() => new DetectionConfusionMatrix([]), ArgumentError, /at least one/);
    throwsTyped(() => new DetectionConfusionMatrix('3'), ArgumentError, /classes/);
    const m = new DetectionConfusionMatrix(2);
    throwsTyped(
      () => m.updateSync({ boxes: [[0, 0, 1, 1]], classes: [5] }, { boxes: [], classes: [], scores: [] }),
      ArgumentError,
      /yTrue\[0\]\.classes\[0\]: class 5 is not one of/,
    );
    throwsTyped(() => m.updateSync([{ boxes: [], classes: [] }], []), ArgumentError, /one prediction per truth image/);
    throwsTyped(
      () => m.updateSync({ boxes: [], classes: [] }, { boxes: [[0, 0, 1, 1]], classes: [0], scores: [NaN] }),
      ArgumentError,
      /scores\[0\]/,
    );
    throwsTyped(() => m.merge(new DetectionConfusionMatrix(3)), ArgumentError, /cannot merge/);
    throwsTyped(() => m.merge(new DetectionConfusionMatrix(2, { iouThreshold: 0.7 })), ArgumentError, /iouThreshold/);
    throwsTyped(
      () => m.updateSync({ boxes: [], classes: [] }, { boxes: [], classes: [], scores: [] }, [2]),
      ArgumentError,
      /sampleWeight/,
    );
    assert.equal(m.result().images, 0, 'a refused update leaves no trace');
  });
});
