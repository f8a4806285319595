// Object detection helpers: nms against cv2.dnn.NMSBoxes / NMSBoxesBatched on the committed
// fixtures (scripts/fixtures/make_detection.py), boxesFromTensor through the real fit
// operations, and drawDetections under the drawing rules.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped } = require('./helpers');
const { Mat, Tensor, nms, nmsSync, boxesFromTensor, ArgumentError, ShapeError, DTypeError, ReadOnlyError } = tfcv;

const NMS = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'detection', 'nms.json'), 'utf8'));

function optionsOf(c) {
  return { ...c.options, ...(c.classes ? { classes: c.classes } : {}) };
}

describe('nms', () => {
  describe(`the same indices as cv2.dnn.NMSBoxes / NMSBoxesBatched (OpenCV ${NMS.opencv})`, () => {
    for (const c of NMS.cases) {
      it(`${c.name}: ${c.scores.length} boxes${c.classes ? ', per class' : ''}, ${JSON.stringify(c.options)}`, async () => {
        const sync = nmsSync(c.boxes, c.scores, optionsOf(c));
        assert.ok(sync instanceof Int32Array);
        assert.deepEqual(Array.from(sync), c.kept);
        const flat = await nms(Float64Array.from(c.boxes.flat()), Float32Array.from(c.scores), optionsOf(c));
        assert.deepEqual(Array.from(flat), c.kept);
      });
    }
  });

  it('the cases cover ties, eta, topK, empty input, degenerate boxes and classes', () => {
    const names = NMS.cases.map((c) => c.name);
    for (const n of ['ties', 'eta', 'topk', 'empty', 'degenerate', 'batched', 'duplicates'])
      assert.ok(names.includes(n), n);
    assert.ok(NMS.cases.find((c) => c.name === 'degenerate').boxes.some((b) => b[2] === 0 || b[3] <= 0));
    assert.ok(NMS.cases.every((c) => c.scores.length === 0 || c.kept.length > 0 || c.name === 'all-below-threshold'));
  });

  it('takes other layouts (xyxy) and gives the same answer', () => {
    const c = NMS.cases.find((x) => x.name === 'integer');
    const xyxy = c.boxes.map(([x, y, w, h]) => [x, y, x + w, y + h]);
    assert.deepEqual(Array.from(nmsSync(xyxy, c.scores, { ...c.options, format: 'xyxy' })), c.kept);
  });

  it('suppresses by IoU with areas w * h, no +1 (two 10x10 boxes overlapping by 5 have IoU 1/3)', () => {
    const boxes = [
      [0, 0, 10, 10],
      [5, 0, 10, 10],
    ];
    assert.deepEqual(Array.from(nmsSync(boxes, [0.9, 0.8], { iouThreshold: 0.34 })), [0, 1]);
    assert.deepEqual(Array.from(nmsSync(boxes, [0.9, 0.8], { iouThreshold: 0.33 })), [0]);
  });

  it('bad input: typed errors naming the argument', async () => {
    throwsTyped(() => nmsSync([[0, 0, 1, 1]], [0.5, 0.4]), ShapeError, /scores: expected 1 values/);
    throwsTyped(() => nmsSync([[0, 0, 1]], [0.5]), ShapeError, /boxes\[0\]/);
    throwsTyped(() => nmsSync(new Float32Array(6), [0.5]), ShapeError, /4 numbers per box/);
    throwsTyped(() => nmsSync([[0, 0, NaN, 1]], [0.5]), ArgumentError, /boxes\[0\]\[2\]/);
    throwsTyped(() => nmsSync([[0, 0, 1, 1]], [0.5], { eta: 0 }), ArgumentError, /options\.eta/);
    throwsTyped(() => nmsSync([[0, 0, 1, 1]], [0.5], { iouThreshold: -1 }), ArgumentError, /options\.iouThreshold/);
    throwsTyped(() => nmsSync([[0, 0, 1, 1]], [0.5], { topK: 1.5 }), ArgumentError, /options\.topK/);
    throwsTyped(() => nmsSync([[0, 0, 1, 1]], [0.5], { classes: [0, 1] }), ShapeError, /options\.classes/);
    throwsTyped(() => nmsSync([[0, 0, 1, 1]], [0.5], { format: 'ltrb' }), ArgumentError, /options\.format/);
    throwsTyped(() => nmsSync('boxes', [0.5]), ArgumentError, /boxes/);
    await rejectsTyped(nms([[0, 0, 1, 1]], 'x'), ArgumentError, /scores/);
    // A NaN score never passes the threshold, as in OpenCV.
    assert.deepEqual(
      Array.from(
        nmsSync(
          [
            [0, 0, 1, 1],
            [5, 5, 1, 1],
          ],
          [NaN, 0.5],
        ),
      ),
      [1],
    );
  });
});

