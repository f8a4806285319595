// One report picture: the image enlarged, predicted contours in red, true contours in
// green, as PNG bytes (binding/demo/overlay.cc).
import { Mat, matHandle } from '../mat';
import { native, NativeMat, NativeTensor } from '../native';
import { Tensor, tensorHandle } from '../tensor';

interface OverlayBinding {
  demoOverlayPng(
    image: NativeMat,
    imageIndex: number,
    predicted: NativeTensor | NativeMat,
    predictedIndex: number,
    truth: NativeTensor | NativeMat | null,
    truthIndex: number,
    threshold: number,
    scale: number,
  ): Buffer;
}

/** @internal Image `image`; prediction `index` of a batch tensor; truth `index` of a class-id batch. */
export function overlayPng(
  image: Mat,
  predictions: Tensor,
  truth: Tensor | null,
  index: number,
  threshold: number,
  scale: number,
): Buffer {
  return (native as unknown as OverlayBinding).demoOverlayPng(
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
