// How tests compare a model's outputs computed two ways (batched against alone, one batch size
// against another). TensorFlow picks kernels by batch size — oneDNN's on CPUs with AVX-512 VNNI
// or BF16 (on by default there), Eigen's tiling elsewhere — so a row's float outputs may differ
// in the last bits with the batch it ran in. Measured (scripts/measure-batch-numerics.js,
// docs/batching-numerics.md): at most 1.2e-6 of the output's range on the bundled models and
// 2.8e-6 on MobileNetV2, with oneDNN on and off. The tolerance below leaves 3.5x to 8x room; an
// integer output and an argmax whose top-2 margin is wider than the tolerance must still agree.
'use strict';
const assert = require('node:assert/strict');

/** |batched - alone| <= BATCH_RELATIVE_TOLERANCE x the output's range (max - min). */
const BATCH_RELATIVE_TOLERANCE = 1e-5;

const FLOAT_DTYPES = new Set(['float32', 'float64', 'float16']);

/**
 * Asserts `actual` equals `expected` (tfcv Tensors) as batching allows: the same shape and
 * dtype; integer and bool outputs bit for bit; floats within `relativeTolerance` of the
 * range, and every argmax over the last axis whose margin exceeds the tolerance unchanged.
 * Returns { maxAbs, range } for messages.
 */
function assertCloseAsBatched(actual, expected, label, relativeTolerance = BATCH_RELATIVE_TOLERANCE) {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  const a = actual.data;
  const e = expected.data;
  if (!FLOAT_DTYPES.has(expected.dtype)) {
    assert.deepEqual(Array.from(a), Array.from(e), `${label}: ${expected.dtype} outputs are exact`);
    return { maxAbs: 0, range: 0 };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < e.length; i++) {
    assert.ok(Number.isFinite(e[i]) === Number.isFinite(a[i]), `${label}: element ${i} finiteness differs`);
    if (e[i] < lo) lo = e[i];
    if (e[i] > hi) hi = e[i];
  }
  const range = Math.max(hi - lo, Number.MIN_VALUE);
  const bound = relativeTolerance * range;
  let maxAbs = 0;
  for (let i = 0; i < e.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i] - e[i]));
  assert.ok(
    maxAbs <= bound,
    `${label}: max |difference| ${maxAbs.toExponential(2)} exceeds ${relativeTolerance} x range ${range.toExponential(2)}`,
  );
  const lastDim = expected.shape[expected.shape.length - 1];
  if (expected.shape.length > 1 && lastDim > 1) {
    for (let i = 0; i < e.length; i += lastDim) {
      let best = i;
      let second = -1;
      for (let k = i + 1; k < i + lastDim; k++) {
        if (e[k] > e[best]) {
          second = best;
          best = k;
        } else if (second < 0 || e[k] > e[second]) second = k;
      }
      if (e[best] - e[second] <= 2 * bound) continue; // a near tie: either answer is within tolerance
      let bestActual = i;
      for (let k = i + 1; k < i + lastDim; k++) if (a[k] > a[bestActual]) bestActual = k;
      assert.equal(bestActual - i, best - i, `${label}: argmax of row ${(i / lastDim) | 0} changed`);
    }
  }
  return { maxAbs, range };
}

module.exports = { BATCH_RELATIVE_TOLERANCE, assertCloseAsBatched };