describe('boxesFromTensor', () => {
  const source = { width: 320, height: 200 };
  const truth = { x: 40, y: 30, width: 100, height: 60 };

  // The bounding box of the white pixels of a Mat, in its pixels (continuous edges).
  function whiteBox(mat) {
    const d = mat.data;
    let x1 = Infinity,
      y1 = Infinity,
      x2 = -1,
      y2 = -1;
    for (let y = 0; y < mat.rows; y++)
      for (let x = 0; x < mat.cols; x++) {
        if (d[y * mat.cols + x] > 127) {
          x1 = Math.min(x1, x);
          y1 = Math.min(y1, y);
          x2 = Math.max(x2, x);
          y2 = Math.max(y2, y);
        }
      }
    return [x1, y1, x2 + 1, y2 + 1];
  }

  function sourceImage() {
    return Mat.zeros(source.height, source.width).rectangle(truth, 255, { thickness: 'filled' });
  }

  function near(actual, expected, tolerance) {
    actual.forEach((a, i) =>
      assert.ok(Math.abs(a - expected[i]) <= tolerance, `box ${Array.from(actual)} vs ${expected} (index ${i})`),
    );
  }

  const target = { width: 128, height: 128 };
  const expected = [truth.x, truth.y, truth.width, truth.height];
  const fits = {
    stretch: (m) => m.resizeSync(target, { interpolation: 'nearest' }),
    letterbox: (m) => m.letterboxSync(target, { interpolation: 'nearest' }),
    'center-crop': (m) =>
      m.cropSync(tfcv.centerCropRect(source, target)).resizeSync(target, { interpolation: 'nearest' }),
  };
  for (const [resize, fit] of Object.entries(fits)) {
    it(`maps a box found in the ${resize} model input back onto the source object`, () => {
      const [x1, y1, x2, y2] = whiteBox(fit(sourceImage()));
      // As a detector would emit it: normalized yxyx in a [1, N, 4] tensor.
      const t = Tensor.from(new Float32Array([y1 / 128, x1 / 128, y2 / 128, x2 / 128, 0, 0, 1, 1]), {
        shape: [1, 2, 4],
      });
      const boxes = boxesFromTensor(t, { format: 'yxyx', normalized: true, geometry: { resize, source, target } });
      assert.ok(boxes instanceof Float32Array);
      assert.equal(boxes.length, 8);
      // center-crop cuts the source's sides off: only the visible part of the object comes back.
      const visible = resize === 'center-crop' ? [60, 30, 80, 60] : expected;
      near(boxes.subarray(0, 4), visible, 320 / 128 + 0.5); // one model pixel
      // The whole model input maps to the whole visible source (clipped to the image).
      if (resize !== 'center-crop') near(boxes.subarray(4), [0, 0, 320, 200], 1e-3);
      const viaSpec = boxesFromTensor(t, {
        format: 'yxyx',
        normalized: true,
        geometry: { spec: { ...target, resize }, source },
      });
      assert.deepEqual(viaSpec, boxes);
    });
  }

  it('accepts the results of letterboxGeometry and centerCropRect, and every layout', () => {
    const lb = tfcv.letterboxGeometry(source, target);
    const px = [10, 30, 50, 70]; // xyxy in model pixels, inside the letterboxed image
    const a = boxesFromTensor(Float32Array.from(px), { format: 'xyxy', geometry: { letterbox: lb, source } });
    const b = boxesFromTensor(Float32Array.from(px), {
      format: 'xyxy',
      geometry: { resize: 'letterbox', source, target },
    });
    assert.deepEqual(a, b);
    const s = 320 / 128;
    near(a, [10 * s, (30 - lb.y) * s, 40 * s, 40 * s], 1e-3);
    const crop = tfcv.centerCropRect(source, target);
    const c = boxesFromTensor(Float32Array.from(px), { format: 'xyxy', geometry: { crop, target, source } });
    near(c, [crop.x + 10 * (200 / 128), 30 * (200 / 128), 40 * (200 / 128), 40 * (200 / 128)], 1e-3);
    const forms = { xyxy: [10, 20, 50, 60], xywh: [10, 20, 40, 40], yxyx: [20, 10, 60, 50], cxcywh: [30, 40, 40, 40] };
    for (const [format, box] of Object.entries(forms))
      assert.deepEqual(Array.from(boxesFromTensor(Float64Array.from(box), { format })), [10, 20, 40, 40], format);
  });

  it('clips to the image and handles boxes without geometry', () => {
    const out = boxesFromTensor(Float32Array.from([-10, -10, 400, 300]), { format: 'xyxy', imageSize: source });
    assert.deepEqual(Array.from(out), [0, 0, 320, 200]);
    const norm = boxesFromTensor(Float32Array.from([0.5, 0.5, 1, 1]), {
      format: 'xyxy',
      normalized: true,
      imageSize: source,
    });
    assert.deepEqual(Array.from(norm), [160, 100, 160, 100]);
  });

  it('int32 and float64 tensors; batchIndex picks an image of a batch', () => {
    const t = Tensor.from(new Int32Array([0, 0, 10, 10, 5, 5, 10, 10]), { shape: [2, 1, 4] });
    assert.deepEqual(Array.from(boxesFromTensor(t, { format: 'xywh', batchIndex: 1 })), [5, 5, 10, 10]);
    throwsTyped(() => boxesFromTensor(t, { format: 'xywh' }), ArgumentError, /batchIndex: required/);
    const d = Tensor.from(new Float64Array([1, 2, 3, 4]), { shape: [1, 4] });
    assert.deepEqual(Array.from(boxesFromTensor(d, { format: 'xywh' })), [1, 2, 3, 4]);
  });

  it('wrong rank, dtype or last dimension: typed errors naming the tensor', () => {
    const name = 'detection_boxes';
    throwsTyped(
      () => boxesFromTensor(Tensor.from(new Float32Array(12), { shape: [3, 4, 1] }), { format: 'xyxy', name }),
      ShapeError,
      /detection_boxes: expected a last dimension of 4.*\[3,4,1\]/,
    );
    throwsTyped(
      () => boxesFromTensor(Tensor.from(new Float32Array(8), { shape: [8] }), { format: 'xyxy', name }),
      ShapeError,
      /detection_boxes: expected boxes \[N,4\] or \[B,N,4\], got rank 1/,
    );
    throwsTyped(
      () => boxesFromTensor(Tensor.from(new Uint8Array(8), { shape: [2, 4] }), { format: 'xyxy', name }),
      DTypeError,
      /detection_boxes: expected a float32.*got uint8/,
    );
    throwsTyped(
      () => boxesFromTensor(Tensor.from(new Float32Array(8), { shape: [2, 4] }), {}),
      ArgumentError,
      /options\.format: required/,
    );
    throwsTyped(
      () => boxesFromTensor(Tensor.from(new Float32Array(8), { shape: [2, 4] }), { format: 'xyxy', normalized: true }),
      ArgumentError,
      /imageSize: required/,
    );
    throwsTyped(
      () => boxesFromTensor(new Float32Array(8), { format: 'xyxy', geometry: { resize: 'fill', source, target } }),
      ArgumentError,
      /geometry\.resize/,
    );
    throwsTyped(() => boxesFromTensor([1, 2, 3, 4], { format: 'xyxy' }), ArgumentError, /tensor: expected a Tensor/);
  });
});

