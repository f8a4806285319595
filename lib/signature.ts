// Model signatures as users see them: decoded from the MetaGraphDef that the C API hands
// back (protobufjs, lib/proto), or synthesised for a frozen graph from its placeholders and
// unconsumed operations. Tensor names always come from here, never from guessing.
import { DType } from './dtype';
import { MetaGraphDef, TF_DATA_TYPES } from './proto/tensorflow_subset';

export interface TensorSpec {
  /** The signature key ('image') or, for a frozen graph, the tensor name ('input:0'). */
  key: string;
  /** Graph tensor name, e.g. 'serving_default_image:0'. */
  name: string;
  /** tfcv dtype, or 'unsupported:<TF enum>' for a dtype tfcv cannot hold. */
  dtype: DType | `unsupported:${number}`;
  /** Dims with -1 for unknown ones; null when even the rank is unknown. */
  shape: number[] | null;
}

export interface SignatureInfo {
  key: string;
  methodName: string;
  inputs: Record<string, TensorSpec>;
  outputs: Record<string, TensorSpec>;
}

export interface MetaGraphInfo {
  tags: string[];
  tensorflowVersion: string;
  /** The op that restores variables from the checkpoint ('' when the model has none). */
  restoreOp: string;
  signatures: Record<string, SignatureInfo>;
}

interface RawTensorInfo {
  name?: string;
  dtype?: number;
  tensor_shape?: { dim?: Array<{ size?: number }>; unknown_rank?: boolean };
}

function spec(key: string, info: RawTensorInfo): TensorSpec {
  const dtype = TF_DATA_TYPES[info.dtype ?? 0];
  const shape =
    info.tensor_shape?.unknown_rank || !info.tensor_shape
      ? null
      : (info.tensor_shape.dim ?? []).map((d) => Number(d.size ?? 0));
  return { key, name: info.name ?? '', dtype: (dtype as DType) ?? (`unsupported:${info.dtype ?? 0}` as const), shape };
}

function specs(map: Record<string, RawTensorInfo> | undefined): Record<string, TensorSpec> {
  const out: Record<string, TensorSpec> = {};
  for (const key of Object.keys(map ?? {}).sort()) out[key] = spec(key, map![key]!);
  return out;
}

export function decodeMetaGraph(bytes: Uint8Array): MetaGraphInfo {
  const message = MetaGraphDef.decode(bytes);
  const raw = MetaGraphDef.toObject(message, { longs: Number, defaults: true, arrays: true, objects: true }) as {
    meta_info_def?: { tags?: string[]; tensorflow_version?: string };
    saver_def?: { restore_op_name?: string };
    signature_def?: Record<
      string,
      { inputs?: Record<string, RawTensorInfo>; outputs?: Record<string, RawTensorInfo>; method_name?: string }
    >;
  };
  const signatures: Record<string, SignatureInfo> = {};
  for (const key of Object.keys(raw.signature_def ?? {}).sort()) {
    if (key === '__saved_model_init_op') continue; // an init op, not a callable signature
    const s = raw.signature_def![key]!;
    signatures[key] = { key, methodName: s.method_name ?? '', inputs: specs(s.inputs), outputs: specs(s.outputs) };
  }
  return {
    tags: raw.meta_info_def?.tags ?? [],
    tensorflowVersion: raw.meta_info_def?.tensorflow_version ?? '',
    restoreOp: raw.saver_def?.restore_op_name ?? '',
    signatures,
  };
}

export interface GraphOperation {
  name: string;
  type: string;
  numOutputs: number;
  dtype: string | null;
  shape: number[] | null;
  consumed: boolean;
}

/** A frozen graph's implicit signature: its placeholders in, its unconsumed outputs out. */
export function graphSignature(ops: GraphOperation[]): SignatureInfo {
  const toSpec = (op: GraphOperation): TensorSpec => ({
    key: `${op.name}:0`,
    name: `${op.name}:0`,
    dtype: (op.dtype as DType) ?? 'unsupported:0',
    shape: op.shape,
  });
  const inputs: Record<string, TensorSpec> = {};
  const outputs: Record<string, TensorSpec> = {};
  for (const op of ops) {
    if (op.type === 'Placeholder') inputs[`${op.name}:0`] = toSpec(op);
    else if (!op.consumed && op.numOutputs > 0 && op.type !== 'Const') outputs[`${op.name}:0`] = toSpec(op);
  }
  return { key: 'graph', methodName: 'frozen_graph', inputs, outputs };
}
