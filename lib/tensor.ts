// Tensor: a TF_Tensor owned natively, seen from JS through a zero-copy typed-array view.
// dispose() releases this handle at once; views already handed out stay valid because
// each holds its own reference to the native memory (no order of dispose / GC can leave
// one dangling).
import { trackInScope } from './scope';
import { markAsUntransferable } from 'node:worker_threads';
import {
  DType,
  NumericDType,
  TypedArrayOf,
  checkArrayMatches,
  dtypeOfArray,
  isDType,
  bytesPerElement,
  viewAs,
} from './dtype';
import { ArgumentError, DTypeError, ShapeError } from './errors';
import { native, NativeTensor } from './binding';
import { optionKeys } from './option_keys';
import * as v from './validate';
import { guardReceivers } from './receiver';

export type ShareMode = 'copy' | 'share';

export interface TensorFromOptions {
  /** Dims; defaults to `[data.length]`. */
  shape?: readonly number[];
  /** Element type; inferred from a typed array, required for raw bytes (Buffer, DataView, ArrayBuffer). */
  dtype?: DType;
  /**
   * `'copy'` (default): the tensor gets its own memory. `'share'`: zero-copy; the tensor
   * aliases the JS memory, pins it (and marks its ArrayBuffer untransferable) until the
   * tensor's memory is released. Writes through either side are visible on the other.
   */
  mode?: ShareMode;
  /**
   * `'share'` needs 64-byte aligned memory (TensorFlow copies anything else).
   * `'copy'` (default) falls back to a copy (`tensor.shared` is then false);
   * `'throw'` raises ZeroCopyError.
   */
  onUnaligned?: 'copy' | 'throw';
}

const FROM_KEYS = optionKeys<TensorFromOptions>('Tensor.from', {
  shape: true,
  dtype: true,
  mode: true,
  onUnaligned: true,
});

export type TensorData =
  | ArrayBufferView
  | ArrayBuffer
  | readonly number[]
  | readonly bigint[]
  | readonly boolean[]
  | readonly string[]
  | readonly Buffer[];

// Module-private access to a Tensor's native handle (see lib/mat.ts).
let readTensorHandle: (tensor: unknown) => NativeTensor | undefined;

export class Tensor<D extends DType = DType> {
  #native: NativeTensor;
  #view: TypedArrayOf<D> | undefined;