describe('mat.drawDetections', () => {
  it('draws each box and a filled label tag in the class colour', () => {
    const m = Mat.zeros(120, 160, { channels: 3 });
    const out = m.drawDetections(
      [
        [20, 40, 60, 50],
        [100, 0, 40, 40],
      ],
      {
        labels: [0, 1],
        scores: [0.9, 0.5],
        classNames: ['cat', 'dog'],
        colors: [
          [0, 0, 255],
          [0, 255, 0],
        ],
        thickness: 2,
      },
    );
    assert.equal(out, m);
    const at = (x, y) => Array.from(m.data.subarray((y * 160 + x) * 3, (y * 160 + x) * 3 + 3));
    assert.deepEqual(at(50, 40), [0, 0, 255], 'top edge of box 0');
    assert.deepEqual(at(20, 70), [0, 0, 255], 'left edge of box 0');
    assert.deepEqual(at(50, 65), [0, 0, 0], 'inside box 0 stays untouched');
    assert.deepEqual(at(100, 20), [0, 255, 0], 'left edge of box 1');
    // The tag of box 0 sits above it; the one of box 1 (at the top edge) inside it.
    let tag0 = 0,
      tag1 = 0;
    for (let y = 25; y < 40; y++) for (let x = 20; x < 60; x++) if (at(x, y)[2] === 255) tag0++;
    for (let y = 2; y < 16; y++) for (let x = 102; x < 130; x++) if (at(x, y)[1] === 255) tag1++;
    assert.ok(tag0 > 100 && tag1 > 50, `tags drawn (${tag0}, ${tag1})`);
  });

  it('follows the drawing rules: read-only views throw, onShared copy works', () => {
    const base = Mat.zeros(50, 50, { channels: 3 });
    const view = base.roi({ x: 0, y: 0, width: 40, height: 40 });
    throwsTyped(() => view.drawDetections([[1, 1, 10, 10]]), ReadOnlyError, /drawDetections/);
    view.drawDetections([[1, 1, 10, 10]], { onShared: 'copy' });
    assert.equal(
      base.data.reduce((s, x) => s + x, 0),
      0,
      'the parent is unchanged',
    );
  });

  it('bad input: typed errors', () => {
    const m = Mat.zeros(10, 10, { channels: 3 });
    throwsTyped(() => m.drawDetections([[0, 0, 1, 1]], { labels: [0, 1] }), ShapeError, /options\.labels/);
    throwsTyped(() => m.drawDetections([[0, 0, 1, 1]], { thickness: 0 }), ArgumentError, /options\.thickness/);
    throwsTyped(() => m.drawDetections([[0, 0, 1, 1]], { colors: [] }), ArgumentError, /options\.colors/);
    throwsTyped(() => m.drawDetections([[0, 0, 1e12, 1]]), ArgumentError, /boxes/);
    throwsTyped(() => Mat.zeros(10, 10, { dtype: 'float32' }).drawDetections([[0, 0, 1, 1]]), DTypeError, /uint8/);
    throwsTyped(() => m.drawDetections([[0, 0, 1, 1]], { classNames: [1] }), ArgumentError, /classNames/);
  });
});

describe('detection in worker_threads', () => {
  const { Worker } = require('node:worker_threads');
  function run(hang) {
    const worker = new Worker(path.join(__dirname, 'workers/detection-worker.js'), { workerData: { hang } });
    const message = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return { worker, message, exit: new Promise((resolve) => worker.once('exit', resolve)) };
  }

  it('nms and MeanAveragePrecision work in a worker; its state merges on the main thread', async () => {
    const w = run(false);
    const msg = await w.message;
    assert.equal(msg.error, undefined, msg.error);
    assert.ok(msg.kept > 0);
    const merged = new tfcv.MeanAveragePrecision().merge(tfcv.Metric.fromJSON(msg.state));
    assert.ok(Math.abs(merged.result().ap - 1) < 1e-12);
    assert.equal(await w.exit, 0);
  });

  it('a worker terminated with NMS jobs in flight exits without crashing the process', async () => {
    const w = run(true);
    const msg = await w.message;
    assert.equal(msg.error, undefined, msg.error);
    await w.worker.terminate();
    await w.exit;
    assert.deepEqual(Array.from(nmsSync([[0, 0, 1, 1]], [1])), [0], 'the main thread still works');
  });
});
