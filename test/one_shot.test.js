// One-shot measurements (circularity, foregroundFraction, meanIoU, dice and their sync
// twins) equal the metric classes' per-sample values and the seeds' cv2 / Keras code on one
// image (test/fixtures/reference/metrics/one_shot.json, made by scripts/fixtures/make_one_shot.py).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');
const { Mat, Tensor, Circularity, MeanIoU, Dice, ArgumentError, ShapeError, DisposedError } = tfcv;
const {
  circularity,
  circularitySync,
  foregroundFraction,
  foregroundFractionSync,
  meanIoU,
  meanIoUSync,
  dice,
  diceSync,
} = tfcv;

const DIR = path.join(__dirname, 'fixtures/reference/metrics');
const ref = JSON.parse(fs.readFileSync(path.join(DIR, 'values.json'), 'utf8'));
const one = JSON.parse(fs.readFileSync(path.join(DIR, 'one_shot.json'), 'utf8'));
const N = ref.files.length;

function close(actual, expected, label) {
  if (expected === null) return assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
  const diff = Math.abs(actual - expected);
  assert.ok(diff <= 1e-6 * Math.max(1, Math.abs(expected)), `${label}: ${actual} vs reference ${expected}`);
}

describe('one-shot measurements', () => {
  let images, masks, predicted, probabilities, classes4, predicted4;
  // One image of a batch tensor, as its own tensor of the given shape.
  const slice = (t, i, shape) => {
    const per = shape.reduce((a, b) => a * b, 1);
    return Tensor.from(t.data.slice(i * per, (i + 1) * per), { shape, dtype: t.dtype });
  };
  const ids = (m) =>
    Mat.fromBuffer(
      m.data.map((x) => (x > 0 ? 1 : 0)),
      { rows: m.rows, cols: m.cols },
    );

  before(() => {
    const read = (sub, flags) =>
      ref.files.map((f) => Mat.decodeSync(fs.readFileSync(path.join(DIR, sub, f)), { flags }));
    images = read('images', 'color');
    masks = read('masks', 'grayscale');
    predicted = read('predicted', 'grayscale');
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
    for (const x of [...images, ...masks, ...predicted, probabilities, classes4, predicted4]) x.dispose();
  });

  it("circularity(): the seeds' cv2 code per image and Circularity's per-sample values, for masks, 0/1 masks, BGR images and probabilities", async () => {
    const perSample = {
      masks: await new Circularity().update(null, masks),
      images: await new Circularity().update(null, images),
      probabilities: await new Circularity().update(null, probabilities),
    };
    for (let i = 0; i < N; i++) {
      const mask01 = ids(masks[i]);
      const prob = slice(probabilities, i, [64, 64, 1]); // [H,W,C]
      const probN = slice(probabilities, i, [1, 64, 64, 1]); // [1,H,W,C]
      const cases = [
        ['masks', masks[i], one.circularity.masks_127[i]],
        ['0/1 masks (auto: > 0)', mask01, one.circularity.mask_ids_0[i]],
        ['images', images[i], one.circularity.images_127[i]],
        ['probabilities [H,W,1]', prob, one.circularity.probabilities_05[i]],
        ['probabilities [1,H,W,1]', probN, one.circularity.probabilities_05[i]],
      ];
      for (const [label, input, expected] of cases) {
        const a = await circularity(input);
        const s = circularitySync(input);
        assert.equal(a, s, `${label}[${i}] async = sync`);
        close(a, expected, `${label}[${i}] vs cv2`);
      }
      assert.equal(await circularity(masks[i]), perSample.masks[i], `masks[${i}] = Circularity per sample`);
      assert.equal(await circularity(images[i]), perSample.images[i], `images[${i}] = Circularity per sample`);
      assert.equal(circularitySync(prob), perSample.probabilities[i], `probabilities[${i}] = Circularity per sample`);
      // The explicit 127 on a 0/1 mask is what the seeds' code gives (0), with a warning.
      close(circularitySync(mask01, { threshold: 127 }), one.circularity.mask_ids_127[i], `0/1 masks at 127 [${i}]`);
      for (const x of [mask01, prob, probN]) x.dispose();
    }
    const empty = ref.circularity.masks.empty_images[0];
    assert.ok(Number.isNaN(await circularity(masks[empty], { emptyPolicy: 'nan' })), "emptyPolicy 'nan'");
  });

  it("foregroundFraction(): countNonZero(threshold) / size as the seeds' cv2 code, auto threshold per dtype", async () => {
    for (let i = 0; i < N; i++) {
      const mask01 = ids(masks[i]);
      const prob = slice(probabilities, i, [1, 64, 64, 1]);
      const cases = [
        ['masks', masks[i], one.foreground_fraction.masks_127[i]],
        ['0/1 masks', mask01, one.foreground_fraction.mask_ids_0[i]],
        ['images (gray, 127)', images[i], one.foreground_fraction.images_127[i]],
        ['probabilities (0.5)', prob, one.foreground_fraction.probabilities_05[i]],
      ];
      for (const [label, input, expected] of cases) {
        const a = await foregroundFraction(input);
        assert.equal(a, foregroundFractionSync(input), `${label}[${i}] async = sync`);
        close(a, expected, `${label}[${i}]`);
      }
      close(
        foregroundFractionSync(images[i], { threshold: 127 }),
        one.foreground_fraction.images_127[i],
        'explicit threshold',
      );
      mask01.dispose();
      prob.dispose();
    }
  });

  it('meanIoU() and dice(): Keras / the formula per image pair, and MeanIoU / Dice per-sample values', async () => {
    const iouPerSample = await new MeanIoU(2).update(masks, predicted);
    const dicePerSample = await new Dice(2).update(masks, predicted);
    const fgPerSample = await new Dice(2, { targetClassIds: [1] }).update(masks, predicted);
    const iou4PerSample = await new MeanIoU(4, { ignoreClass: 255 }).update(classes4, predicted4);
    for (let i = 0; i < N; i++) {
      const a = await meanIoU(masks[i], predicted[i]);
      assert.equal(a, meanIoUSync(masks[i], predicted[i]));
      assert.equal(a, iouPerSample[i], `meanIoU[${i}] = MeanIoU per sample`);
      close(a, one.mean_iou.binary[i], `meanIoU[${i}] vs Keras`);
      const d = await dice(masks[i], predicted[i]);
      assert.equal(d, diceSync(masks[i], predicted[i]));
      assert.equal(d, dicePerSample[i], `dice[${i}] = Dice per sample`);
      close(d, one.dice.binary_mean[i], `dice[${i}]`);
      const fg = diceSync(masks[i], predicted[i], { targetClassIds: [1] });
      assert.equal(fg, fgPerSample[i]);
      // The foreground Dice of an image without truth or prediction has no value: 0 by emptyPolicy 'zero'.
      close(fg, one.dice.binary_foreground[i] ?? 0, `foreground dice[${i}]`);
      const t4 = slice(classes4, i, [64, 64]);
      const p4 = slice(predicted4, i, [1, 64, 64]);
      const m4 = await meanIoU(t4, p4, { numClasses: 4, ignoreClass: 255 });
      assert.equal(m4, iou4PerSample[i]);
      close(m4, one.mean_iou.four_class_ignore_255[i], `four-class meanIoU[${i}] vs Keras`);
      t4.dispose();
      p4.dispose();
    }
  });

  it('bad input is a typed error: batches, disposed images, unknown options, spoofed objects', async () => {
    const batch = Tensor.alloc('uint8', [2, 8, 8]);
    await rejectsTyped(
      circularity(batch),
      ShapeError,
      /yPred: expected one image .* got \[2,8,8\]; for a batch use the metric classes/,
    );
    throwsTyped(() => foregroundFractionSync(batch), ShapeError, /mask: expected one image/);
    throwsTyped(() => meanIoUSync(masks[0], [masks[0], masks[1]]), ShapeError, /yPred: expected one image/);
    throwsTyped(() => circularitySync(masks[0], { treshold: 3 }), ArgumentError, /options.treshold: unknown option/);
    throwsTyped(() => diceSync(masks[0], predicted[0], { name: 'x' }), ArgumentError, /options.name/);
    throwsTyped(() => meanIoUSync(masks[0], predicted[0], { numClasses: 0 }), ArgumentError, /options.numClasses/);
    throwsTyped(
      () => circularitySync({ rows: 4, cols: 4 }),
      ArgumentError,
      /yPred: expected a Tensor, a Mat or an array of Mats/,
    );
    const gone = Mat.zeros(4, 4);
    gone.dispose();
    await rejectsTyped(foregroundFraction(gone), DisposedError, /mask: the Mat was disposed/);
    const goneTensor = Tensor.alloc('uint8', [4, 4]);
    goneTensor.dispose();
    throwsTyped(() => circularitySync(goneTensor), DisposedError);
    batch.dispose();
  });
});
