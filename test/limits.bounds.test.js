// Issue 21, findings 4, 8 and 9: limits that bound a whole operation. resize / letterbox /
// preprocess count OpenCV's interpolation tables with the output against
// maxAllocationBytes (a LimitError before any work); nms has a bound on its overlap tests
// and nms() is cancelled by an AbortSignal (the native work stops); the mAP metric and the
// box readers check array lengths first and refuse holes.
'use strict';
const assert = require('node:assert/strict');
const { tfcv, rejectsTyped, throwsTyped } = require('./helpers');

const { Mat, LimitError, ArgumentError, AbortError, MeanAveragePrecision } = tfcv;

function sparse(length) {
  const a = [];
  a.length = length;
  return a;
}

function identicalBoxes(n) {
  const boxes = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) boxes.set([0, 0, 10, 10], i * 4);
  return { boxes, scores: new Float32Array(n).fill(0.9) };
}

describe('limits that bound the whole operation (issue 21)', () => {
  describe('resize counts OpenCV scratch', () => {
    it('a 1e9 x 1 resize of an 8 x 12 Mat is a LimitError at once (was: 223 s, 18 GB of tables)', async () => {
      const mat = Mat.zeros(8, 12);
      const started = Date.now();
      await rejectsTyped(mat.resize({ width: 1e9, height: 1 }), LimitError, /interpolation tables.*allocation limit/);
      throwsTyped(() => mat.resizeSync({ width: 1e9, height: 1 }), LimitError, /resize/);
      throwsTyped(() => mat.resizeSync({ fx: 1e8, fy: 1 }), LimitError, /resize/);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      mat.dispose();
    });

    it('the scratch is counted against the limit the caller set', () => {
      const mat = Mat.zeros(8, 8);
      const before = tfcv.limits().maxAllocationBytes;
      try {
        // 4096 x 4096 x 1 byte = 16 MiB of output; with the tables it no longer fits 16 MiB.
        tfcv.setLimits({ maxAllocationBytes: 16 * 2 ** 20 });
        throwsTyped(() => mat.resizeSync({ width: 4096, height: 4096 }), LimitError, /interpolation tables/);
        tfcv.setLimits({ maxAllocationBytes: 20 * 2 ** 20 });
        const ok = mat.resizeSync({ width: 4096, height: 4096 });
        assert.equal(ok.cols, 4096);
        ok.dispose();
        throwsTyped(() => mat.letterboxSync({ width: 8192, height: 8192 }), LimitError, /letterbox/);
      } finally {
        tfcv.setLimits({ maxAllocationBytes: before });
        mat.dispose();
      }
    });
  });

  describe('nms: bounded and cancellable', () => {
    it('many identical boxes that all survive hit options.maxComparisons with a LimitError', async () => {
      const { boxes, scores } = identicalBoxes(2000);
      // ~2e6 tests needed; 1e5 allowed.
      await rejectsTyped(
        tfcv.nms(boxes, scores, { iouThreshold: 1, maxComparisons: 1e5 }),
        LimitError,
        /maxComparisons \(100000\)/,
      );
      throwsTyped(() => tfcv.nmsSync(boxes, scores, { iouThreshold: 1, maxComparisons: 1e5 }), LimitError, /topK/);
      // Under the bound the same call answers (every box kept: IoU 1 is not above 1).
      assert.equal((await tfcv.nms(boxes, scores, { iouThreshold: 1, maxComparisons: 0 })).length, 2000);
      assert.equal(tfcv.NMS_MAX_COMPARISONS, 1e8);
      throwsTyped(() => tfcv.nmsSync(boxes, scores, { maxComparisons: -1 }), ArgumentError, /maxComparisons/);
      throwsTyped(() => tfcv.nmsSync(boxes, scores, { maxComparisons: 1.5 }), ArgumentError, /maxComparisons/);
    });

    it('an AbortSignal rejects nms() at once and stops the native work', async () => {
      const { boxes, scores } = identicalBoxes(40000); // 8e8 tests unbounded: 10 s or more each
      // One long nms on every libuv pool thread, all aborted: if the native work went on, the
      // small nms after them would wait for a free thread for seconds.
      const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
      const controller = new AbortController();
      const started = Date.now();
      const pending = Array.from({ length: threads }, () =>
        tfcv.nms(boxes, scores, { iouThreshold: 1, maxComparisons: 0, signal: controller.signal }),
      );
      setTimeout(() => controller.abort(), 50);
      for (const p of pending) await rejectsTyped(p, AbortError, /nms: aborted/);
      assert.ok(Date.now() - started < 2000, `rejected after ${Date.now() - started} ms`);
      const small = identicalBoxes(10);
      const t0 = Date.now();
      assert.equal((await tfcv.nms(small.boxes, small.scores)).length, 1);
      assert.ok(Date.now() - t0 < 2000, `a small nms waited ${Date.now() - t0} ms behind the aborted ones`);
      await rejectsTyped(
        tfcv.nms(small.boxes, small.scores, { signal: AbortSignal.abort() }),
        AbortError,
        /before it started/,
      );
      throwsTyped(
        () => tfcv.nmsSync(small.boxes, small.scores, { signal: controller.signal }),
        ArgumentError,
        /nms\(\)/,
      );
      await rejectsTyped(tfcv.nms(small.boxes, small.scores, { signal: {} }), ArgumentError, /AbortSignal/);
    });
  });

  describe('array arguments: length first, holes refused', () => {
    it('MeanAveragePrecision.updateSync with sparse lists of length 2^32-1 is an error at once (was: > 180 s)', () => {
      const m = new MeanAveragePrecision();
      const started = Date.now();
      throwsTyped(
        () => m.updateSync(sparse(2 ** 32 - 1), sparse(2 ** 32 - 1)),
        ArgumentError,
        /an array of images of at most 1048576 elements, got length 4294967295/,
      );
      assert.ok(Date.now() - started < 1000);
    });

    it('holes are refused, not counted as images', () => {
      const m = new MeanAveragePrecision();
      const truth = { boxes: [[0, 0, 10, 10]], classes: [1] };
      const pred = { boxes: [[0, 0, 10, 10]], classes: [1], scores: [0.9] };
      throwsTyped(
        // eslint-disable-next-line no-sparse-arrays
        () => m.updateSync([truth, , truth], [pred, pred, pred]),
        ArgumentError,
        /yTrue\[1\]: expected \{ boxes/,
      );
      const holes = sparse(1e5); // were 1e5 images of nothing
      throwsTyped(() => m.updateSync(holes, holes), ArgumentError, /yTrue\[0\]: expected \{ boxes/);
      assert.equal(m.result().images, 0);
      m.updateSync([truth], [pred]);
      assert.equal(m.result().images, 1);
    });

    it('boxes: a hole in the rows is refused; a sparse flat array of length 2^32-1 is an error at once', () => {
      const scores = [0.9, 0.8, 0.7];
      // eslint-disable-next-line no-sparse-arrays
      throwsTyped(() => tfcv.nmsSync([[0, 0, 1, 1], , [0, 0, 1, 1]], scores), tfcv.ShapeError, /boxes\[1\]/);
      throwsTyped(() => tfcv.nmsSync(sparse(2 ** 32 - 1), scores), ArgumentError, /at most 16777216 boxes/);
      const rows = sparse(2 ** 32 - 1);
      rows[0] = [0, 0, 1, 1];
      throwsTyped(() => tfcv.nmsSync(rows, scores), ArgumentError, /at most 16777216/);
    });

    it('drawDetections: classNames and colors with holes or of length 2^32-1 are refused', () => {
      const mat = Mat.zeros(16, 16, { channels: 3 });
      const boxes = [[1, 1, 4, 4]];
      throwsTyped(
        // eslint-disable-next-line no-sparse-arrays
        () => mat.drawDetections(boxes, { labels: [1], classNames: ['a', , 'c'] }),
        ArgumentError,
        /classNames\[1\]/,
      );
      throwsTyped(() => mat.drawDetections(boxes, { classNames: sparse(2 ** 32 - 1) }), ArgumentError, /at most/);
      throwsTyped(() => mat.drawDetections(boxes, { colors: sparse(2 ** 32 - 1) }), ArgumentError, /at most/);
      // eslint-disable-next-line no-sparse-arrays
      throwsTyped(() => mat.drawDetections(boxes, { colors: [[1, 2, 3], , [4, 5, 6]] }), ArgumentError, /colors\[1\]/);
      mat.dispose();
    });
  });
});
