// The TF Serving protobuf messages tfcv reads or writes (warm-up PredictionLog records, the
// TensorProtos inside them, and tf.Example for classify / regress), declared with only the fields it uses; field numbers from
// tensorflow_serving/apis/{prediction_log,predict,model}.proto and
// tensorflow/core/framework/tensor.proto and tensorflow/core/example/{example,feature}.proto.
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tfcv.serving;

message Dim { int64 size = 1; string name = 2; }
message TensorShapeProto { repeated Dim dim = 2; bool unknown_rank = 3; }

message TensorProto {
  int32 dtype = 1;
  TensorShapeProto tensor_shape = 2;
  bytes tensor_content = 4;
  repeated int32 half_val = 13 [packed = true];
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
  repeated uint32 uint32_val = 16 [packed = true];
  repeated uint64 uint64_val = 17 [packed = true];
}

message Int64Value { int64 value = 1; }
message ModelSpec { string name = 1; Int64Value version = 2; string signature_name = 3; string version_label = 4; }
message PredictRequest { ModelSpec model_spec = 1; map<string, TensorProto> inputs = 2; repeated string output_filter = 3; }
message PredictLog { PredictRequest request = 1; }
message LogMetadata { ModelSpec model_spec = 1; }
message PredictionLog {
  LogMetadata log_metadata = 1;
  bytes classify_log = 2;
  bytes regress_log = 3;
  bytes multi_inference_log = 4;
  bytes session_run_log = 5;
  PredictLog predict_log = 6;
}

message BytesList { repeated bytes value = 1; }
message FloatList { repeated float value = 1 [packed = true]; }
message Int64List { repeated int64 value = 1 [packed = true]; }
message Feature { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; }
message Features { map<string, Feature> feature = 1; }
message Example { Features features = 1; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;

export const TensorProto = root.lookupType('tfcv.serving.TensorProto');
export const PredictionLog = root.lookupType('tfcv.serving.PredictionLog');
export const Example = root.lookupType('tfcv.serving.Example');
