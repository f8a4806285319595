// Shared by the server tests: segnet made slow for real. Every run first runs a batch of
// 256 (~100+ ms here, under the caller's deadline) and then the caller's feeds, so the
// answers stay right, batched or not, while a model slot is held for a predictable while.
'use strict';
const { tfcv } = require('./helpers');

function slowModel(model, rows = 256) {
  const slowRun = async (feeds, options) => {
    const x = tfcv.Tensor.alloc('float32', [rows, 64, 64, 3]);
    x.data.fill(0.5);
    try {
      for (const t of Object.values(await model.run({ image: x }, options))) t.dispose();
    } finally {
      x.dispose();
    }
    return model.run(feeds, options);
  };
  return Object.create(model, { run: { value: slowRun } });
}

module.exports = { slowModel };
