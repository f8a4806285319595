// The metric classes' behaviour: the inputs they accept, streaming and reset, sync and async
// twins, sample weights, the empty policies, state as JSON, merge rules, and every kind of
// bad input as a typed error naming the argument (never a crash).
'use strict';
const assert = require('node:assert/strict');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');
const {
  Mat,
  Tensor,
  Metric,
  Circularity,
  SegmentationAccuracy,
  AvgPixelValue,
  MeanIoU,
  IoU,
  Dice,
  PixelAccuracy,
  BinaryAccuracy,
  Precision,
  Recall,
  ConfusionMatrix,
  metricByName,
  METRIC_NAMES,
  syntheticShapes,
  ArgumentError,
  ShapeError,
  DTypeError,
  DisposedError,
} = tfcv;

/** A uint8 [n,h,w] tensor from a function of (image, row, col). */
function u8(n, h, w, f) {
  const t = Tensor.alloc('uint8', [n, h, w]);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) t.data[(i * h + r) * w + c] = f(i, r, c);
  return t;
}
/** A filled disc of radius rad at the centre of a size x size 0/255 Mat. */
function disc(size, rad) {
  const px = new Uint8Array(size * size);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) if ((r - size / 2) ** 2 + (c - size / 2) ** 2 <= rad * rad) px[r * size + c] = 255;
  return Mat.fromBuffer(px, { rows: size, cols: size });
}

