// The few TensorFlow protobuf messages tfcv reads or writes, declared with only the fields
// it uses (field numbers from tensorflow/core/protobuf/*.proto). protobufjs skips every
// other field when decoding, so a MetaGraphDef's large GraphDef costs nothing.
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tensorflow;

message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorInfo {
  string name = 1;
  int32 dtype = 2;
  TensorShapeProto tensor_shape = 3;
}

message SignatureDef {
  map<string, TensorInfo> inputs = 1;
  map<string, TensorInfo> outputs = 2;
  string method_name = 3;
}

message MetaInfoDef {
  string meta_graph_version = 1;
  repeated string tags = 4;
  string tensorflow_version = 5;
}

message SaverDef {
  string filename_tensor_name = 1;
  string save_tensor_name = 2;
  string restore_op_name = 3;
}

message MetaGraphDef {
  MetaInfoDef meta_info_def = 1;
  SaverDef saver_def = 3;
  map<string, SignatureDef> signature_def = 5;
}

message OptimizerOptions {
  enum GlobalJitLevel { DEFAULT = 0; OFF = -1; ON_1 = 1; ON_2 = 2; }
  GlobalJitLevel global_jit_level = 5;
}

message GraphOptions {
  OptimizerOptions optimizer_options = 3;
}

message ConfigProto {
  int32 intra_op_parallelism_threads = 2;
  int32 inter_op_parallelism_threads = 5;
  bool use_per_session_threads = 9;
  bool allow_soft_placement = 7;
  GraphOptions graph_options = 10;
}

message RunOptions {
  int64 timeout_in_ms = 2;
}
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;

export const MetaGraphDef = root.lookupType('tensorflow.MetaGraphDef');
export const ConfigProto = root.lookupType('tensorflow.ConfigProto');
export const RunOptions = root.lookupType('tensorflow.RunOptions');

/** TensorFlow's DataType enum (types.proto) for the dtypes tfcv supports. */
export const TF_DATA_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'float64',
  3: 'int32',
  4: 'uint8',
  5: 'int16',
  6: 'int8',
  7: 'string',
  9: 'int64',
  10: 'bool',
  17: 'uint16',
  19: 'float16',
  22: 'uint32',
  23: 'uint64',
};
