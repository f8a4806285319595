// Shared by the server tests: segnet made slow for real. Every run first runs a batch of
// 256 (~100+ ms here, under the caller's deadline) and then the caller's feeds, so the
// answers stay right, batched or not, while a model slot is held for a predictable while.
'use strict';
const { tfcv } = require('./helpers');

// The model's own run is replaced on the instance (a look-alike made with Object.create
// would not pass the Model's private-field brand checks).
function slowModel(model, rows = 256) {
  const run = model.run.bind(model);
  model.run = async (feeds, options) => {
    const x = tfcv.Tensor.alloc('float32', [rows, 64, 64, 3]);
    x.data.fill(0.5);
    try {
      for (const t of Object.values(await run({ image: x }, options))) t.dispose();
    } finally {
      x.dispose();
    }
    return run(feeds, options);
  };
  return model;
}

module.exports = { slowModel };
