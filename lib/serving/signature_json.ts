// Signature defs as TF Serving's metadata API writes them (proto3 JSON of SignatureDef:
// DT_* dtype names, int64 dims as strings), and KServe v2's datatype names.
import type { DType } from '../dtype';
import type { SignatureInfo, TensorSpec } from '../signature';

export const TF_DTYPE_NAMES: Record<DType, string> = {
  float32: 'DT_FLOAT',
  float64: 'DT_DOUBLE',
  float16: 'DT_HALF',
  int8: 'DT_INT8',
  int16: 'DT_INT16',
  int32: 'DT_INT32',
  int64: 'DT_INT64',
  uint8: 'DT_UINT8',
  uint16: 'DT_UINT16',
  uint32: 'DT_UINT32',
  uint64: 'DT_UINT64',
  bool: 'DT_BOOL',
  string: 'DT_STRING',
};

export const V2_DATATYPES: Record<DType, string> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

export const DTYPE_OF_V2: Record<string, DType> = Object.fromEntries(
  Object.entries(V2_DATATYPES).map(([d, n]) => [n, d as DType]),
);

function tensorInfo(spec: TensorSpec) {
  return {
    dtype: TF_DTYPE_NAMES[spec.dtype as DType] ?? 'DT_INVALID',
    tensor_shape:
      spec.shape === null
        ? { dim: [], unknown_rank: true }
        : { dim: spec.shape.map((d) => ({ size: String(d), name: '' })), unknown_rank: false },
    name: spec.name,
  };
}

export function signatureDefJson(sig: SignatureInfo) {
  const map = (specs: Record<string, TensorSpec>) =>
    Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, tensorInfo(s)]));
  return { inputs: map(sig.inputs), outputs: map(sig.outputs), method_name: sig.methodName };
}

export function v2TensorMetadata(spec: TensorSpec) {
  return {
    name: spec.key,
    datatype: V2_DATATYPES[spec.dtype as DType] ?? 'UNKNOWN',
    shape: spec.shape ?? [-1],
  };
}
