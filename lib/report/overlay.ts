// One report picture: the image enlarged, predicted contours in red, true contours in
// green, as PNG bytes (binding/demo/overlay.cc).
import { Mat } from '../mat';
import { native, NativeMat, NativeTensor } from '../native';
import { Tensor } from '../tensor';

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
export function overlayPng(image: Mat, predictions: Tensor, truth: Tensor | null, index: number, threshold: number, scale: number): Buffer {
  return (native as unknown as OverlayBinding).demoOverlayPng(
    Mat.handle(image, 'image'),
    0,
    Tensor.handle(predictions, 'predictions'),
    index,
    truth === null ? null : Tensor.handle(truth, 'truth'),
    index,
    threshold,
    scale,
  );
}
