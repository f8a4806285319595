// What metric updates accept, checked before any native work: a Tensor (a batch [N,H,W] or
// [N,H,W,C]; [H,W] is one image), one Mat, or an array of Mats; per-image labels; and
// per-sample weights. Errors name the argument ("yPred[2]: the Mat was disposed").
import { DType } from '../dtype';
import { ArgumentError, DTypeError, DisposedError, ShapeError } from '../errors';
import { Mat, matHandle } from '../mat';
import { Tensor, tensorHandle } from '../tensor';
import * as v from '../validate';
import { NativeBatch } from '../binding';

/** A batch of images or masks: a Tensor ([N,H,W], [N,H,W,C], or one image [H,W]), a Mat, or Mats. */
export type MetricInput = Tensor | Mat | readonly Mat[];

/** Per-image binary labels: 0 / 1 or booleans, as an array or a Tensor [N] / [N,1]. */
export type LabelInput = readonly (number | boolean)[] | Tensor;

/** One non-negative weight per sample (image). */
export type SampleWeight = readonly number[] | Float32Array | Float64Array | Tensor;

/** Most images one metric update accepts as an array of Mats. */
const MAX_BATCH_IMAGES = 1_000_000;

/** @internal A validated batch. */
export interface Batch {
  handle: NativeBatch;
  count: number;
  dtype: DType;
  /** Per image [rows, cols, channels] (one entry for a tensor: every image has the same). */
  sizes: Array<[number, number, number]>;
  isTensor: boolean;
}

/** @internal */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
}

function liveMat(mat: Mat, name: string) {
  if (mat.disposed) throw new DisposedError(`${name}: the Mat was disposed`);
  return matHandle(mat, name);
}

/** @internal */
export function readBatch(value: unknown, name: string): Batch {
  if (value instanceof Tensor) {
    if (value.disposed) throw new DisposedError(`${name}: the Tensor was disposed`);
    const dtype = value.dtype;
    if (dtype === 'string') throw new DTypeError(`${name}: expected a numeric tensor, got a string tensor`);
    const s = value.shape;
    if (s.length < 2 || s.length > 4) {
      throw new ShapeError(`${name}: expected a batch [N,H,W] or [N,H,W,C] (or one image [H,W]), got [${s.join(',')}]`);
    }
    const [rows, cols, channels] = s.length === 2 ? [s[0]!, s[1]!, 1] : [s[1]!, s[2]!, s.length === 4 ? s[3]! : 1];
    if (rows < 1 || cols < 1 || channels < 1)
      throw new ShapeError(`${name}: expected H, W and C >= 1, got [${s.join(',')}]`);
    return {
      handle: tensorHandle(value, name),
      count: s.length === 2 ? 1 : s[0]!,
      dtype,
      sizes: [[rows, cols, channels]],
      isTensor: true,
    };
  }
  if (value instanceof Mat) {
    const handle = liveMat(value, name);
    return { handle, count: 1, dtype: value.dtype, sizes: [[value.rows, value.cols, value.channels]], isTensor: false };
  }
  if (Array.isArray(value)) {
    // The length is checked before any iteration: a sparse array of length 2^32-1 is refused at once.
    const length = v.arrayLength(value, name, MAX_BATCH_IMAGES, 'an array of Mats');
    const handles = [];
    for (let i = 0; i < length; i++) {
      const m: unknown = value[i];
      if (!(m instanceof Mat)) throw new ArgumentError(`${name}[${i}]: expected a Mat, got ${v.describe(m)}`);
      handles.push(liveMat(m, `${name}[${i}]`));
    }
    const mats = value as Mat[];
    const dtype = mats.length > 0 ? mats[0]!.dtype : 'uint8';
    mats.forEach((m, i) => {
      if (m.dtype !== dtype)
        throw new DTypeError(
          `${name}[${i}]: every Mat of a batch needs one dtype: expected ${dtype} (like ${name}[0]), got ${m.dtype}`,
        );
    });
    return {
      handle: handles,
      count: mats.length,
      dtype,
      sizes: mats.map((m) => [m.rows, m.cols, m.channels]),
      isTensor: false,
    };
  }
  throw new ArgumentError(`${name}: expected a Tensor, a Mat or an array of Mats, got ${v.describe(value)}`);
}

