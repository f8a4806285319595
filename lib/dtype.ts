// The dtypes tfcv knows, the typed array each one is viewed through, and which of them
// OpenCV can hold in a Mat. Mirrors binding/tf/dtype.cc.
import { DTypeError } from './errors';

export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

/** The dtypes a Mat can have (OpenCV depths). */
export type MatDType = 'float32' | 'float64' | 'float16' | 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16';

/** The typed array that views a tensor's data, per dtype (float16 as raw Uint16 bits, bool as bytes). */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: never;
}

export type NumericDType = Exclude<DType, 'string'>;
export type TypedArrayOf<D extends DType> = DTypeArrayMap[D];

type TypedArrayConstructor = {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayBufferView;
  readonly BYTES_PER_ELEMENT: number;
};

const ARRAY_TYPES: Record<NumericDType, TypedArrayConstructor> = {
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

export const DTYPES: readonly DType[] = [...(Object.keys(ARRAY_TYPES) as NumericDType[]), 'string'];
export const MAT_DTYPES: readonly MatDType[] = [
  'float32',
  'float64',
  'float16',
  'int8',
  'int16',
  'int32',
  'uint8',
  'uint16',
];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function isMatDType(value: unknown): value is MatDType {
  return typeof value === 'string' && (MAT_DTYPES as readonly string[]).includes(value);
}

export function bytesPerElement(dtype: NumericDType): number {
  return ARRAY_TYPES[dtype].BYTES_PER_ELEMENT;
}

/** A typed array of `dtype` over `buffer` (no copy). */
export function viewAs<D extends NumericDType>(dtype: D, buffer: ArrayBuffer): TypedArrayOf<D> {
  const Ctor = ARRAY_TYPES[dtype];
  return new Ctor(buffer, 0, buffer.byteLength / Ctor.BYTES_PER_ELEMENT) as TypedArrayOf<D>;
}

/** The dtype a typed array holds, for inference in Tensor.from; undefined for raw bytes. */
export function dtypeOfArray(data: ArrayBufferView): NumericDType | undefined {
  if (Buffer.isBuffer(data) || data instanceof DataView) return undefined;
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/** Checks a typed array may fill `dtype` without reinterpretation (raw bytes always may). */
export function checkArrayMatches(dtype: NumericDType, data: ArrayBufferView, argName: string): void {
  const held = dtypeOfArray(data);
  if (held === undefined || held === dtype) return;
  if (held === 'uint8' && dtype === 'bool') return;
  if (held === 'uint16' && dtype === 'float16') return;
  throw new DTypeError(
    `${argName}: expected ${ARRAY_TYPES[dtype].name} (or raw bytes: Buffer, DataView, ArrayBuffer) for dtype ${dtype}, got ${data.constructor.name}`,
  );
}