  static {
    readTensorHandle = (t) => (typeof t === 'object' && t !== null && #native in t ? t.#native : undefined);
  }

  /** @internal Use Tensor.from / Tensor.alloc / toTensor. */
  constructor(handle: NativeTensor) {
    if (!native.isNative(handle, 'tensor')) {
      throw new ArgumentError('Tensor: not constructible directly; use Tensor.from(), Tensor.alloc() or toTensor()');
    }
    this.#native = handle;
    trackInScope(this);
  }

  /**
   * A tensor from JS data: a typed array (dtype inferred), raw bytes (dtype required), a
   * number / bigint / boolean array (dtype defaults to float32 / int64 / bool) or a string
   * array (dtype string).
   */
  static from<D extends DType = DType>(data: TensorData, options?: TensorFromOptions & { dtype?: D }): Tensor<D> {
    const o = v.optionsObject(options, FROM_KEYS);
    const mode = v.oneOf(o.mode, ['copy', 'share'] as const, 'options.mode', 'copy');
    const onUnaligned = v.oneOf(o.onUnaligned, ['copy', 'throw'] as const, 'options.onUnaligned', 'copy');
    if (o.dtype !== undefined && !isDType(o.dtype))
      throw new DTypeError(`options.dtype: expected a tfcv dtype, got ${v.describe(o.dtype)}`);

    if (Array.isArray(data)) return tensorFromArray(data, o.dtype as D | undefined, o.shape) as Tensor<D>;
    if (!v.isBinary(data)) {
      throw new ArgumentError(
        `data: expected a TypedArray, Buffer, DataView, ArrayBuffer or array, got ${v.describe(data)}`,
      );
    }
    const view = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    const dtype = (o.dtype ?? dtypeOfArray(data instanceof ArrayBuffer ? new DataView(data) : data)) as
      DType | undefined;
    if (dtype === undefined) throw new DTypeError(`options.dtype: required for raw bytes (${v.describe(data)})`);
    if (dtype === 'string')
      throw new DTypeError('options.dtype: string tensors are made from an array of strings or Buffers');
    if (!(data instanceof ArrayBuffer)) checkArrayMatches(dtype, data, 'data');
    const size = bytesPerElement(dtype);
    if (view.byteLength % size !== 0) {
      throw new ShapeError(
        `data: ${view.byteLength} bytes is not a whole number of ${dtype} elements (${size} bytes each)`,
      );
    }
    const dims = o.shape === undefined ? [view.byteLength / size] : v.shape(o.shape, 'options.shape');
    if (mode === 'share') markAsUntransferable(view.buffer);
    return new Tensor<D>(native.tensorFromBytes(dtype, dims, view, mode, onUnaligned));
  }

  /** Aligned, uninitialised TensorFlow memory to fill in place through `tensor.data` (strings: empty). */
  static alloc<D extends DType>(dtype: D, shape: readonly number[]): Tensor<D> {
    if (!isDType(dtype)) throw new DTypeError(`dtype: expected a tfcv dtype, got ${v.describe(dtype)}`);
    return new Tensor<D>(native.tensorAlloc(dtype, v.shape(shape, 'shape')));
  }

  get dtype(): D {
    return tensorHandle(this).dtype as D;
  }
  get shape(): number[] {
    return tensorHandle(this).shape;
  }
  /** Rank (number of dims). */
  get rank(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return v.elementCount(this.shape);
  }
  get byteLength(): number {
    return tensorHandle(this).byteLength;
  }
  /** True after dispose() or after the tensor was moved into a Mat. */
  get disposed(): boolean {
    return tensorHandle(this).disposed;
  }
  /** True when this tensor was created as a zero-copy share of another owner's memory. */
  get shared(): boolean {
    return tensorHandle(this).shared;
  }

  /**
   * Zero-copy typed view of the tensor's memory (float16 as Uint16 bits, bool as bytes).
   * Writes go straight into the tensor. The view keeps the memory alive on its own, so it
   * stays valid after dispose().
   */
  get data(): TypedArrayOf<D> {
    const h = tensorHandle(this);
    if (this.#view === undefined) {
      const dtype = h.dtype as DType;
      if (dtype === 'string') throw new DTypeError('tensor.data: string tensors have no flat data view; use strings()');
      this.#view = viewAs(dtype as NumericDType, h.data()) as TypedArrayOf<D>;
    }
    return this.#view;
  }

  /** The elements of a string tensor, decoded as UTF-8. */
  strings(): string[] {
    return tensorHandle(this)
      .stringBytes()
      .map((b) => b.toString('utf8'));
  }

  /** The elements of a string tensor as Buffers (copies). */
  bytes(): Buffer[] {
    return tensorHandle(this).stringBytes();
  }

  /** An independent copy with its own memory. */
  copy(): Tensor<D> {
    return new Tensor<D>(tensorHandle(this).copy());
  }

  /** Releases this handle now (idempotent). Later use throws DisposedError. */
  dispose(): void {
    tensorHandle(this).dispose();
    this.#view = undefined;
  }

  /** dispose() for `using` (TypeScript 5.2+ / explicit resource management). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    // console.log(Tensor.prototype) must not throw: only real Tensors describe themselves.
    if (readTensorHandle(this) === undefined) return 'Tensor {}';
    if (this.disposed) return 'Tensor <disposed>';
    return `Tensor<${this.dtype}> [${this.shape.join(',')}]${this.shared ? ' (shared)' : ''}`;
  }
}

guardReceivers(Tensor, (x) => readTensorHandle(x) !== undefined);

/** Most elements a tensor made from a JS array may have (a typed array has no such cap). */
const MAX_ARRAY_ELEMENTS = 2 ** 28;

function tensorFromArray(
  data: readonly unknown[],
  dtype: DType | undefined,
  shapeOption: readonly number[] | undefined,
): Tensor {
  // Checked before iterating: a sparse array of length 2^32-1 is refused at once.
  const length = v.arrayLength(data, 'data', MAX_ARRAY_ELEMENTS);
  const dims = shapeOption === undefined ? [length] : v.shape(shapeOption, 'options.shape');
  if (v.elementCount(dims) !== data.length) {
    throw new ShapeError(
      `options.shape: [${dims.join(',')}] holds ${v.elementCount(dims)} elements, got an array of ${data.length}`,
    );
  }
  const first = data[0];
  const kind =
    dtype ??
    (typeof first === 'string' || Buffer.isBuffer(first)
      ? 'string'
      : typeof first === 'bigint'
        ? 'int64'
        : typeof first === 'boolean'
          ? 'bool'
          : 'float32');
  if (kind === 'string') {
    for (let i = 0; i < length; i++) {
      const s: unknown = data[i];
      if (typeof s !== 'string' && !ArrayBuffer.isView(s))
        throw new ArgumentError(`data[${i}]: expected a string or Buffer, got ${v.describe(s)}`);
    }
    return tensorFromNative(native.tensorFromStrings(dims, data as Array<string | ArrayBufferView>));
  }
  const tensor = Tensor.alloc(kind, dims);
  try {
    const out = tensor.data as ArrayLike<unknown> & { [i: number]: unknown };
    const bigints = kind === 'int64' || kind === 'uint64';
    // A for loop, not forEach: holes of a sparse array are errors, never uninitialised elements.
    for (let i = 0; i < length; i++) {
      const x: unknown = data[i];
      const ok = bigints
        ? typeof x === 'bigint' || Number.isSafeInteger(x)
        : typeof x === 'number' || typeof x === 'boolean';
      if (!ok)
        throw new ArgumentError(
          `data[${i}]: expected a ${bigints ? 'bigint or safe integer' : 'number'} for dtype ${kind}, got ${v.describe(x)}`,
        );
      out[i] = bigints ? BigInt(x as number) : kind === 'bool' ? (x ? 1 : 0) : Number(x);
    }
  } catch (error) {
    tensor.dispose();
    throw error;
  }
  return tensor;
}

/** @internal */
export function tensorFromNative<D extends DType>(handle: NativeTensor): Tensor<D> {
  return new Tensor<D>(handle);
}

/**
 * @internal The native handle of a Tensor. A disposed handle is returned as is: every native
 * call on it throws DisposedError saying whether it was disposed or moved.
 */
export function tensorHandle(tensor: unknown, name = 'tensor'): NativeTensor {
  const handle = readTensorHandle(tensor);
  if (handle === undefined) throw new ArgumentError(`${name}: expected a Tensor, got ${v.describe(tensor)}`);
  return handle;
}