/** @internal Rows/cols/channels of image i. */
export function sizeOf(batch: Batch, i: number): [number, number, number] {
  return batch.isTensor ? batch.sizes[0]! : batch.sizes[i]!;
}

/** @internal Truth and prediction must describe the same images at the same size. */
export function checkSameImages(truth: Batch, pred: Batch): void {
  if (truth.count !== pred.count) {
    throw new ShapeError(
      `yTrue / yPred: expected the same number of images, got ${truth.count} in yTrue and ${pred.count} in yPred`,
    );
  }
  const n = truth.isTensor && pred.isTensor ? Math.min(1, truth.count) : truth.count;
  for (let i = 0; i < n; i++) {
    const [tr, tc] = sizeOf(truth, i);
    const [pr, pc] = sizeOf(pred, i);
    if (tr !== pr || tc !== pc) {
      throw new ShapeError(`yTrue / yPred: image ${i} is ${tr}x${tc} (rows x cols) in yTrue but ${pr}x${pc} in yPred`);
    }
  }
}

/** @internal One weight per sample, or null for "all 1". */
export function readWeights(value: unknown, count: number): number[] | null {
  if (value === undefined || value === null) return null;
  let values: ArrayLike<number>;
  if (value instanceof Tensor) {
    if (value.disposed) throw new DisposedError('sampleWeight: the Tensor was disposed');
    const dtype = value.dtype;
    if (dtype === 'string' || dtype === 'int64' || dtype === 'uint64' || dtype === 'float16') {
      throw new DTypeError(`sampleWeight: expected a float32, float64 or 32-bit integer tensor, got ${dtype}`);
    }
    values = value.data as ArrayLike<number>;
  } else if (Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array) {
    values = value as ArrayLike<number>;
  } else {
    throw new ArgumentError(
      `sampleWeight: expected an array of numbers, a Float32Array / Float64Array or a Tensor, got ${v.describe(value)}`,
    );
  }
  if (values.length !== count) {
    throw new ShapeError(`sampleWeight: expected one weight per sample (${count}), got ${values.length}`);
  }
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const w = values[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ArgumentError(`sampleWeight[${i}]: expected a finite number >= 0, got ${v.describe(w)}`);
    }
    out.push(w);
  }
  return out;
}

/** @internal Per-image labels as 0 / 1, or null when `value` is not a label input (masks). */
export function readLabels(value: unknown, name: string): number[] | null {
  let values: ArrayLike<unknown>;
  if (value instanceof Tensor) {
    if (value.disposed) throw new DisposedError(`${name}: the Tensor was disposed`);
    const s = value.shape;
    const isLabels = s.length === 1 || (s.length === 2 && s[1] === 1);
    if (!isLabels) return null;
    const dtype = value.dtype;
    if (dtype === 'string' || dtype === 'float16')
      throw new DTypeError(`${name}: expected numeric labels, got ${dtype}`);
    values = value.data as ArrayLike<unknown>;
  } else if (Array.isArray(value) && (value.length === 0 || !(value[0] instanceof Mat))) {
    v.arrayLength(value, name, MAX_BATCH_IMAGES, 'an array of labels');
    values = value;
  } else {
    return null;
  }
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const label = x === true || x === 1 || x === 1n ? 1 : x === false || x === 0 || x === 0n ? 0 : -1;
    if (label < 0)
      throw new ArgumentError(`${name}[${i}]: expected a binary label (0, 1, true or false), got ${v.describe(x)}`);
    out.push(label);
  }
  return out;
}
