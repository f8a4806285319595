// TensorProto (tensor.proto) <-> HostTensor: tensor_content (raw little-endian bytes) or the
// typed *_val fields, with TensorFlow's rule that a single value fills the whole shape.
import type { DType, NumericDType } from '../dtype';
import { TF_DATA_TYPES } from '../proto/tensorflow_subset';
import { HOST_ARRAYS, HostTensor, checkShape, elementCount } from './host_tensor';
import { ServingError } from './serving_error';

interface RawTensorProto {
  dtype?: number;
  tensor_shape?: { dim?: Array<{ size?: number | { toNumber(): number } }>; unknown_rank?: boolean };
  tensor_content?: Uint8Array;
  half_val?: number[];
  float_val?: number[];
  double_val?: number[];
  int_val?: number[];
  string_val?: Uint8Array[];
  int64_val?: Array<number | bigint | { toString(): string }>;
  bool_val?: boolean[];
  uint32_val?: number[];
  uint64_val?: Array<number | bigint | { toString(): string }>;
}

const VAL_FIELD: Record<NumericDType, keyof RawTensorProto> = {
  float32: 'float_val',
  float64: 'double_val',
  float16: 'half_val',
  int8: 'int_val',
  int16: 'int_val',
  int32: 'int_val',
  uint8: 'int_val',
  uint16: 'int_val',
  int64: 'int64_val',
  uint32: 'uint32_val',
  uint64: 'uint64_val',
  bool: 'bool_val',
};

/** Decodes a TensorProto message object (protobufjs, keepCase) into a HostTensor. */
export function hostFromTensorProto(raw: RawTensorProto, what: string): HostTensor {
  const dtype = TF_DATA_TYPES[raw.dtype ?? 0] as DType | undefined;
  if (dtype === undefined)
    throw new ServingError('INVALID_ARGUMENT', `${what}: TensorFlow dtype enum ${raw.dtype ?? 0} is not supported`);
  if (raw.tensor_shape?.unknown_rank)
    throw new ServingError('INVALID_ARGUMENT', `${what}: a tensor of unknown rank cannot be fed`);
  const shape = (raw.tensor_shape?.dim ?? []).map((d) => Number(d.size ?? 0));
  checkShape(shape, what);
  const count = elementCount(shape);
  if (dtype === 'string') {
    const values = raw.string_val ?? [];
    const buffers = values.length === 0 ? [Buffer.alloc(0)] : values.map((b) => Buffer.from(b));
    return { dtype, shape, data: fill(buffers, count, what) };
  }
  const Ctor = HOST_ARRAYS[dtype];
  const out = new Ctor(count);
  const content = raw.tensor_content;
  if (content !== undefined && content.byteLength > 0) {
    if (content.byteLength !== count * Ctor.BYTES_PER_ELEMENT)
      throw new ServingError(
        'INVALID_ARGUMENT',
        `${what}: tensor_content has ${content.byteLength} bytes, shape [${shape.join(',')}] of ${dtype} needs ${count * Ctor.BYTES_PER_ELEMENT}`,
      );
    new Uint8Array(out.buffer).set(content);
    return { dtype, shape, data: out };
  }
  const values = (raw[VAL_FIELD[dtype]] ?? []) as unknown[];
  if (values.length === 0) return { dtype, shape, data: out }; // no values: zeros, as TensorFlow fills
  const filled = fill(values, count, what);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array)
    for (let i = 0; i < count; i++) out[i] = BigInt(String(filled[i]));
  else for (let i = 0; i < count; i++) out[i] = Number(filled[i]);
  return { dtype, shape, data: out };
}

// TensorFlow: n values for n elements, or one value repeated over the shape.
function fill<T>(values: T[], count: number, what: string): T[] {
  if (values.length === count) return values;
  if (values.length === 1) return new Array<T>(count).fill(values[0]!);
  throw new ServingError(
    'INVALID_ARGUMENT',
    `${what}: ${values.length} values for a shape of ${count} elements (expected ${count}, or 1 to fill it)`,
  );
}
