// tfcv's metrics against the Python reference (test/fixtures/reference/metrics/, made by
// scripts/fixtures/make_metrics.py): the original use cases' cv2 code for circularity,
// segmentation accuracy and average pixel value, and Keras for MeanIoU / IoU /
// BinaryAccuracy / Precision / Recall, on the same committed images, masks and segnet
// predictions. Every value within 1e-6 relative; confusion matrices exactly.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv } = require('./helpers');
const {
  Mat,
  Tensor,
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
} = tfcv;

const DIR = path.join(__dirname, 'fixtures/reference/metrics');
const ref = JSON.parse(fs.readFileSync(path.join(DIR, 'values.json'), 'utf8'));
const TOLERANCE = 1e-6;

// The largest relative difference seen per metric, printed at the end (the closing note's table).
const worst = new Map();
function close(actual, expected, label, metric) {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${label}: expected an undefined value (NaN), got ${actual}`);
    return;
  }
  const diff = Math.abs(actual - expected);
  const rel = expected === 0 ? diff : diff / Math.abs(expected);
  worst.set(metric, Math.max(worst.get(metric) ?? 0, rel));
  assert.ok(
    rel <= TOLERANCE || diff <= 1e-12,
    `${label}: ${actual} vs Python ${expected} (relative difference ${rel})`,
  );
}

const readPngs = (sub, flags) =>
  ref.files.map((f) => Mat.decodeSync(fs.readFileSync(path.join(DIR, sub, f)), { flags }));
const bin = (file, dtype, shape) => Tensor.from(fs.readFileSync(path.join(DIR, file)), { dtype, shape });
// Class ids 0 / 1 from 0 / 255 PNGs, as one uint8 batch tensor [N,64,64].
function ids(mats) {
  const t = Tensor.alloc('uint8', [mats.length, 64, 64]);
  mats.forEach((m, i) =>
    t.data.set(
      m.data.map((x) => (x > 0 ? 1 : 0)),
      i * 4096,
    ),
  );
  return t;
}

describe('metrics equal the Python reference (cv2 and Keras, 1e-6 relative)', () => {
  let images, masks, predicted, probabilities, truthIds, predictedIds, classes4, predicted4;
  before(() => {
    images = readPngs('images', 'color');
    masks = readPngs('masks', 'grayscale');
    predicted = readPngs('predicted', 'grayscale');
    probabilities = bin('probabilities.bin', 'float32', ref.shapes.probabilities);
    truthIds = ids(masks);
    predictedIds = ids(predicted);
    classes4 = bin('classes4.bin', 'uint8', ref.shapes.classes4);
    predicted4 = bin('predicted4.bin', 'uint8', ref.shapes.classes4);
  });
  after(() => {
    for (const x of [...images, ...masks, ...predicted, probabilities, truthIds, predictedIds, classes4, predicted4])
      x.dispose();
    const lines = [...worst].map(([k, v]) => `      ${k.padEnd(24)} ${v.toExponential(2)}`);
    console.log(`    max relative difference vs Python:\n${lines.join('\n')}`);
  });

  describe('Circularity of the largest contour (emptyPolicy zero = the original code)', () => {
    const cases = [
      ['true masks (uint8 0/255, threshold 127)', () => masks, 'masks'],
      ['BGR images (gray conversion, threshold 127)', () => images, 'images'],
      ['segnet probabilities (float32 [N,64,64,1], threshold 0.5)', () => probabilities, 'probabilities'],
    ];
    for (const [title, input, key] of cases) {
      it(`per image and mean: ${title}`, async () => {
        const expected = ref.circularity[key];
        const metric = new Circularity();
        const perImage = await metric.update(null, input());
        perImage.forEach((c, i) => close(c, expected.per_image[i], `${key}[${i}]`, 'circularity'));
        const r = metric.result();
        close(r.value, expected.mean, `${key} mean`, 'circularity');
        assert.equal(r.images, ref.files.length);
        assert.equal(r.empty, expected.empty_images.length);
        assert.equal(r.counted, ref.files.length);
      });
    }

    it("emptyPolicy 'skip' leaves the image without a contour out of the mean", () => {
      const expected = ref.circularity.masks;
      const metric = new Circularity({ emptyPolicy: 'skip' });
      metric.updateSync(null, masks);
      const kept = expected.per_image.filter((_, i) => !expected.empty_images.includes(i));
      close(metric.result().value, kept.reduce((a, b) => a + b, 0) / kept.length, 'skip mean', 'circularity');
      assert.equal(metric.result().counted, kept.length);
    });
  });

  describe('SegmentationAccuracy from a pixel count', () => {
    it('BGR images, threshold 100, minPixels 500 (the original defaults)', () => {
      const e = ref.segmentation_accuracy.images;
      const metric = new SegmentationAccuracy();
      const perImage = metric.updateSync(ref.labels, images);
      assert.deepEqual(
        perImage,
        e.predictions.map((p, i) => (p === ref.labels[i] ? 1 : 0)),
      );
      close(metric.result().value, e.value, 'images', 'segmentation-accuracy');
    });

    it('predicted masks (0/255 PNGs), minPixels 150', () => {
      const e = ref.segmentation_accuracy.predicted;
      const metric = new SegmentationAccuracy({ minPixels: e.min_pixels });
      metric.updateSync(Tensor.from(ref.labels, { dtype: 'int32' }), predicted);
      close(metric.result().value, e.value, 'predicted', 'segmentation-accuracy');
    });

    it('float probabilities with the automatic threshold 0.5', () => {
      const e = ref.segmentation_accuracy.probabilities;
      const metric = new SegmentationAccuracy({ minPixels: e.min_pixels });
      metric.updateSync(
        ref.labels.map((l) => l === 1),
        probabilities,
      );
      close(metric.result().value, e.value, 'probabilities', 'segmentation-accuracy');
    });
  });

  it('AvgPixelValue: exact pixel mean and the original mean of batch means, over unequal updates', () => {
    const pixels = new AvgPixelValue();
    const batches = new AvgPixelValue({ average: 'batches' });
    let start = 0;
    for (const size of ref.avg_pixel_value.batches) {
      const batch = images.slice(start, start + size);
      pixels.updateSync(null, batch);
      batches.updateSync(null, batch);
      start += size;
    }
    close(pixels.result().value, ref.avg_pixel_value.pixels, 'pixels', 'avg-pixel-value');
    close(batches.result().value, ref.avg_pixel_value.mean_of_batch_means, 'batch means', 'avg-pixel-value');
    assert.equal(pixels.result().pixels, 24 * 64 * 64 * 3);
  });

  describe('binary masks: Keras and the docs/METRICS.md formulas', () => {
    const b = ref.binary;

    it('ConfusionMatrix equals NumPy exactly', () => {
      const m = new ConfusionMatrix(2);
      m.updateSync(truthIds, predictedIds);
      assert.deepEqual(m.result().matrix, b.confusion_matrix);
    });

    it('MeanIoU and per-class IoU equal Keras', async () => {
      const mean = new MeanIoU(2);
      await mean.update(truthIds, predictedIds);
      close(mean.result().value, b.keras_mean_iou, 'MeanIoU', 'mean-iou');
      for (const c of [0, 1]) {
        const iou = new IoU(2, { targetClassIds: [c] });
        iou.updateSync(truthIds, predictedIds);
        close(iou.result().value, b.keras_iou_per_class[c], `IoU class ${c}`, 'iou');
      }
    });

    it('the same matrix from probabilities (threshold 0.5) and from 2-class scores (argmax)', () => {
      const fromProbabilities = new MeanIoU(2);
      fromProbabilities.updateSync(truthIds, probabilities);
      close(fromProbabilities.result().value, b.keras_mean_iou, 'MeanIoU from probabilities', 'mean-iou');
      // segnet's `classes` output is [1 - p, p]: argmax picks class 1 exactly when p > 0.5.
      const p = probabilities.data;
      const scores = Tensor.alloc('float32', [24, 64, 64, 2]);
      for (let i = 0; i < p.length; i++) {
        scores.data[i * 2] = 1 - p[i];
        scores.data[i * 2 + 1] = p[i];
      }
      const fromScores = new ConfusionMatrix(2);
      fromScores.updateSync(truthIds, scores);
      assert.deepEqual(fromScores.result().matrix, b.confusion_matrix);
      scores.dispose();
    });

    it('Dice and PixelAccuracy equal the formulas', () => {
      const dice = new Dice(2);
      dice.updateSync(truthIds, predictedIds);
      dice.result().perClass.forEach((d, c) => close(d, b.dice_per_class[c], `Dice class ${c}`, 'dice'));
      const accuracy = new PixelAccuracy();
      accuracy.updateSync(truthIds, predictedIds);
      close(accuracy.result().value, b.pixel_accuracy, 'PixelAccuracy', 'pixel-accuracy');
    });

    it('BinaryAccuracy, Precision and Recall on probabilities equal Keras', () => {
      for (const [Metric, key, name] of [
        [BinaryAccuracy, 'keras_binary_accuracy', 'binary-accuracy'],
        [Precision, 'keras_precision', 'precision'],
        [Recall, 'keras_recall', 'recall'],
      ]) {
        const m = new Metric();
        m.updateSync(truthIds, probabilities);
        close(m.result().value, b[key], name, name);
      }
    });
  });

  describe('four classes with an ignored class and a class that never occurs', () => {
    const f = ref.four_class;

    it('MeanIoU(4, { ignoreClass: 255 }) equals Keras; the absent class is left out of the mean', () => {
      const m = new MeanIoU(4, { ignoreClass: f.ignore_class });
      m.updateSync(classes4, predicted4);
      close(m.result().value, f.keras_mean_iou, 'MeanIoU 4 classes', 'mean-iou');
      assert.equal(m.result().validClasses, 3);
      m.result().perClass.forEach((x, c) => close(x, f.iou_per_class[c], `IoU class ${c}`, 'iou'));
      assert.deepEqual(m.matrix(), f.confusion_matrix);
    });

    it('Dice and PixelAccuracy with the ignored class', () => {
      const dice = new Dice(4, { ignoreClass: 255 });
      dice.updateSync(classes4, predicted4);
      dice.result().perClass.forEach((x, c) => close(x, f.dice_per_class[c], `Dice class ${c}`, 'dice'));
      const accuracy = new PixelAccuracy({ numClasses: 4, ignoreClass: 255 });
      accuracy.updateSync(classes4, predicted4);
      close(accuracy.result().value, f.pixel_accuracy, 'PixelAccuracy 4 classes', 'pixel-accuracy');
    });
  });
});
