// Shared by the server tests: segnet made slow for real (every run is a batch of 256,
// ~100+ ms here) to hold a model slot for a predictable while.
'use strict';
const { tfcv } = require('./helpers');

function slowModel(model, rows = 256) {
  const slowRun = async (feeds, options) => {
    const x = tfcv.Tensor.alloc('float32', [rows, 64, 64, 3]);
    x.data.fill(0.5);
    try {
      return await model.run({ image: x }, options);
    } finally {
      x.dispose();
    }
  };
  return Object.create(model, { run: { value: slowRun } });
}

module.exports = { slowModel };
