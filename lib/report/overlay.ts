// One report picture: the image enlarged, predicted contours in red, true contours in
// green, as PNG bytes (binding/demo/overlay.cc).
import { Mat, matHandle } from '../mat';
import { native } from '../binding';
import { Tensor, tensorHandle } from '../tensor';

/** @internal Image `image`; prediction `index` of a batch tensor; truth `index` of a class-id batch. */
export function overlayPng(
  image: Mat,
  predictions: Tensor,
  truth: Tensor | null,
  index: number,
  threshold: number,
  scale: number,
): Buffer {
  return native.demoOverlayPng(
    matHandle(image, 'image'),
    0,
    tensorHandle(predictions, 'predictions'),
    index,
    truth === null ? null : tensorHandle(truth, 'truth'),
    index,
    threshold,
    scale,
  );
}
