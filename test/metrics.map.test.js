// MeanAveragePrecision against pycocotools' COCOeval on the committed fixtures
// (scripts/fixtures/make_detection.py), the merge law across shards and JSON, the per-image
// values, and bad input.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');
const { MeanAveragePrecision, Metric, ArgumentError, ShapeError, metricByName } = tfcv;

const DIR = path.join(__dirname, 'fixtures', 'detection');
const DATASETS = ['mixed', 'ties', 'dense'].map((name) => ({
  name,
  ...JSON.parse(fs.readFileSync(path.join(DIR, `map_${name}.json`), 'utf8')),
}));
const NAMES = [
  'ap',
  'ap50',
  'ap75',
  'apSmall',
  'apMedium',
  'apLarge',
  'ar1',
  'ar10',
  'ar100',
  'arSmall',
  'arMedium',
  'arLarge',
];

/** pycocotools' -1 is NaN here; otherwise within 1e-6. Returns the largest difference seen. */
function assertStats(actual, expected, label) {
  let worst = 0;
  expected.forEach((e, i) => {
    const a = actual[i];
    if (e === -1) assert.ok(Number.isNaN(a), `${label} ${NAMES[i]}: expected NaN (COCOeval -1), got ${a}`);
    else {
      const d = Math.abs(a - e);
      worst = Math.max(worst, d);
      assert.ok(d <= 1e-6, `${label} ${NAMES[i]}: expected ${e}, got ${a}`);
    }
  });
  return worst;
}

function statsOf(r) {
  return NAMES.map((n) => r[n]);
}

function checkAgainstReference(result, doc, label) {
  assertStats(result.stats, doc.stats, label);
  assertStats(statsOf(result), doc.stats, label);
  assert.equal(result.value, result.ap);
  assert.deepEqual(
    result.perClass.map((c) => String(c.classId)).sort(),
    Object.keys(doc.perClass)
      .filter((k) => result.perClass.some((c) => String(c.classId) === k))
      .sort(),
  );
  for (const c of result.perClass) {
    const ref = doc.perClass[String(c.classId)];
    assert.ok(ref, `class ${c.classId} is not in the reference`);
    assertStats(statsOf(c), ref, `${label} class ${c.classId}`);
  }
}

