// The package test's check of an installed tfcv (copied into each temporary project by
// scripts/prebuilt/test-package.js): require, decode a JPEG, preprocess, run the segnet
// SavedModel that ships in the package, and measure mean IoU against a mask derived from the
// image. Prints one JSON line; exits non-zero on any failure.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const tfcv = require('tfcv');

async function main() {
  const jpeg = fs.readFileSync(path.join(__dirname, 'photo.jpg'));
  const mat = await tfcv.Mat.decode(jpeg);
  const segnet = path.join(path.dirname(require.resolve('tfcv/package.json')), 'test/fixtures/models/segnet');
  const model = await tfcv.loadSavedModel(segnet);
  const signature = model.signatures.serving_default;
  const [key] = Object.keys(signature.inputs);
  const input = await tfcv.preprocess([jpeg], tfcv.specFromSignature(signature.inputs[key], { scale: 1 / 255 }));
  const outputs = await model.run({ [key]: input });
  const [name] = Object.keys(outputs);
  const prediction = outputs[name];
  // Truth: the prediction's own foreground (IoU 1 by construction) would prove nothing about
  // the arithmetic, so the truth is the top half of the frame: a value strictly inside (0, 1).
  const [, h, w] = prediction.shape;
  const truth = tfcv.Tensor.alloc('uint8', [1, h, w]);
  truth.data.fill(0);
  truth.data.fill(1, 0, (h >> 1) * w);
  const iou = new tfcv.MeanIoU(2);
  await iou.update(truth, prediction);
  const result = iou.result();
  if (!(mat.rows > 0 && Number.isFinite(result.value) && result.value >= 0 && result.value <= 1)) {
    throw new Error(`implausible result: ${mat.rows}x${mat.cols}, mean IoU ${result.value}`);
  }
  console.log(
    JSON.stringify({
      decoded: `${mat.cols}x${mat.rows}x${mat.channels}`,
      input: input.shape,
      output: `${name} ${prediction.shape.join('x')}`,
      meanIoU: Number(result.value.toFixed(4)),
      binary: tfcv.nativePath,
      versions: tfcv.versions(),
    }),
  );
  model.dispose();
}

main().catch((e) => {
  console.error(e && e.message ? e.message : e);
  process.exit(1);
});
