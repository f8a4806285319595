#!/usr/bin/env node
// The main job until the evaluation demo exists: proves the whole stack end to end on this
// machine — loads the addon, prints the TensorFlow and OpenCV versions, builds an image
// in OpenCV memory, hands it to TensorFlow memory and back with each ownership mode, and
// prints what was copied.
import { Mat, stats, toMatSync, toTensorSync, versions, nativePath } from '../index';

function main(): void {
  const v = versions();
  console.log(`tfcv ${v.tfcv}: TensorFlow ${v.tensorflow}, OpenCV ${v.opencv}`);
  console.log(`native binary: ${nativePath}`);

  // A 4x6 BGR gradient made in OpenCV memory.
  const rows = 4, cols = 6;
  const pixels = new Uint8Array(rows * cols * 3).map((_, i) => (i * 7) % 256);
  const mat = Mat.fromBuffer(pixels, { rows, cols, channels: 3 });
  const before = stats();

  const shared = toTensorSync(mat, { mode: 'share' });
  const nchw = toTensorSync(mat, { layout: 'NCHW', dtype: 'float32' });
  const view = toMatSync(shared, { mode: 'share' });
  const after = stats();

  console.log(`Mat ${mat.rows}x${mat.cols}x${mat.channels} ${mat.dtype} -> Tensor ${shared.dtype} [${shared.shape}] (zero-copy: ${shared.shared})`);
  console.log(`Mat -> Tensor float32 NCHW [${nchw.shape}], first plane: ${Array.from(nchw.data.subarray(0, cols)).join(' ')}`);
  console.log(`Tensor -> Mat view ${view.rows}x${view.cols}x${view.channels}, read-only: ${view.readOnly}`);
  const same = view.data.every((x, i) => x === pixels[i]);
  console.log(`round trip exact: ${same}; copies made: ${after.copies - before.copies}, zero-copy conversions: ${after.zeroCopies - before.zeroCopies}`);
  for (const o of [view, shared, nchw, mat]) o.dispose();
  if (!same) process.exitCode = 1;
}

main();