describe('MeanAveragePrecision (COCO mAP)', () => {
  describe('equals pycocotools COCOeval on the committed fixtures', () => {
    for (const doc of DATASETS) {
      it(`${doc.name}: ${doc.description}`, async () => {
        const m = new MeanAveragePrecision();
        const values = await m.update(
          doc.images.map((i) => i.truth),
          doc.images.map((i) => i.predictions),
        );
        assert.equal(values.length, doc.images.length);
        const r = m.result();
        assert.equal(r.images, doc.images.length);
        checkAgainstReference(r, doc, doc.name);
      });
    }

    it('fixtures cover the cases the issue lists', () => {
      const all = DATASETS.flatMap((d) => d.images);
      assert.ok(
        all.some((i) => i.truth.boxes.length === 0 && i.predictions.boxes.length > 0),
        'image without truth',
      );
      assert.ok(
        all.some((i) => i.truth.boxes.length > 0 && i.predictions.boxes.length === 0),
        'image without predictions',
      );
      assert.ok(
        all.some((i) => i.truth.iscrowd.includes(1)),
        'crowd regions',
      );
      assert.ok(
        all.some((i) => i.predictions.boxes.length > 100),
        'more than 100 detections in an image',
      );
      assert.ok(
        all.some((i) => i.truth.area && i.truth.area.some((a) => a !== null)),
        'explicit areas',
      );
      const scores = DATASETS[1].images.flatMap((i) => i.predictions.scores);
      assert.ok(new Set(scores).size < scores.length / 5, 'ties in score');
      const mixed = DATASETS[0];
      const truthClasses = new Set(mixed.images.flatMap((i) => i.truth.classes));
      const predClasses = new Set(mixed.images.flatMap((i) => i.predictions.classes));
      assert.ok(
        [...predClasses].some((c) => !truthClasses.has(c)),
        'a class only in predictions',
      );
      assert.ok(
        [...truthClasses].some((c) => !predClasses.has(c)),
        'a class only in truth',
      );
      for (const d of DATASETS)
        assert.ok(
          d.stats.slice(3, 6).every((s) => s > 0),
          `${d.name}: every area range measured`,
        );
    });

    it('gives the same numbers image by image, sync, and in typed arrays', () => {
      const doc = DATASETS[0];
      const m = new MeanAveragePrecision();
      for (const { truth, predictions } of doc.images) {
        m.updateSync(
          {
            boxes: Float64Array.from(truth.boxes.flat()),
            classes: Int32Array.from(truth.classes),
            iscrowd: Uint8Array.from(truth.iscrowd),
            ...(truth.area ? { area: truth.area } : {}),
          },
          {
            boxes: Float64Array.from(predictions.boxes.flat()),
            classes: Int32Array.from(predictions.classes),
            scores: Float64Array.from(predictions.scores),
          },
        );
      }
      checkAgainstReference(m.result(), doc, 'per image');
    });

    it("reads other box layouts through options.boxFormat ('xyxy')", () => {
      const doc = DATASETS[1];
      const xyxy = (boxes) => boxes.map(([x, y, w, h]) => [x, y, x + w, y + h]);
      const m = new MeanAveragePrecision({ boxFormat: 'xyxy' });
      m.updateSync(
        doc.images.map((i) => ({ ...i.truth, boxes: xyxy(i.truth.boxes) })),
        doc.images.map((i) => ({ ...i.predictions, boxes: xyxy(i.predictions.boxes) })),
      );
      // x + w - x is not always w in doubles: equal to 1e-6, not bit for bit.
      assertStats(m.result().stats, doc.stats, 'xyxy');
    });
  });

  describe('merge law', () => {
    function shards(doc, cuts) {
      const out = [];
      let start = 0;
      for (const end of [...cuts, doc.images.length]) {
        out.push(doc.images.slice(start, end));
        start = end;
      }
      return out;
    }

    for (const doc of DATASETS) {
      it(`${doc.name}: shards merged (directly and through JSON) equal one metric over all images`, () => {
        const whole = new MeanAveragePrecision();
        whole.updateSync(
          doc.images.map((i) => i.truth),
          doc.images.map((i) => i.predictions),
        );
        const parts = shards(doc, [3, Math.floor(doc.images.length / 2), doc.images.length - 1]).map((images) => {
          const m = new MeanAveragePrecision();
          if (images.length > 0)
            m.updateSync(
              images.map((i) => i.truth),
              images.map((i) => i.predictions),
            );
          return m;
        });
        const merged = new MeanAveragePrecision().merge(...parts);
        assert.deepEqual(merged.result(), whole.result());
        const viaJson = Metric.fromJSON(JSON.stringify(parts[0].toJSON()));
        viaJson.merge(...parts.slice(1).map((p) => Metric.fromJSON(JSON.parse(JSON.stringify(p.toJSON())))));
        assert.deepEqual(viaJson.result(), whole.result());
        assert.deepEqual(Metric.fromJSON(JSON.stringify(whole.toJSON())).result(), whole.result());
      });
    }

    it('refuses to merge other kinds or configs', () => {
      const m = new MeanAveragePrecision();
      throwsTyped(
        () => m.merge(new tfcv.MeanIoU(2)),
        ArgumentError,
        /cannot merge a MeanIoU into a MeanAveragePrecision/,
      );
      throwsTyped(() => m.merge(new MeanAveragePrecision({ boxFormat: 'xyxy' })), ArgumentError, /boxFormat "xyxy"/);
      throwsTyped(() => m.merge({}), ArgumentError, /others\[0\]/);
    });

    it('merging an empty metric changes nothing; reset() forgets everything', () => {
      const doc = DATASETS[0];
      const m = new MeanAveragePrecision();
      m.updateSync(
        doc.images.map((i) => i.truth),
        doc.images.map((i) => i.predictions),
      );
      const before = m.result();
      m.merge(new MeanAveragePrecision());
      assert.deepEqual(m.result(), before);
      m.reset();
      const empty = m.result();
      assert.equal(empty.images, 0);
      assert.ok(Number.isNaN(empty.value));
      assert.deepEqual(empty.perClass, []);
    });

    it('an update in flight when reset() is called is discarded', async () => {
      const doc = DATASETS[2];
      const m = new MeanAveragePrecision();
      const pending = m.update(
        doc.images.map((i) => i.truth),
        doc.images.map((i) => i.predictions),
      );
      m.reset();
      await pending;
      assert.equal(m.result().images, 0);
    });
  });

  describe('per-image values and small cases', () => {
    it('resolves with each image AP@[.5:.95] (NaN without truth)', async () => {
      const m = new MeanAveragePrecision();
      const values = await m.update(
        [
          { boxes: [[10, 10, 20, 20]], classes: [1] },
          { boxes: [], classes: [] },
          { boxes: [[0, 0, 10, 10]], classes: [2] },
        ],
        [
          { boxes: [[10, 10, 20, 20]], classes: [1], scores: [0.9] },
          { boxes: [[1, 1, 5, 5]], classes: [1], scores: [0.5] },
          { boxes: [], classes: [], scores: [] },
        ],
      );
      // Precision is tp / (tp + fp + eps) as in pycocotools: a perfect image scores 1 - 2e-16.
      const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-12, `expected ${b}, got ${a}`);
      near(values[0], 1);
      assert.ok(Number.isNaN(values[1]));
      assert.equal(values[2], 0);
      const r = m.result();
      // Class 1: the perfect match first, the false positive after it: AP 1. Class 2: never found: AP 0.
      near(r.perClass.find((c) => c.classId === 1).ap, 1);
      assert.equal(r.perClass.find((c) => c.classId === 2).ap, 0);
      near(r.ap, 0.5);
    });

    it('is listed by name and survives fromJSON with its config', () => {
      const m = metricByName('mean-average-precision');
      assert.ok(m instanceof MeanAveragePrecision);
      const c = Metric.fromJSON(new MeanAveragePrecision({ boxFormat: 'cxcywh', name: 'map' }).toJSON());
      assert.equal(c.name, 'map');
      assert.deepEqual(c.config, { boxFormat: 'cxcywh' });
    });
  });

  describe('bad input', () => {
    const good = { boxes: [[0, 0, 1, 1]], classes: [0] };
    const pred = { boxes: [[0, 0, 1, 1]], classes: [0], scores: [1] };
    it('typed errors naming the image and field', async () => {
      const m = new MeanAveragePrecision();
      throwsTyped(() => m.updateSync([good], [pred, pred]), ArgumentError, /one prediction per truth image/);
      throwsTyped(() => m.updateSync(good, { ...pred, scores: [NaN] }), ArgumentError, /yPred\[0\]\.scores\[0\]/);
      throwsTyped(() => m.updateSync(good, { ...pred, classes: [1.5] }), ArgumentError, /yPred\[0\]\.classes\[0\]/);
      throwsTyped(() => m.updateSync({ ...good, boxes: [[0, 0, 1]] }, pred), ShapeError, /yTrue\[0\]\.boxes\[0\]/);
      throwsTyped(
        () => m.updateSync({ ...good, boxes: [[0, 0, -1, 1]] }, pred),
        ArgumentError,
        /width and height >= 0/,
      );
      throwsTyped(() => m.updateSync({ ...good, iscrowd: [2] }, pred), ArgumentError, /iscrowd\[0\]/);
      throwsTyped(() => m.updateSync({ ...good, area: [-5] }, pred), ArgumentError, /area\[0\]/);
      throwsTyped(
        () => m.updateSync({ ...good, classes: [] }, pred),
        ShapeError,
        /yTrue\[0\]\.classes: expected 1 values/,
      );
      throwsTyped(() => m.updateSync(null, pred), ArgumentError, /yTrue/);
      throwsTyped(() => m.updateSync([good], [pred], [1]), ArgumentError, /sampleWeight/);
      throwsTyped(() => new MeanAveragePrecision({ boxFormat: 'xy' }), ArgumentError, /options\.boxFormat/);
      await rejectsTyped(m.update(good, { ...pred, boxes: 'x' }), ArgumentError, /yPred\[0\]\.boxes/);
      assert.equal(m.result().images, 0, 'nothing was added by the failed updates');
    });

    it('rejects states that are not well formed instead of reading past them', () => {
      const json = new MeanAveragePrecision().toJSON();
      for (const records of [
        [[1, 5, 0, 0, 0, 0]],
        [[1, 1, 0, 0, 0, 0, 0.5, 1 << 21, 0, 0, 0]],
        [[0.5, 0, 0, 0, 0, 0]],
        [[1, 2, 3]],
      ]) {
        throwsTyped(
          () => Metric.fromJSON({ ...json, state: { images: 1, records } }),
          ArgumentError,
          /not a MeanAveragePrecision state/,
        );
      }
      throwsTyped(
        () => Metric.fromJSON({ ...json, state: { images: 1, records: [['a']] } }),
        ArgumentError,
        /records\[0\]\[0\]/,
      );
      throwsTyped(() => Metric.fromJSON({ ...json, state: { images: -1, records: [] } }), ArgumentError, /images/);
      throwsTyped(
        () => Metric.fromJSON({ ...json, state: { images: 0, records: [], extra: 1 } }),
        ArgumentError,
        /extra/,
      );
    });
  });
});