describe('metrics', () => {
  describe('inputs: tensors, Mats and arrays of Mats give the same numbers', () => {
    it('a [N,H,W] tensor, a [N,H,W,1] tensor, Mats and one [H,W] image per update agree', () => {
      const mats = [disc(40, 12), disc(40, 6), disc(40, 15)];
      const nhw = Tensor.alloc('uint8', [3, 40, 40]);
      mats.forEach((m, i) => nhw.data.set(m.data, i * 1600));
      const nhwc = Tensor.from(nhw.data, { shape: [3, 40, 40, 1] });
      const perImage = new Circularity().updateSync(null, mats);
      assert.deepEqual(new Circularity().updateSync(null, nhw), perImage);
      assert.deepEqual(new Circularity().updateSync(null, nhwc), perImage);
      const single = new Circularity();
      for (let i = 0; i < 3; i++)
        single.updateSync(null, Tensor.from(nhw.data.subarray(i * 1600, (i + 1) * 1600), { shape: [40, 40] }));
      assert.equal(single.result().value, perImage.reduce((a, b) => a + b) / 3);
      assert.ok(perImage[0] > 0.85 && perImage[0] < 1.0, `a disc is nearly round: ${perImage[0]}`);
    });

    it('an ROI Mat (non-continuous rows) is measured in place, like its copy', () => {
      const big = disc(64, 20);
      const roi = big.roi({ x: 8, y: 8, width: 48, height: 48 });
      assert.equal(roi.isContinuous, false);
      assert.deepEqual(new Circularity().updateSync(null, roi), new Circularity().updateSync(null, roi.clone()));
      assert.deepEqual(
        new AvgPixelValue().updateSync(null, [roi]),
        new AvgPixelValue().updateSync(null, [roi.clone()]),
      );
    });

    it('update() (off the event loop) and updateSync() give identical states', async () => {
      const shapes = syntheticShapes(6, { seed: 3 });
      const masks = shapes.map((s) => s.mask);
      const ids = masks.map((m) => m.thresholdSync(0, 1));
      for (const make of [
        () => new Circularity(),
        () => new MeanIoU(2),
        () => new AvgPixelValue(),
        () => new SegmentationAccuracy({ minPixels: 200 }),
      ]) {
        const a = make();
        const b = make();
        const truth = a.usesTruth ? ids : null;
        const asyncValues = await a.update(truth, a instanceof MeanIoU ? ids : masks);
        const syncValues = b.updateSync(truth, b instanceof MeanIoU ? ids : masks);
        assert.deepEqual(asyncValues, syncValues);
        assert.deepEqual(a.toJSON(), b.toJSON());
      }
    });

    it('Keras-style aliases updateState / resetState', async () => {
      const m = new AvgPixelValue();
      await m.updateState(null, Tensor.from(new Uint8Array([2, 4]), { shape: [1, 1, 2] }));
      assert.equal(m.result().value, 3);
      m.resetState();
      assert.ok(Number.isNaN(m.result().value));
    });

    it('inputs stay pinned: disposing them while update() runs is safe', async () => {
      const t = u8(8, 128, 128, (i, r, c) => ((r - 64) ** 2 + (c - 64) ** 2 < 900 ? 255 : 0));
      const pending = new Circularity().update(null, t);
      t.dispose();
      const values = await pending;
      assert.equal(values.length, 8);
    });
  });

  describe('streaming: update, result, reset', () => {
    it('results accumulate over updates and reset() starts over', () => {
      const m = new PixelAccuracy();
      m.updateSync(
        u8(1, 2, 2, () => 1),
        u8(1, 2, 2, () => 1),
      );
      m.updateSync(
        u8(1, 2, 2, () => 1),
        u8(1, 2, 2, () => 0),
      );
      assert.deepEqual(m.result(), { value: 0.5, correct: 4, total: 8 });
      m.reset();
      assert.ok(Number.isNaN(m.result().value));
      assert.equal(m.result().total, 0);
    });

    it('an update still running when reset() is called is discarded', async () => {
      const m = new MeanIoU(2);
      const pending = m.update(
        u8(4, 64, 64, () => 1),
        u8(4, 64, 64, () => 1),
      );
      m.reset();
      const values = await pending;
      assert.deepEqual(values, [1, 1, 1, 1]);
      assert.deepEqual(m.matrix(), [
        [0, 0],
        [0, 0],
      ]);
    });

    it('an empty batch changes nothing', () => {
      const m = new Circularity();
      assert.deepEqual(m.updateSync(null, []), []);
      assert.deepEqual(m.updateSync(null, Tensor.alloc('uint8', [0, 8, 8])), []);
      assert.equal(m.result().images, 0);
      assert.ok(Number.isNaN(m.result().value));
    });
  });

  describe('Circularity', () => {
    const blank = () => Mat.zeros(16, 16);
    it("emptyPolicy: 'zero' (default) counts an image without a contour as 0, 'skip' leaves it out, 'nan' makes the mean NaN", () => {
      const inputs = () => [disc(40, 12), blank()];
      const zero = new Circularity();
      const [c] = zero.updateSync(null, inputs());
      assert.deepEqual(zero.result(), { value: c / 2, counted: 2, images: 2, empty: 1 });
      const skip = new Circularity({ emptyPolicy: 'skip' });
      const values = skip.updateSync(null, inputs());
      assert.ok(Number.isNaN(values[1]));
      assert.deepEqual(skip.result(), { value: c, counted: 1, images: 2, empty: 1 });
      const nan = new Circularity({ emptyPolicy: 'nan' });
      nan.updateSync(null, inputs());
      assert.ok(Number.isNaN(nan.result().value));
      assert.equal(nan.result().empty, 1);
    });

    it('a single pixel (zero perimeter) is empty too', () => {
      const px = Mat.zeros(9, 9);
      px.data[40] = 255;
      assert.deepEqual(new Circularity().updateSync(null, px), [0]);
      const skip = new Circularity({ emptyPolicy: 'skip' });
      skip.updateSync(null, px);
      assert.equal(skip.result().empty, 1);
    });

    it("threshold 'auto' is 127 for integer images and 0.5 for float probabilities; an explicit threshold applies to both", () => {
      const levels = Tensor.from(
        new Uint8Array(100).map((_, i) => (((i % 10) - 5) ** 2 + (Math.floor(i / 10) - 5) ** 2 <= 9 ? 120 : 0)),
        { shape: [1, 10, 10] },
      );
      assert.deepEqual(new Circularity().updateSync(null, levels), [0], '120 is not above 127');
      assert.ok(new Circularity({ threshold: 100 }).updateSync(null, levels)[0] > 0);
      const probabilities = Tensor.from(
        new Float32Array(levels.data).map((x) => x / 200),
        { shape: [1, 10, 10, 1] },
      );
      assert.ok(new Circularity().updateSync(null, probabilities)[0] > 0, '0.6 is above 0.5');
      assert.deepEqual(new Circularity({ threshold: 0.7 }).updateSync(null, probabilities), [0]);
    });

    it('the largest contour is the one measured; sample weights weight the mean', () => {
      const px = new Uint8Array(60 * 60);
      for (let r = 5; r < 15; r++) for (let c = 5; c < 45; c++) px[r * 60 + c] = 255; // a long bar
      for (let r = 20; r < 58; r++) for (let c = 10; c < 48; c++) px[r * 60 + c] = 255; // a bigger square
      const [c] = new Circularity().updateSync(null, Mat.fromBuffer(px, { rows: 60, cols: 60 }));
      assert.ok(Math.abs(c - Math.PI / 4) < 1e-9, `a square's circularity is pi/4, got ${c}`);
      const weighted = new Circularity();
      const [a, b] = weighted.updateSync(null, [disc(40, 12), Mat.fromBuffer(px, { rows: 60, cols: 60 })], [3, 1]);
      assert.ok(Math.abs(weighted.result().value - (3 * a + b) / 4) < 1e-12);
    });
  });

  describe('SegmentationAccuracy', () => {
    it('labels as numbers, booleans, a [N] or [N,1] tensor, or derived from truth masks', () => {
      const big = disc(40, 15); // ~700 pixels
      const small = disc(40, 5); // ~80 pixels
      const pred = [big, small, big];
      const expectCorrect = (truth, correct) => {
        const m = new SegmentationAccuracy();
        m.updateSync(truth, pred);
        assert.equal(m.result().correct, correct, JSON.stringify(truth));
      };
      expectCorrect([1, 0, 0], 2);
      expectCorrect([true, false, true], 3);
      expectCorrect(Tensor.from(new Int32Array([1, 1, 1])), 2);
      expectCorrect(Tensor.from(new Float32Array([0, 0, 1]), { shape: [3, 1] }), 2);
      expectCorrect([big, small, small], 2); // masks: positive when > 500 non-zero pixels
      const m = new SegmentationAccuracy();
      m.updateSync([1, 0, 0], pred);
      assert.deepEqual(m.result(), {
        value: 2 / 3,
        correct: 2,
        total: 3,
        truePositives: 1,
        falsePositives: 1,
        trueNegatives: 1,
        falseNegatives: 0,
      });
    });

    it('minPixels and threshold are options; labels must be binary', () => {
      const m = new SegmentationAccuracy({ minPixels: 50 });
      m.updateSync([1], disc(40, 5));
      assert.equal(m.result().value, 1);
      throwsTyped(() => m.updateSync([2], disc(40, 5)), ArgumentError, /yTrue\[0\]: expected a binary label/);
      throwsTyped(
        () => m.updateSync(null, disc(40, 5)),
        ArgumentError,
        /yTrue: SegmentationAccuracy needs labels or truth masks/,
      );
      throwsTyped(
        () => m.updateSync([1, 0], disc(40, 5)),
        ShapeError,
        /one label or mask per image, got 2 in yTrue and 1 in yPred/,
      );
    });
  });

  describe('AvgPixelValue', () => {
    it("'pixels' is the exact mean over everything; 'batches' the original mean of update means", () => {
      const a = Tensor.from(new Uint8Array([0, 0, 0, 0]), { shape: [1, 2, 2] });
      const b = Tensor.from(new Uint8Array([10, 10]), { shape: [1, 1, 2] });
      const pixels = new AvgPixelValue();
      const batches = new AvgPixelValue({ average: 'batches' });
      for (const m of [pixels, batches]) {
        m.updateSync(null, a);
        m.updateSync(null, b);
      }
      assert.equal(pixels.result().value, 20 / 6);
      assert.equal(batches.result().value, 5);
      assert.deepEqual(
        pixels.updateSync(null, [Mat.fromBuffer(new Uint8Array([1, 2, 3, 6]), { rows: 2, cols: 2 })]),
        [3],
      );
    });

    it('int8 / float64 / int64 / bool pixels are summed in their own type', () => {
      const cases = [
        [Tensor.from(new Int8Array([-100, 50]), { shape: [1, 1, 2] }), -25],
        [Tensor.from(new Float64Array([0.25, 0.75]), { shape: [1, 1, 2] }), 0.5],
        [Tensor.from([5n, 7n], { dtype: 'int64', shape: [1, 1, 2] }), 6],
        [Tensor.from([true, false, true, true], { shape: [1, 2, 2] }), 0.75],
      ];
      for (const [t, mean] of cases) assert.equal(new AvgPixelValue().updateSync(null, t)[0], mean, t.dtype);
    });
  });

  describe('confusion-matrix metrics', () => {
    it('predictions: class ids, per-class scores (argmax, first maximum wins) and probabilities (> threshold)', () => {
      const truth = u8(1, 1, 4, (i, r, c) => [0, 1, 2, 2][c]);
      const ids = u8(1, 1, 4, (i, r, c) => [0, 1, 1, 2][c]);
      const scores = Tensor.from(new Float32Array([0.9, 0.1, 0, 0.2, 0.7, 0.1, 0.3, 0.3, 0.3, 0, 0.1, 0.9]), {
        shape: [1, 1, 4, 3],
      });
      const a = new ConfusionMatrix(3);
      a.updateSync(truth, ids);
      const b = new ConfusionMatrix(3);
      b.updateSync(truth, scores);
      assert.deepEqual(a.result().matrix, [
        [1, 0, 0],
        [0, 1, 0],
        [0, 1, 1],
      ]);
      assert.deepEqual(
        b.result().matrix,
        [
          [1, 0, 0],
          [0, 1, 0],
          [1, 0, 1],
        ],
        'a tie picks the first class',
      );
      const p = new ConfusionMatrix(2, { threshold: 0.6 });
      p.updateSync(
        u8(1, 1, 3, () => 1),
        Tensor.from(new Float32Array([0.5, 0.6, 0.61]), { shape: [1, 1, 3] }),
      );
      assert.deepEqual(p.result().matrix, [
        [0, 0],
        [2, 1],
      ]);
      const forced = new ConfusionMatrix(3, { predictions: 'class-ids' });
      forced.updateSync(truth, Tensor.from(new Float32Array([0, 1, 1, 2]), { shape: [1, 1, 4] }));
      assert.deepEqual(forced.result().matrix, a.result().matrix);
    });

    it('MeanIoU: the ignored class is left out; classes absent from truth and prediction are excluded from the mean', () => {
      const truth = u8(1, 1, 6, (i, r, c) => [0, 0, 1, 1, 255, 255][c]);
      const pred = u8(1, 1, 6, (i, r, c) => [0, 1, 1, 1, 2, 2][c]);
      const m = new MeanIoU(3, { ignoreClass: 255 });
      m.updateSync(truth, pred);
      const r = m.result();
      assert.deepEqual(r.perClass.slice(0, 2), [1 / 2, 2 / 3]);
      assert.ok(Number.isNaN(r.perClass[2]));
      assert.equal(r.validClasses, 2);
      assert.equal(r.value, (1 / 2 + 2 / 3) / 2);
      const empty = new MeanIoU(2, { emptyPolicy: 'nan' });
      assert.ok(Number.isNaN(empty.result().value));
      assert.equal(new MeanIoU(2).result().value, 0, "Keras' 0 before any pixel");
    });

    it('IoU, Dice, precision, recall and binary accuracy read the same matrix', () => {
      const truth = u8(1, 1, 8, (i, r, c) => [1, 1, 1, 1, 0, 0, 0, 0][c]);
      const pred = u8(1, 1, 8, (i, r, c) => [1, 1, 1, 0, 1, 0, 0, 0][c]); // TP 3, FN 1, FP 1, TN 3
      const read = (m) => (m.updateSync(truth, pred), m.result());
      assert.equal(read(new IoU(2, { targetClassIds: [1] })).value, 3 / 5);
      assert.equal(read(new Dice(2, { targetClassIds: [1] })).value, 6 / 8);
      assert.deepEqual(read(new Precision()), { value: 3 / 4, truePositives: 3, falsePositives: 1 });
      assert.deepEqual(read(new Recall()), { value: 3 / 4, truePositives: 3, falseNegatives: 1 });
      assert.equal(read(new BinaryAccuracy()).value, 6 / 8);
      assert.equal(read(new Precision({ classId: 0 })).value, 3 / 4);
      assert.equal(new Precision().result().value, 0, 'Keras: an empty denominator is 0');
      assert.ok(Number.isNaN(new Recall({ emptyPolicy: 'nan' }).result().value));
    });

    it('sample weights scale each image’s pixels; weight 0 leaves an image out', () => {
      const truth = u8(2, 1, 2, (i) => i);
      const pred = u8(2, 1, 2, () => 1);
      const m = new ConfusionMatrix(2);
      m.updateSync(truth, pred, [0.5, 2]);
      assert.deepEqual(m.result().matrix, [
        [0, 1],
        [0, 4],
      ]);
      const skip = new ConfusionMatrix(2);
      skip.updateSync(truth, pred, new Float64Array([0, 1]));
      assert.deepEqual(skip.result().matrix, [
        [0, 0],
        [0, 2],
      ]);
    });

    it('per-sample values are the metric of each image alone', () => {
      const truth = u8(2, 1, 2, (i, r, c) => (i === 0 ? 1 : c));
      const pred = u8(2, 1, 2, () => 1);
      assert.deepEqual(new MeanIoU(2).updateSync(truth, pred), [1, 0.25]);
    });
  });

  describe('each metric describes itself (what evaluate() and the results table ask)', () => {
    it("details(result) states the counts behind the value, in the metric's own terms", () => {
      const shapes = syntheticShapes(4, { seed: 3 });
      const ids = shapes.map((s) => s.mask.thresholdSync(0, 1));
      const pred = u8(4, 64, 64, (i, r, c) => (r < 32 && c < 32 ? 1 : 0));
      const expected = {
        circularity: /^4\/4 images counted, 0 without a contour \(emptyPolicy zero\)$/,
        'segmentation-accuracy': /^\d+\/4 samples \(TP \d+, FP \d+, TN \d+, FN \d+\)$/,
        'avg-pixel-value': /^16384 values, 1 batches \(average: pixels\)$/,
        'mean-iou': /^per class: 0\.\d{4} 0\.\d{4}$/,
        iou: /^per class: 0\.\d{4} 0\.\d{4}$/,
        dice: /^per class: 0\.\d{4} 0\.\d{4}$/,
        'pixel-accuracy': /^\d+\/16384 pixels$/,
        'binary-accuracy': /^\d+\/16384 pixels$/,
        precision: /^TP \d+, FP \d+ pixels$/,
        recall: /^TP \d+, FN \d+ pixels$/,
        'confusion-matrix': /^rows = truth: \[\[\d+,\d+\],\[\d+,\d+\]\]$/,
      };
      assert.deepEqual(Object.keys(expected).sort(), [...METRIC_NAMES].sort());
      for (const name of METRIC_NAMES) {
        const m = metricByName(name);
        m.updateSync(m.usesTruth ? ids : null, m.kind === 'Circularity' || m.kind === 'AvgPixelValue' ? ids : pred);
        assert.match(m.details(), expected[name], name);
      }
      const matrix = new ConfusionMatrix(2);
      matrix.updateSync(
        u8(1, 1, 4, (i, r, c) => [0, 0, 1, 1][c]),
        u8(1, 1, 4, (i, r, c) => [0, 1, 1, 1][c]),
      );
      assert.equal(matrix.details(), 'rows = truth: [[1,1],[0,2]]');
    });

    it('metricByName refuses settings that are not an options object (found by the long fuzz run)', () => {
      for (const settings of [null, 5, 'x', [1]]) {
        assert.throws(
          () => metricByName('mean-iou', settings),
          (e) => e instanceof ArgumentError && /settings: expected an options object/.test(e.message),
        );
      }
    });

    it('truthInputs names the truth update() accepts: labels only where a metric reads them', () => {
      for (const name of METRIC_NAMES) {
        const m = metricByName(name);
        assert.deepEqual([...m.truthInputs], m.kind === 'SegmentationAccuracy' ? ['masks', 'labels'] : ['masks'], name);
      }
    });
  });

  describe('state: toJSON / fromJSON and merge', () => {
    it('every metric survives a JSON round trip with its name, config and state', () => {
      const shapes = syntheticShapes(3, { seed: 9 });
      const ids = shapes.map((s) => s.mask.thresholdSync(0, 1));
      for (const name of METRIC_NAMES) {
        const m = metricByName(name);
        m.updateSync(m.usesTruth ? ids : null, ids);
        const copy = Metric.fromJSON(JSON.stringify(m.toJSON()));
        assert.equal(copy.kind, m.kind);
        assert.equal(copy.name, m.name);
        assert.deepEqual(copy.config, m.config);
        assert.deepEqual(copy.result(), m.result(), name);
        assert.deepEqual(copy.toJSON(), m.toJSON());
      }
    });

    it('merge() adds states: the matrix of A merged with B equals one metric updated with both', () => {
      const a = new MeanIoU(2);
      const b = new MeanIoU(2);
      const both = new MeanIoU(2);
      const t1 = u8(1, 2, 2, () => 1);
      const t2 = u8(1, 2, 2, (i, r) => r);
      a.updateSync(t1, t2);
      b.updateSync(t2, t2);
      both.updateSync(t1, t2);
      both.updateSync(t2, t2);
      assert.equal(a.merge(b), a);
      assert.deepEqual(a.toJSON(), both.toJSON());
    });

    it('merging a different kind or config is a typed error naming what differs', () => {
      throwsTyped(
        () => new MeanIoU(2).merge(new Dice(2)),
        ArgumentError,
        /others\[0\]: cannot merge a Dice into a MeanIoU/,
      );
      throwsTyped(
        () => new MeanIoU(2).merge(new MeanIoU(3)),
        ArgumentError,
        /config numClasses 3 into one with numClasses 2/,
      );
      throwsTyped(
        () => new Circularity().merge(new Circularity(), new Circularity({ emptyPolicy: 'skip' })),
        ArgumentError,
        /others\[1\].*emptyPolicy "skip"/,
      );
      throwsTyped(() => new Circularity().merge({}), ArgumentError, /others\[0\]: expected a Metric/);
    });

    it('fromJSON rejects what is not a metric state', () => {
      const good = new MeanIoU(2).toJSON();
      throwsTyped(() => Metric.fromJSON('{'), ArgumentError, /json: not valid JSON/);
      throwsTyped(() => Metric.fromJSON(null), ArgumentError, /json: expected a metric state object/);
      throwsTyped(() => Metric.fromJSON({ ...good, kind: 'Nope' }), ArgumentError, /json.kind: expected one of/);
      throwsTyped(() => Metric.fromJSON({ ...good, version: 2 }), ArgumentError, /json.version: expected 1/);
      throwsTyped(
        () => Metric.fromJSON({ ...good, config: { ...good.config, numClasses: 0 } }),
        ArgumentError,
        /numClasses/,
      );
      throwsTyped(
        () => Metric.fromJSON({ ...good, config: { ...good.config, typo: 1 } }),
        ArgumentError,
        /options.typo: unknown option/,
      );
      throwsTyped(
        () => Metric.fromJSON({ ...good, state: { matrix: [[1, 2]] } }),
        ArgumentError,
        /json.state.matrix: expected a 2x2 matrix/,
      );
      throwsTyped(
        () =>
          Metric.fromJSON({
            ...good,
            state: {
              matrix: [
                [1, -2],
                [0, 0],
              ],
            },
          }),
        ArgumentError,
        /json.state.matrix\[0\]\[1\]: expected a count >= 0/,
      );
      throwsTyped(
        () => Metric.fromJSON({ ...new Circularity().toJSON(), state: { sum: 'x' } }),
        ArgumentError,
        /json.state.sum: expected a finite number/,
      );
      throwsTyped(
        () => Metric.fromJSON({ ...new Circularity().toJSON(), state: { extra: 1 } }),
        ArgumentError,
        /json.state.extra: not part of a Circularity state/,
      );
    });
  });

  describe('bad input is a typed error naming the argument', () => {
    it('shapes that disagree between truth and prediction', () => {
      const m = new MeanIoU(2);
      throwsTyped(
        () =>
          m.updateSync(
            u8(2, 4, 4, () => 0),
            u8(3, 4, 4, () => 0),
          ),
        ShapeError,
        /yTrue \/ yPred: expected the same number of images, got 2 in yTrue and 3 in yPred/,
      );
      throwsTyped(
        () =>
          m.updateSync(
            u8(1, 4, 4, () => 0),
            u8(1, 4, 5, () => 0),
          ),
        ShapeError,
        /image 0 is 4x4 .* in yTrue but 4x5 in yPred/,
      );
      throwsTyped(() => m.updateSync([Mat.zeros(4, 4)], [Mat.zeros(5, 4)]), ShapeError, /image 0 is 4x4/);
      throwsTyped(
        () =>
          m.updateSync(
            Tensor.alloc('uint8', [1, 4, 4, 2]),
            u8(1, 4, 4, () => 0),
          ),
        ShapeError,
        /yTrue: class ids need one channel, got 2/,
      );
      throwsTyped(
        () =>
          m.updateSync(
            u8(1, 4, 4, () => 0),
            Tensor.alloc('float32', [1, 4, 4, 3]),
          ),
        ShapeError,
        /yPred: float predictions need 1 channel .* or numClasses = 2 channels/,
      );
      throwsTyped(
        () =>
          m.updateSync(
            u8(1, 4, 4, () => 0),
            Tensor.alloc('uint8', [4]),
          ),
        ShapeError,
        /yPred: expected a batch \[N,H,W\]/,
      );
      throwsTyped(
        () => new Circularity().updateSync(null, Tensor.alloc('uint8', [1, 4, 4, 2])),
        ShapeError,
        /yPred\[0\]: expected 1 \(gray\), 3 \(BGR\) or 4 \(BGRA\) channels, got 2/,
      );
    });

    it('wrong dtypes', () => {
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            Tensor.from(['a'], { shape: [1, 1, 1] }),
            u8(1, 1, 1, () => 0),
          ),
        DTypeError,
        /yTrue: expected a numeric tensor, got a string tensor/,
      );
      throwsTyped(
        () =>
          new MeanIoU(2, { predictions: 'scores' }).updateSync(
            u8(1, 1, 1, () => 0),
            Tensor.alloc('uint8', [1, 1, 1, 2]),
          ),
        DTypeError,
        /yPred: per-class scores must be float, got uint8/,
      );
      throwsTyped(
        () => new Circularity().updateSync(null, Tensor.alloc('int64', [1, 4, 4])),
        DTypeError,
        /yPred: circularity needs pixels OpenCV can read .* got int64/,
      );
      throwsTyped(
        () => new Circularity().updateSync(null, [Mat.zeros(4, 4), Mat.zeros(4, 4, { dtype: 'float32' })]),
        DTypeError,
        /yPred\[1\]: every Mat of a batch needs one dtype/,
      );
      throwsTyped(
        () =>
          new MeanIoU(3).updateSync(
            u8(1, 1, 1, () => 0),
            Tensor.alloc('float32', [1, 1, 1, 1]),
          ),
        ArgumentError,
        /needs numClasses 2 \(got 3\)/,
      );
    });

    it('class ids out of range, fractional ids and NaN predictions', () => {
      throwsTyped(
        () =>
          new MeanIoU(2, { masks: 'ids' }).updateSync(
            u8(1, 2, 2, (i, r, c) => (r && c ? 255 : 0)),
            u8(1, 2, 2, () => 0),
          ),
        ArgumentError,
        /yTrue\[0\]: class id 255 at row 1, col 1 is outside 0..1 \(numClasses 2\); for 0\/255 masks pass masks: 'binary'/,
      );
      throwsTyped(
        () =>
          new MeanIoU(2, { masks: 'ids' }).updateSync(
            u8(1, 1, 2, () => 0),
            u8(1, 1, 2, (i, r, c) => c * 7),
          ),
        ArgumentError,
        /yPred\[0\]: predicted class id 7 at row 0, col 1 is outside 0..1/,
      );
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            u8(1, 1, 2, () => 0),
            u8(1, 1, 2, (i, r, c) => c * 7),
          ),
        ArgumentError,
        /yPred\[0\]: masks 'auto' found the values 0, 7 \(numClasses 2\)/,
      );
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            Tensor.from(new Float32Array([0, 0.5]), { shape: [1, 1, 2] }),
            u8(1, 1, 2, () => 0),
          ),
        ArgumentError,
        /yTrue\[0\]: class ids must be integers, got 0.5/,
      );
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            Tensor.from(new Int32Array([0, -1]), { shape: [1, 1, 2] }),
            u8(1, 1, 2, () => 0),
          ),
        ArgumentError,
        /class id -1/,
      );
      const nan = Tensor.from(new Float32Array([0.2, NaN, 0.9, 0.1]), { shape: [1, 2, 2, 1] });
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            u8(1, 2, 2, () => 0),
            nan,
          ),
        ArgumentError,
        /yPred\[0\]: NaN at row 0, col 1/,
      );
      throwsTyped(() => new Circularity().updateSync(null, nan), ArgumentError, /yPred\[0\]: NaN at row 0, col 1/);
      const wide = Tensor.alloc('float32', [2, 40, 100, 1]);
      wide.data.fill(0.25);
      wide.data[4000 + 10 * 100 + 37] = NaN; // image 1, row 10, col 37: inside the vectorised part of a row
      throwsTyped(() => new Circularity().updateSync(null, wide), ArgumentError, /yPred\[1\]: NaN at row 10, col 37/);
      throwsTyped(
        () => new SegmentationAccuracy({ minPixels: 1 }).updateSync([0], nan),
        ArgumentError,
        /yPred\[0\]: NaN/,
      );
      throwsTyped(() => new AvgPixelValue().updateSync(null, nan), ArgumentError, /yPred\[0\]: NaN at row 0, col 1/);
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            u8(1, 1, 2, () => 0),
            Tensor.from(new Float32Array([0.1, 0.2, NaN, 0.3]), { shape: [1, 1, 2, 2] }),
          ),
        ArgumentError,
        /NaN score for class 0 at row 0, col 1/,
      );
    });

    it('disposed tensors and Mats', async () => {
      const t = u8(1, 2, 2, () => 0);
      t.dispose();
      throwsTyped(
        () =>
          new MeanIoU(2).updateSync(
            t,
            u8(1, 2, 2, () => 0),
          ),
        DisposedError,
        /yTrue: the Tensor was disposed/,
      );
      await rejectsTyped(new Circularity().update(null, t), DisposedError, /yPred: the Tensor was disposed/);
      const m = Mat.zeros(2, 2);
      m.dispose();
      throwsTyped(
        () => new AvgPixelValue().updateSync(null, [Mat.zeros(2, 2), m]),
        DisposedError,
        /yPred\[1\]: the Mat was disposed/,
      );
      throwsTyped(
        () => new AvgPixelValue().updateSync(null, Tensor.alloc('uint8', [1, 1, 1]), t),
        DisposedError,
        /sampleWeight: the Tensor was disposed/,
      );
    });

    it('wrong types for inputs, weights and options', async () => {
      for (const bad of [undefined, null, 3, 'masks', {}, new Uint8Array(4), [1, 2]]) {
        throwsTyped(() => new Circularity().updateSync(null, bad), ArgumentError, /yPred/);
      }
      await rejectsTyped(
        new MeanIoU(2).update(
          'x',
          u8(1, 1, 1, () => 0),
        ),
        ArgumentError,
        /yTrue: expected a Tensor, a Mat or an array of Mats, got 'x'/,
      );
      const x = u8(2, 1, 1, () => 0);
      throwsTyped(
        () => new AvgPixelValue().updateSync(null, x, [1]),
        ShapeError,
        /sampleWeight: expected one weight per sample \(2\), got 1/,
      );
      throwsTyped(
        () => new AvgPixelValue().updateSync(null, x, [1, -1]),
        ArgumentError,
        /sampleWeight\[1\]: expected a finite number >= 0/,
      );
      throwsTyped(
        () => new AvgPixelValue().updateSync(null, x, 'heavy'),
        ArgumentError,
        /sampleWeight: expected an array of numbers/,
      );
      throwsTyped(() => new MeanIoU(0), ArgumentError, /numClasses: expected an integer in 1..4096, got number 0/);
      throwsTyped(() => new MeanIoU('2'), ArgumentError, /numClasses/);
      throwsTyped(() => new MeanIoU(2, { ignore: 255 }), ArgumentError, /options.ignore: unknown option/);
      throwsTyped(
        () => new MeanIoU(2, { predictions: 'logits' }),
        ArgumentError,
        /options.predictions: expected 'auto' \| 'class-ids' \| 'scores' \| 'probability'/,
      );
      throwsTyped(
        () => new Circularity({ emptyPolicy: 'drop' }),
        ArgumentError,
        /options.emptyPolicy: expected 'skip' \| 'zero' \| 'nan'/,
      );
      throwsTyped(
        () => new Circularity({ threshold: NaN }),
        ArgumentError,
        /options.threshold: expected a finite number or 'auto'/,
      );
      throwsTyped(() => new AvgPixelValue({ average: 'median' }), ArgumentError, /options.average/);
      throwsTyped(
        () => new IoU(2, { targetClassIds: [2] }),
        ArgumentError,
        /options.targetClassIds\[0\]: expected an integer in 0..1/,
      );
      throwsTyped(() => new Precision({ classId: 5 }), ArgumentError, /options.classId/);
      throwsTyped(() => new SegmentationAccuracy({ minPixels: -1 }), ArgumentError, /options.minPixels/);
      throwsTyped(() => new Circularity({ name: '' }), ArgumentError, /options.name/);
      throwsTyped(() => metricByName('f1'), ArgumentError, /metric: expected one of circularity, /);
    });

    it('the raw native kernels survive garbage arguments', () => {
      const { native } = require('../dist/native');
      const garbage = [undefined, null, 1, 'x', {}, [], [1], [{}], new Uint8Array(2), () => 0];
      for (const name of [
        'metricCircularity',
        'metricPixelCount',
        'metricPixelSum',
        'metricConfusion',
        'preprocess',
        'evalMaskBatch',
        'demoShapes',
        'demoOverlayPng',
      ]) {
        for (const a of garbage) {
          for (const b of garbage) {
            try {
              native[name](a, b, b, a, b, a, b, a);
            } catch (error) {
              assert.ok(
                error instanceof tfcv.TfcvError,
                `${name}(${typeof a}, ${typeof b}) threw ${error && error.name}: ${error && error.message}`,
              );
            }
          }
        }
      }
    });
  });
});
