// topK / softmax: a classifier's output without hand-written gather code. softmax of
// cnn_module's logits equals the probabilities Python TensorFlow computed for the same
// images (test/fixtures/reference, written by scripts/fixtures/make_models.py).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const tfcv = require('../dist');

const REF = path.join(__dirname, 'fixtures', 'reference');
const floats = (file) => {
  const b = fs.readFileSync(path.join(REF, file));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

describe('topK and softmax', () => {
  it("softmax of cnn_module's logits equals Python TensorFlow's probabilities (batch of 3)", () => {
    const logits = tfcv.Tensor.from(floats('cnn_module__serving_default.batch3.logits.bin'), { shape: [3, 10] });
    const probabilities = floats('cnn_module__serving_default.batch3.probabilities.bin');
    try {
      for (let i = 0; i < 3; i++) {
        const p = tfcv.softmax(logits, { batchIndex: i });
        p.forEach((x, c) => assert.ok(Math.abs(x - probabilities[i * 10 + c]) <= 1e-6, `row ${i} class ${c}: ${x}`));
        const top = tfcv.topK(logits, { batchIndex: i, k: 3, softmax: true });
        const expected = Array.from(probabilities.subarray(i * 10, i * 10 + 10), (score, classId) => ({
          classId,
          score,
        }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 3);
        assert.deepEqual(
          top.map((t) => t.classId),
          expected.map((e) => e.classId),
        );
        top.forEach((t, j) => assert.ok(Math.abs(t.score - expected[j].score) <= 1e-6));
      }
    } finally {
      logits.dispose();
    }
  });

  it('best first, ties by class id, names, k larger than the classes', () => {
    const names = ['cat', 'dog', 'bird'];
    assert.deepEqual(tfcv.topK([0.2, 0.5, 0.5], { classNames: names, k: 10 }), [
      { classId: 1, score: 0.5, label: 'dog' },
      { classId: 2, score: 0.5, label: 'bird' },
      { classId: 0, score: 0.2, label: 'cat' },
    ]);
    assert.deepEqual(tfcv.topK(new Float32Array([1, 3, 2]), { k: 1 }), [{ classId: 1, score: 3, label: null }]);
    const p = tfcv.softmax([1000, 1000]); // stable: no overflow
    assert.deepEqual([...p], [0.5, 0.5]);
  });

  it('bad input is a typed error naming the argument', () => {
    const batch = tfcv.Tensor.from(new Float32Array(6), { shape: [2, 3] });
    assert.throws(() => tfcv.topK(batch), /options\.batchIndex: required for a batch of 2 score rows/);
    assert.throws(() => tfcv.topK(batch, { batchIndex: 2 }), tfcv.ArgumentError);
    assert.throws(() => tfcv.topK([]), tfcv.ShapeError);
    assert.throws(() => tfcv.topK([1, 'a']), /scores\[1\]: expected a number/);
    assert.throws(() => tfcv.topK([1, 2], { k: 0 }), /options\.k/);
    assert.throws(() => tfcv.topK([1, 2], { batchIndex: 0 }), /only for a Tensor/);
    assert.throws(() => tfcv.topK(tfcv.Tensor.from(new Int32Array(3))), /expected float32 or float64 scores/);
    assert.throws(() => tfcv.topK(tfcv.Tensor.from(new Float32Array([1, NaN]))), /holds NaN at class 1/);
    assert.throws(() => tfcv.topK([1, 2], { classNames: [1] }), /options\.classNames\[0\]/);
    batch.dispose();
  });
});
