// Box layouts and the one reader of box arguments: a flat typed array or an array of
// 4-number rows in one of the four usual layouts, checked and turned into xywh doubles.
import { types } from 'node:util';
import { ArgumentError, ShapeError } from '../errors';
import * as v from '../validate';

/**
 * How a box's four numbers are laid out. 'xywh': left, top, width, height (COCO, OpenCV);
 * 'xyxy': left, top, right, bottom; 'yxyx': top, left, bottom, right (TensorFlow's
 * object detection API); 'cxcywh': centre x, centre y, width, height (YOLO, DETR).
 */
export type BoxFormat = 'yxyx' | 'xyxy' | 'xywh' | 'cxcywh';

export const BOX_FORMATS: readonly BoxFormat[] = ['yxyx', 'xyxy', 'xywh', 'cxcywh'];

/** Most boxes one argument may hold (detection heads give thousands; 2^24 is far past any). */
export const MAX_BOXES = 2 ** 24;

/** Boxes as one flat array of 4 numbers per box, or an array of [a, b, c, d] rows. */
export type BoxesInput =
  Float32Array | Float64Array | Int32Array | readonly number[] | ReadonlyArray<readonly number[]>;

/** @internal [x, y, w, h] from a box in `format` (written into out at o). */
export function writeXywh(
  format: BoxFormat,
  a: number,
  b: number,
  c: number,
  d: number,
  out: Float64Array | Float32Array,
  o: number,
): void {
  switch (format) {
    case 'xywh':
      out[o] = a;
      out[o + 1] = b;
      out[o + 2] = c;
      out[o + 3] = d;
      return;
    case 'xyxy':
      out[o] = a;
      out[o + 1] = b;
      out[o + 2] = c - a;
      out[o + 3] = d - b;
      return;
    case 'yxyx':
      out[o] = b;
      out[o + 1] = a;
      out[o + 2] = d - b;
      out[o + 3] = c - a;
      return;
    case 'cxcywh':
      out[o] = a - c / 2;
      out[o + 1] = b - d / 2;
      out[o + 2] = c;
      out[o + 3] = d;
      return;
  }
}

/** @internal Reads boxes into xywh doubles; every value must be finite. */
export function readBoxes(value: unknown, name: string, format: BoxFormat = 'xywh'): Float64Array {
  let flat: ArrayLike<number>;
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array) {
    flat = value;
  } else if (Array.isArray(value)) {
    // The length is checked before anything is read: a sparse array of length 2**32-1 is an
    // error at once, and rows are read index by index so that a hole is refused, not skipped.
    if (value.length > 0 && Array.isArray(value[0])) {
      const rows = v.arrayItems(value, name, MAX_BOXES, `an array of at most ${MAX_BOXES} [${rowNames(format)}] rows`);
      const out = new Float64Array(rows.length * 4);
      rows.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== 4)
          throw new ShapeError(
            `${name}[${i}]: expected 4 numbers [${rowNames(format)}], got ${v.describe(row)}${Array.isArray(row) ? ` of ${row.length}` : ''}`,
          );
        for (let k = 0; k < 4; k++) {
          const x = row[k];
          if (typeof x !== 'number' || !Number.isFinite(x))
            throw new ArgumentError(`${name}[${i}][${k}]: expected a finite number, got ${v.describe(x)}`);
          out[i * 4 + k] = x;
        }
      });
      flat = out;
    } else {
      v.arrayLength(value, name, 4 * MAX_BOXES, `a flat array of at most ${MAX_BOXES} boxes`);
      flat = value as number[];
    }
  } else {
    throw new ArgumentError(
      `${name}: expected a Float32Array, Float64Array, Int32Array or an array of [${rowNames(format)}] rows, got ${v.describe(value)}`,
    );
  }
  if (flat.length % 4 !== 0) throw new ShapeError(`${name}: expected 4 numbers per box, got ${flat.length} numbers`);
  const out = new Float64Array(flat.length);
  for (let i = 0; i < flat.length; i += 4) {
    for (let k = 0; k < 4; k++) {
      const x = flat[i + k];
      if (typeof x !== 'number' || !Number.isFinite(x))
        throw new ArgumentError(`${name}[${i + k}]: expected a finite number, got ${v.describe(x)}`);
    }
    writeXywh(format, flat[i]!, flat[i + 1]!, flat[i + 2]!, flat[i + 3]!, out, i);
  }
  return out;
}

function rowNames(format: BoxFormat): string {
  return { xywh: 'x, y, w, h', xyxy: 'x1, y1, x2, y2', yxyx: 'y1, x1, y2, x2', cxcywh: 'cx, cy, w, h' }[format];
}

/** @internal Numbers (scores, class ids) as an array of `count`, each checked by `check`. */
export function readNumbers(
  value: unknown,
  name: string,
  count: number,
  check: (x: number) => boolean,
  expected: string,
): ArrayLike<number> {
  const list: ArrayLike<unknown> | null = Array.isArray(value) || types.isTypedArray(value) ? value : null;
  if (list === null) {
    throw new ArgumentError(`${name}: expected a typed array or an array of ${expected}, got ${v.describe(value)}`);
  }
  if (list.length !== count)
    throw new ShapeError(`${name}: expected ${count} values (one per box), got ${list.length}`);
  for (let i = 0; i < count; i++) {
    const x = list[i];
    if (typeof x !== 'number' || !check(x))
      throw new ArgumentError(`${name}[${i}]: expected ${expected}, got ${v.describe(x)}`);
  }
  return list as ArrayLike<number>;
}
