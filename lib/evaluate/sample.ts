// What evaluate() reads: samples with an image and optionally a truth mask or label, each
// given decoded (a Mat), encoded (bytes) or as a file path.
import { Mat } from '../mat';

export interface Sample {
  /** Names the sample in per-image results and errors (default: the file path, or its index). */
  id?: string;
  /** A decoded image (BGR / gray Mat, uint8), encoded image bytes, or a file path. */
  image: Mat | Uint8Array | ArrayBuffer | string;
  /** The truth mask: one-channel class ids, or a 0 / 255 binary mask (see `masks`). */
  mask?: Mat | Uint8Array | ArrayBuffer | string;
  /** A per-image binary label (SegmentationAccuracy reads it instead of the mask). */
  label?: number | boolean;
}

/** Any iterable of samples: an array, a generator, an async generator, a stream. */
export type Dataset = Iterable<Sample> | AsyncIterable<Sample>;
