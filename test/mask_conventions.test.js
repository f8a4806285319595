// No silent format mismatch in the metrics: the two traps of issue 11 and the rules that
// close them. A 0/255 PNG mask under MeanIoU(2, { ignoreClass: 255 }) used to give 0.497
// (every foreground pixel ignored); 0/1 truth masks under Circularity's threshold 127 used to
// be "empty" every one. Now: masks 'auto' | 'binary' | 'ids', typed errors naming the values
// seen, a 0/1 rule for the automatic threshold, and a warning for a one-sided threshold.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');
const {
  Mat,
  Tensor,
  MeanIoU,
  IoU,
  Dice,
  Precision,
  PixelAccuracy,
  ConfusionMatrix,
  Circularity,
  SegmentationAccuracy,
  Metric,
  ArgumentError,
} = tfcv;

const DIR = path.join(__dirname, 'fixtures/reference/metrics');
const ref = JSON.parse(fs.readFileSync(path.join(DIR, 'values.json'), 'utf8'));
const close = (a, b, label) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${label}: ${a} vs ${b}`);

function u8(n, rows, cols, f) {
  const t = Tensor.alloc('uint8', [n, rows, cols]);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t.data[i * rows * cols + r * cols + c] = f(i, r, c);
  return t;
}

// Catches the process warnings emitted while `fn` runs.
async function warningsDuring(fn) {
  const seen = [];
  const listener = (w) => seen.push(w);
  process.on('warning', listener);
  try {
    await fn();
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('mask conventions: no silent format mismatch in the metrics', () => {
  let masks, predicted, truthIds, predictedIds, probabilities, classes4, predicted4;
  before(() => {
    const read = (sub) =>
      ref.files.map((f) => Mat.decodeSync(fs.readFileSync(path.join(DIR, sub, f)), { flags: 'grayscale' }));
    masks = read('masks');
    predicted = read('predicted');
    const ids = (mats) => {
      const t = Tensor.alloc('uint8', [mats.length, 64, 64]);
      mats.forEach((m, i) =>
        t.data.set(
          m.data.map((x) => (x > 0 ? 1 : 0)),
          i * 4096,
        ),
      );
      return t;
    };
    truthIds = ids(masks);
    predictedIds = ids(predicted);
    probabilities = Tensor.from(fs.readFileSync(path.join(DIR, 'probabilities.bin')), {
      dtype: 'float32',
      shape: ref.shapes.probabilities,
    });
    classes4 = Tensor.from(fs.readFileSync(path.join(DIR, 'classes4.bin')), {
      dtype: 'uint8',
      shape: ref.shapes.classes4,
    });
    predicted4 = Tensor.from(fs.readFileSync(path.join(DIR, 'predicted4.bin')), {
      dtype: 'uint8',
      shape: ref.shapes.classes4,
    });
  });
  after(() => {
    for (const x of [...masks, ...predicted, truthIds, predictedIds, probabilities, classes4, predicted4]) x.dispose();
  });

  describe('trap 1: MeanIoU(2, { ignoreClass: 255 }) with 0/255 masks', () => {
    it('is an ArgumentError naming the values seen instead of 0.497 (masks auto, the default)', async () => {
      await rejectsTyped(
        new MeanIoU(2, { ignoreClass: 255 }).update(masks, probabilities),
        ArgumentError,
        /yTrue\[0\]: masks 'auto' cannot tell a binary 0\/255 mask from class ids with ignoreClass 255: the mask holds only the values 0, 255 .*masks: 'binary'.*masks: 'ids'/,
      );
    });

    it("is an ArgumentError at construction with masks 'binary' (255 is the foreground value)", () => {
      throwsTyped(
        () => new MeanIoU(2, { ignoreClass: 255, masks: 'binary' }),
        ArgumentError,
        /options.ignoreClass: 255 is a foreground value of a binary mask/,
      );
      throwsTyped(
        () => new Dice(2, { ignoreClass: 0, masks: 'binary' }),
        ArgumentError,
        /options.ignoreClass: 0 is the background of a binary mask/,
      );
    });

    it("gives Keras' value on the 0/255 PNGs with masks 'binary' and with the default 'auto', the same as 0/1 ids", async () => {
      for (const masksOption of ['binary', 'auto', undefined]) {
        const m = new MeanIoU(2, masksOption === undefined ? {} : { masks: masksOption });
        await m.update(masks, probabilities);
        const fromIds = new MeanIoU(2, { masks: 'ids' });
        await fromIds.update(truthIds, probabilities);
        assert.deepEqual(m.matrix(), fromIds.matrix(), `masks ${masksOption}`);
        close(m.result().value, ref.binary.keras_mean_iou, `masks ${masksOption}`);
      }
      // Predicted 0/255 masks as class ids are read the same way.
      const both = new MeanIoU(2);
      both.updateSync(masks, predicted);
      assert.deepEqual(both.matrix(), ref.binary.confusion_matrix);
    });

    it("'ids' keeps the explicit meaning: 255 is the ignored class (the old result, now only on request)", () => {
      const m = new MeanIoU(2, { ignoreClass: 255, masks: 'ids' });
      m.updateSync(masks, probabilities);
      assert.equal(m.matrix()[1][1] + m.matrix()[1][0], 0, 'every foreground pixel ignored, as asked');
    });

    it("'auto' reads class ids with an ignore label (0/1/255) as ids: Keras' four-class reference holds", () => {
      const m = new MeanIoU(4, { ignoreClass: 255 });
      m.updateSync(classes4, predicted4);
      assert.deepEqual(m.matrix(), ref.four_class.confusion_matrix);
      close(m.result().value, ref.four_class.keras_mean_iou, 'four-class mean IoU');
    });

    it("'auto' refuses values that are neither class ids nor a 0/1 or 0/255 mask, naming them", () => {
      throwsTyped(
        () =>
          new IoU(2).updateSync(
            u8(1, 2, 2, (i, r, c) => (c ? 128 : 0)),
            u8(1, 2, 2, () => 0),
          ),
        ArgumentError,
        /yTrue\[0\]: masks 'auto' found the values 0, 128 \(numClasses 2, ignoreClass none\): neither class ids 0..1 nor a 0\/1 or 0\/255 binary mask/,
      );
      throwsTyped(
        () =>
          new PixelAccuracy({ numClasses: 3 }).updateSync(
            u8(1, 2, 2, (i, r, c) => (c ? 255 : 0)),
            u8(1, 2, 2, () => 0),
          ),
        ArgumentError,
        /masks 'auto' found the values 0, 255 \(numClasses 3/,
      );
      // 'binary' takes any non-zero value as foreground.
      const m = new Precision({ masks: 'binary' });
      m.updateSync(
        u8(1, 2, 2, (i, r, c) => (c ? 128 : 0)),
        u8(1, 2, 2, (i, r, c) => (c ? 7 : 0)),
      );
      assert.equal(m.result().value, 1);
    });

    it("masks is part of the config: bad values, numClasses other than 2 with 'binary', merge and JSON", () => {
      throwsTyped(
        () => new MeanIoU(2, { masks: 'bin' }),
        ArgumentError,
        /options.masks: expected 'auto' \| 'binary' \| 'ids', got 'bin'/,
      );
      throwsTyped(
        () => new ConfusionMatrix(3, { masks: 'binary' }),
        ArgumentError,
        /options.masks: 'binary' masks have two classes/,
      );
      throwsTyped(
        () => new MeanIoU(2, { masks: 'binary' }).merge(new MeanIoU(2)),
        ArgumentError,
        /config masks "auto" into one with masks "binary"/,
      );
      const m = new MeanIoU(2, { masks: 'binary' });
      m.updateSync(masks, predicted);
      const back = Metric.fromJSON(JSON.parse(JSON.stringify(m)));
      assert.equal(back.config.masks, 'binary');
      assert.deepEqual(back.result(), m.result());
    });

    it('the per-image inspection runs on every image of a batch, async as sync, with Mats of any size', async () => {
      const mixed = [masks[0], Mat.fromBuffer(new Uint8Array([0, 1, 1, 0]), { rows: 2, cols: 2 })];
      const pred = [predicted[0], Mat.fromBuffer(new Uint8Array([0, 255, 0, 0]), { rows: 2, cols: 2 })];
      const a = new Dice(2);
      const b = new Dice(2);
      const perImage = await a.update(mixed, pred);
      assert.deepEqual(b.updateSync(mixed, pred), perImage);
      assert.deepEqual(a.matrix(), b.matrix());
      mixed[1].dispose();
      pred[1].dispose();
    });
  });

  describe("trap 2: Circularity of 0/1 truth masks (evaluate's onBatch truth)", () => {
    it("threshold 'auto' thresholds 0/1 masks at 0: the same values as the 0/255 PNGs under the original's 127", async () => {
      const fromIds = new Circularity();
      const perImage = await fromIds.update(null, truthIds);
      perImage.forEach((c, i) => close(c, ref.circularity.masks.per_image[i], `image ${i}`));
      assert.equal(fromIds.result().empty, ref.circularity.masks.empty_images.length);
      const bools = Tensor.from(
        Array.from(truthIds.data, (x) => x === 1),
        { shape: truthIds.shape, dtype: 'bool' },
      );
      assert.deepEqual(new Circularity().updateSync(null, bools), perImage);
      bools.dispose();
    });

    it('the defaults that reproduce the original still hold: 127 on grayscale images, 100 for segmentation accuracy', () => {
      const c = new Circularity();
      c.updateSync(null, masks);
      close(c.result().value, ref.circularity.masks.mean, 'circularity of 0/255 masks');
      const s = new SegmentationAccuracy({ minPixels: ref.segmentation_accuracy.predicted.min_pixels });
      s.updateSync(ref.labels, predicted);
      assert.equal(s.result().value, ref.segmentation_accuracy.predicted.value);
      // ... and the 0/1 masks give the same under 'auto'.
      const s01 = new SegmentationAccuracy({ minPixels: ref.segmentation_accuracy.predicted.min_pixels });
      s01.updateSync(ref.labels, predictedIds);
      assert.deepEqual(s01.result(), s.result());
    });

    it('an explicit threshold that leaves every pixel of a non-uniform integer image on one side warns (TFCV_THRESHOLD_ONE_SIDED)', async () => {
      const c = new Circularity({ threshold: 127 });
      const warnings = await warningsDuring(() => c.update(null, truthIds));
      assert.equal(c.result().empty, ref.files.length, 'as asked: nothing above 127');
      assert.equal(warnings.length, 1, 'one warning per metric, not per image');
      assert.equal(warnings[0].code, 'TFCV_THRESHOLD_ONE_SIDED');
      assert.match(
        warnings[0].message,
        /Circularity: threshold 127 puts every pixel of yPred\[0\] on the same side although its values vary/,
      );
      const s = new SegmentationAccuracy({ threshold: 100 });
      const more = await warningsDuring(() => s.updateSync(ref.labels, predictedIds));
      assert.equal(more.length, 1);
      assert.match(more[0].message, /SegmentationAccuracy: threshold 100/);
      // Uniform images (an empty mask) and float probabilities below the threshold are not suspicious.
      const quiet = await warningsDuring(() => {
        new Circularity({ threshold: 127 }).updateSync(
          null,
          u8(2, 4, 4, () => 0),
        );
        new Circularity().updateSync(null, Tensor.from(new Float32Array(16).fill(0.1), { shape: [1, 4, 4, 1] }));
      });
      assert.deepEqual(quiet, []);
    });
  });
});
