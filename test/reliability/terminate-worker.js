// Worker body for test/worker-termination.test.js: loops one kind of tfcv call forever
// (sync or async), reporting 'ready' after the first round, until the parent terminates it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const tfcv = require('../../dist');

const fixtures = path.join(__dirname, '../fixtures');
const jpeg = fs.readFileSync(path.join(fixtures, 'images/photo_640x480.jpg'));
const png = fs.readFileSync(path.join(fixtures, 'images/shapes_400x300.png'));

const ops = {
  zeros: () => tfcv.Mat.zeros(64, 64).dispose(),
  decodeSync: () => tfcv.Mat.decodeSync(jpeg).dispose(),
  decode: async () => (await tfcv.Mat.decode(png)).dispose(),
  resize: async (s) => (await s.mat.resize({ width: 320, height: 240 })).dispose(),
  resizeSync: (s) => s.mat.resizeSync({ width: 320, height: 240 }).dispose(),
  preprocess: async () => (await tfcv.preprocess([jpeg, png], { width: 64, height: 64, dtype: 'float32' })).dispose(),
  toTensor: async (s) => (await tfcv.toTensor(s.mat, { dtype: 'float32' })).dispose(),
  toTensorSync: (s) => tfcv.toTensorSync(s.mat, { dtype: 'float32' }).dispose(),
  tensorData: () => {
    const t = tfcv.Tensor.alloc('float32', [1, 32, 32, 3]);
    t.data.fill(1);
    t.dispose();
  },
  modelRun: async (s) => {
    const out = await s.model.run({ image: s.input });
    for (const t of Object.values(out)) t.dispose();
  },
  modelRunSync: (s) => {
    const out = s.model.runSync({ image: s.input });
    for (const t of Object.values(out)) t.dispose();
  },
  metric: async (s) => {
    await s.metric.update(s.truth, s.pred);
  },
  metricSync: (s) => s.metric.updateSync(s.truth, s.pred),
  gcGarbage: () => {
    // Objects left to the garbage collector: finalizers run during teardown.
    tfcv.Mat.zeros(32, 32, { channels: 3 });
    tfcv.Tensor.alloc('uint8', [16, 16]);
  },
};

async function main() {
  const op = ops[workerData.op];
  const state = { mat: tfcv.Mat.decodeSync(jpeg) };
  if (workerData.op.startsWith('model')) {
    state.model = tfcv.loadSavedModelSync(path.join(fixtures, 'models/segnet'));
    const spec = Object.values(state.model.inputs())[0];
    const shape = spec.shape.map((d) => (d < 0 ? 1 : d));
    state.input = tfcv.Tensor.alloc(spec.dtype, shape);
    state.input.data.fill(0);
  }
  if (workerData.op.startsWith('metric')) {
    state.metric = new tfcv.MeanIoU(2);
    state.truth = tfcv.Tensor.alloc('uint8', [4, 64, 64]);
    state.pred = tfcv.Tensor.alloc('uint8', [4, 64, 64]);
    state.truth.data.fill(1);
    state.pred.data.fill(0);
  }
  await op(state);
  parentPort.postMessage('ready');
  // Sync ops block the thread: terminate() must stop them between calls.
  for (;;) await op(state);
}

main().catch((error) => parentPort.postMessage({ error: String(error && error.stack) }));
