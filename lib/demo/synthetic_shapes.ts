// The demo's synthetic inspection set (binding/demo/synthetic_shapes.cc): one filled shape
// per image on a noisy gradient, with its exact mask, drawn by OpenCV from a seed — the
// kind of picture the bundled segnet was trained on.
import { ArgumentError } from '../errors';
import { Mat } from '../mat';
import { native } from '../binding';
import { optionKeys } from '../option_keys';
import * as v from '../validate';

export type ShapeKind = 'circle' | 'ellipse' | 'square';

export interface SyntheticShape {
  /** "shape-000-circle" */
  id: string;
  /** BGR uint8, size x size. */
  image: Mat;
  /** uint8 one channel: 255 inside the shape, 0 outside. */
  mask: Mat;
  kind: ShapeKind;
}

export interface SyntheticShapesOptions {
  /** Side in pixels (segnet's input is 64). Default 64. */
  size?: number;
  /** Same seed, same set on every machine. Default 1. */
  seed?: number;
}

const SYNTHETIC_KEYS = optionKeys<SyntheticShapesOptions>('syntheticShapes', { size: true, seed: true });

/** `count` images, kinds cycling circle, ellipse, square. The caller owns (and disposes) the Mats. */
export function syntheticShapes(count: number, options?: SyntheticShapesOptions): SyntheticShape[] {
  v.integer(count, 'count', 0, 100000);
  const o = v.optionsObject(options, SYNTHETIC_KEYS);
  const size = o.size === undefined ? 64 : v.integer(o.size, 'options.size', 32, 4096);
  const seed = o.seed === undefined ? 1 : v.integer(o.seed, 'options.seed', 0, 2 ** 32 - 1);
  if (count * size * size > 2 ** 31)
    throw new ArgumentError(`count x size: ${count} images of ${size}x${size} is too large for a demo set`);
  return native.demoShapes(count, size, seed).map((s, i) => ({
    id: `shape-${String(i).padStart(3, '0')}-${s.kind}`,
    image: new Mat(s.image),
    mask: new Mat(s.mask),
    kind: s.kind,
  }));
}
