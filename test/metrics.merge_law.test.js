// The merge law, for every metric: updating one metric with batch A then batch B gives the
// same state and result as merging a metric updated with A into one updated with B (also
// across a JSON round trip, as between processes). A property test over random batches:
// random sizes, class counts, prediction kinds and sample weights, from a fixed seed.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, randomBytes } = require('./helpers');
const {
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
} = tfcv;

/** A tiny deterministic generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Blobby masks: random bytes smoothed into regions, so contours are shape-like, not noise.
function blobs(n, h, w, random, asFloat) {
  const t = Tensor.alloc(asFloat ? 'float32' : 'uint8', [n, h, w, 1]);
  const noise = randomBytes(n * h * w, Math.floor(random() * 1e9) + 1);
  for (let i = 0; i < n; i++) {
    const cx = random() * w,
      cy = random() * h,
      r = 2 + random() * Math.min(h, w) * 0.4;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const k = (i * h + y) * w + x;
        const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r || noise[k] > 250;
        t.data[k] = asFloat ? (inside ? 0.5 + noise[k] / 512 : noise[k] / 600) : inside ? 255 : noise[k] % 100;
      }
    }
  }
  return t;
}

function classIds(n, h, w, k, random, ignore) {
  const t = Tensor.alloc('uint8', [n, h, w]);
  for (let i = 0; i < t.data.length; i++)
    t.data[i] = ignore !== undefined && random() < 0.1 ? ignore : Math.floor(random() * k);
  return t;
}

function scores(n, h, w, k, random) {
  const t = Tensor.alloc('float32', [n, h, w, k]);
  for (let i = 0; i < t.data.length; i++) t.data[i] = random();
  return t;
}

function probabilities(n, h, w, random) {
  const t = Tensor.alloc('float32', [n, h, w, 1]);
  for (let i = 0; i < t.data.length; i++) t.data[i] = random();
  return t;
}

// Per metric: a factory and a batch maker (yTrue, yPred) for a given number of images.
const CASES = [
  ['Circularity', () => new Circularity(), (n, h, w, r) => [null, blobs(n, h, w, r, false)]],
  [
    'Circularity (skip, float)',
    () => new Circularity({ emptyPolicy: 'skip' }),
    (n, h, w, r) => [null, blobs(n, h, w, r, true)],
  ],
  [
    'SegmentationAccuracy (labels)',
    () => new SegmentationAccuracy({ minPixels: 40 }),
    (n, h, w, r) => [Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)), blobs(n, h, w, r, false)],
  ],
  [
    'SegmentationAccuracy (masks)',
    () => new SegmentationAccuracy({ minPixels: 40, threshold: 0.6 }),
    (n, h, w, r) => [classIds(n, h, w, 2, r), probabilities(n, h, w, r)],
  ],
  ['AvgPixelValue', () => new AvgPixelValue(), (n, h, w, r) => [null, blobs(n, h, w, r, false)]],
  [
    'AvgPixelValue (batches)',
    () => new AvgPixelValue({ average: 'batches' }),
    (n, h, w, r) => [null, probabilities(n, h, w, r)],
  ],
  [
    'MeanIoU (probabilities)',
    () => new MeanIoU(2),
    (n, h, w, r) => [classIds(n, h, w, 2, r), probabilities(n, h, w, r)],
  ],
  [
    'MeanIoU (4 classes, scores, ignored class)',
    () => new MeanIoU(4, { ignoreClass: 9 }),
    (n, h, w, r) => [classIds(n, h, w, 4, r, 9), scores(n, h, w, 4, r)],
  ],
  [
    'IoU',
    () => new IoU(3, { targetClassIds: [0, 2] }),
    (n, h, w, r) => [classIds(n, h, w, 3, r), classIds(n, h, w, 3, r)],
  ],
  ['Dice', () => new Dice(3), (n, h, w, r) => [classIds(n, h, w, 3, r), scores(n, h, w, 3, r)]],
  [
    'PixelAccuracy',
    () => new PixelAccuracy({ numClasses: 5 }),
    (n, h, w, r) => [classIds(n, h, w, 5, r), classIds(n, h, w, 5, r)],
  ],
  [
    'BinaryAccuracy',
    () => new BinaryAccuracy({ threshold: 0.3 }),
    (n, h, w, r) => [classIds(n, h, w, 2, r), probabilities(n, h, w, r)],
  ],
  ['Precision', () => new Precision(), (n, h, w, r) => [classIds(n, h, w, 2, r), probabilities(n, h, w, r)]],
  [
    'Recall',
    () => new Recall({ numClasses: 3, classId: 2 }),
    (n, h, w, r) => [classIds(n, h, w, 3, r), classIds(n, h, w, 3, r)],
  ],
  ['ConfusionMatrix', () => new ConfusionMatrix(3), (n, h, w, r) => [classIds(n, h, w, 3, r), scores(n, h, w, 3, r)]],
];

/** States equal: counts exactly, sums of doubles to a few ulps (addition order differs). */
function assertSameState(actual, expected, label) {
  assert.deepEqual(Object.keys(actual.state), Object.keys(expected.state), label);
  for (const [key, want] of Object.entries(expected.state)) {
    const got = actual.state[key];
    const pairs = Array.isArray(want) ? want.flat().map((x, i) => [got.flat()[i], x]) : [[got, want]];
    for (const [g, w] of pairs) {
      if (Number.isInteger(w) && Number.isInteger(g)) assert.equal(g, w, `${label}: state.${key}`);
      else assert.ok(Math.abs(g - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${label}: state.${key} ${g} vs ${w}`);
    }
  }
}

function assertSameResult(actual, expected, label) {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    const pairs = Array.isArray(want) ? want.flat().map((x, i) => [got.flat()[i], x]) : [[got, want]];
    for (const [g, w] of pairs) {
      if (Number.isNaN(w)) assert.ok(Number.isNaN(g), `${label}: result.${key}`);
      else assert.ok(Math.abs(g - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${label}: result.${key} ${g} vs ${w}`);
    }
  }
}

describe('merge law: update(A); update(B) equals update(A) merged with update(B)', () => {
  for (const [title, make, batch] of CASES) {
    it(`${title}, over 12 random pairs of batches (weights in half of them)`, () => {
      const random = rng(title.length * 7919 + 17);
      for (let trial = 0; trial < 12; trial++) {
        const h = 8 + Math.floor(random() * 24);
        const w = 8 + Math.floor(random() * 24);
        const [nA, nB] = [Math.floor(random() * 5), 1 + Math.floor(random() * 5)];
        const A = batch(nA, h, w, random);
        const B = batch(nB, h, w, random);
        const weighted = trial % 2 === 1;
        const weights = (n) => (weighted ? Array.from({ length: n }, () => Math.round(random() * 40) / 8) : undefined);
        const wA = weights(nA);
        const wB = weights(nB);

        const sequential = make();
        sequential.updateSync(A[0], A[1], wA);
        sequential.updateSync(B[0], B[1], wB);
        const left = make();
        left.updateSync(A[0], A[1], wA);
        const right = make();
        right.updateSync(B[0], B[1], wB);
        const label = `${title} trial ${trial}`;
        assertSameState(left.merge(right).toJSON(), sequential.toJSON(), label);
        assertSameResult(left.result(), sequential.result(), label);

        // Across processes: states travel as JSON.
        const viaJson = make();
        viaJson.updateSync(A[0], A[1], wA);
        viaJson.merge(Metric.fromJSON(JSON.parse(JSON.stringify(right.toJSON()))));
        assertSameState(viaJson.toJSON(), sequential.toJSON(), `${label} (JSON)`);
        // An empty metric is the identity of merge.
        assertSameState(make().merge(sequential).toJSON(), sequential.toJSON(), `${label} (identity)`);
        for (const t of [...A, ...B]) if (t instanceof Tensor) t.dispose();
      }
    });
  }
});

describe('states from worker_threads merge into the single-thread result', () => {
  it('three workers each measure a third of a set; their merged states equal one pass over all of it', async () => {
    const path = require('node:path');
    const { Worker } = require('node:worker_threads');
    const count = 30;
    const states = await Promise.all(
      [0, 1, 2].map(
        (index) =>
          new Promise((resolve, reject) => {
            const worker = new Worker(path.join(__dirname, 'workers/metrics-worker.js'), {
              workerData: { count, seed: 5, workers: 3, index },
            });
            worker.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)));
            worker.once('error', reject);
          }),
      ),
    );
    const shapes = tfcv.syntheticShapes(count, { seed: 5 });
    // One metric sees the same three updates in the workers' order (float sums then add up
    // the same way, and AvgPixelValue's per-update means are the same updates).
    const single = [new MeanIoU(2), new Circularity(), new AvgPixelValue()];
    for (const w of [0, 1, 2]) {
      const part = shapes.filter((_, i) => i % 3 === w);
      const ids = part.map((s) => s.mask.thresholdSync(0, 1));
      for (const m of single)
        m.updateSync(m.usesTruth ? ids : null, m instanceof AvgPixelValue ? part.map((s) => s.image) : ids);
    }
    single.forEach((m, j) => {
      const merged = Metric.fromJSON(states[0][j]).merge(Metric.fromJSON(states[1][j]), Metric.fromJSON(states[2][j]));
      assert.deepEqual(merged.toJSON(), m.toJSON(), m.kind);
    });
  });
});
