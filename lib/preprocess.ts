// preprocess(images, spec): encoded images (Buffers) or Mats to one batch tensor in one
// native pass per image, off the event loop (bridge/preprocess.cc). The spec fixes the
// target (size, fit, channels and order, dtype, normalisation, layout, decode scale).
import { withCallerStack } from './async_stack';
import { ArgumentError } from './errors';
import { Mat, matHandle } from './mat';
import { native, NativeMat } from './binding';
import { PreprocessDType, PreprocessSpec, nativeSpec, resolveSpec } from './preprocess_spec';
import { Tensor } from './tensor';
import * as v from './validate';

/** An encoded image (JPEG, PNG, ... bytes) or a uint8 Mat (BGR, BGRA or grayscale). */
export type ImageInput = ArrayBufferView | ArrayBuffer | Mat;

/** Most images one preprocess call takes (a batch tensor is allocated for all of them). */
const MAX_IMAGES = 65536;

function inputs(images: unknown): Array<ArrayBufferView | ArrayBuffer | NativeMat> {
  const list = Array.isArray(images) ? v.arrayItems(images, 'images', MAX_IMAGES, 'an array of images') : [images];
  if (list.length === 0) throw new ArgumentError('images: expected at least one image, got an empty array');
  return list.map((image, i) => {
    if (image instanceof Mat) return matHandle(image);
    if (v.isBinary(image)) return image;
    throw new ArgumentError(`images[${i}]: expected a Buffer (an encoded image) or a Mat, got ${v.describe(image)}`);
  });
}

/**
 * One tensor [N, H, W, C] (or [N, C, H, W]) from N images, each decoded, fitted, reordered,
 * normalised and written into its slot in a single native pass; the batch runs off the
 * event loop (images in parallel on OpenCV's thread pool). A failing image rejects the
 * whole call with its error (DecodeError, LimitError, ...) whose message starts with
 * `images[i]`; no partial tensor is returned. Encoded bytes are copied first, so callers
 * may reuse their buffers at once; Mats are pinned for the duration (read-only meanwhile).
 */
export async function preprocess<D extends PreprocessDType = 'float32'>(
  images: ImageInput | readonly ImageInput[],
  spec: PreprocessSpec<D>,
): Promise<Tensor<D>> {
  const list = inputs(images);
  const resolved = nativeSpec(resolveSpec(spec));
  return new Tensor<D>(await withCallerStack(native.preprocess(list, resolved)));
}

/** Synchronous twin of preprocess() (blocks the event loop for the decode and resize work). */
export function preprocessSync<D extends PreprocessDType = 'float32'>(
  images: ImageInput | readonly ImageInput[],
  spec: PreprocessSpec<D>,
): Tensor<D> {
  const list = inputs(images);
  const resolved = nativeSpec(resolveSpec(spec));
  return new Tensor<D>(native.preprocessSync(list, resolved));
}
