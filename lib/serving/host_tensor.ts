// A tensor as the protocols carry it before and after a run: dtype, shape and plain JS data
// (a typed array, or Buffers for strings). Converting to a feed and back from an output
// lives here, so the JSON, binary and warm-up paths agree on one representation.
import type { DType, NumericDType } from '../dtype';
import { Tensor } from '../tensor';
import { ServingError } from './serving_error';

export type HostData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Buffer[];

export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: HostData;
}

type ArrayCtor = { new (length: number): Exclude<HostData, Buffer[]>; BYTES_PER_ELEMENT: number };

export const HOST_ARRAYS: Record<NumericDType, ArrayCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Most elements one request may carry in one tensor (a bound on what a body makes us allocate). */
export const MAX_REQUEST_ELEMENTS = 256 * 1024 * 1024;

/** Highest rank a request may nest (TensorFlow's own limit is 254; images are 4). */
export const MAX_REQUEST_RANK = 32;

export function checkShape(shape: readonly number[], what: string): void {
  if (shape.length > MAX_REQUEST_RANK)
    throw new ServingError(
      'INVALID_ARGUMENT',
      `${what}: rank ${shape.length} is over the limit of ${MAX_REQUEST_RANK}`,
    );
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0)
      throw new ServingError('INVALID_ARGUMENT', `${what}: shape [${shape.join(',')}] has a dim that is not a count`);
  if (elementCount(shape) > MAX_REQUEST_ELEMENTS)
    throw new ServingError(
      'INVALID_ARGUMENT',
      `${what}: shape [${shape.join(',')}] holds more than ${MAX_REQUEST_ELEMENTS} elements`,
    );
}

/** A Tensor for the run (the caller disposes it). */
export function toTensor(host: HostTensor): Tensor {
  if (host.dtype === 'string') return Tensor.from(host.data as Buffer[], { dtype: 'string', shape: host.shape });
  const data = host.data as Exclude<HostData, Buffer[]>;
  return Tensor.from(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    dtype: host.dtype,
    shape: host.shape,
  });
}

/** Reads an output tensor into host memory (a view for numeric dtypes: keep the tensor alive while it is read). */
export function fromTensor(tensor: Tensor): HostTensor {
  if (tensor.dtype === 'string') {
    return { dtype: 'string', shape: tensor.shape, data: tensor.bytes() };
  }
  return { dtype: tensor.dtype, shape: tensor.shape, data: tensor.data as Exclude<HostData, Buffer[]> };
}
