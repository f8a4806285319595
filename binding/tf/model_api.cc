// Native entry points that load models: SavedModel directories (returning the
// MetaGraphDef bytes for the facade to decode with protobufjs) and frozen GraphDefs, each
// async (the load runs on the libuv pool) and sync, through ExportOp; running a model, the
// same way; and the NativeModel class.
#include "tf/model_api.h"

#include "common/js_bytes.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "tf/model_wrap.h"
#include "tf/tensor_wrap.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

std::string OptionalBytes(const Napi::Value& v, const std::string& name) {
  if (v.IsUndefined() || v.IsNull()) return "";
  JsBytes b = ReadJsBytes(v, name);
  return std::string(reinterpret_cast<const char*>(b.data), b.length);
}

struct SavedModelRequest {
  std::string dir;
  std::vector<std::string> tags;
  std::string config;
};

struct LoadResult {
  ModelRef model;
  std::string metaGraphDef;
};

SavedModelRequest ReadSavedModelRequest(const Napi::CallbackInfo& info) {
  SavedModelRequest r;
  r.dir = StringArg(info[0], "dir");
  r.tags = StringListArg(info[1], "options.tags");
  r.config = OptionalBytes(info[2], "config");
  return r;
}

Napi::Value WrapLoad(Napi::Env env, LoadResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("model", ModelWrap::Wrap(env, std::move(r.model)));
  out.Set("metaGraphDef", Napi::Buffer<char>::Copy(env, r.metaGraphDef.data(), r.metaGraphDef.size()));
  return out;
}

// loadSavedModel(dir, tags, config?): the model and its MetaGraphDef bytes.
OpJob<LoadResult> PrepareLoadSavedModel(const Napi::CallbackInfo& info) {
  auto req = std::make_shared<SavedModelRequest>(ReadSavedModelRequest(info));
  return {[req] {
            LoadResult r;
            r.model = ModelCore::LoadSavedModel(req->dir, req->tags, req->config, &r.metaGraphDef);
            return r;
          },
          WrapLoad};
}

// loadFrozenGraph(graph, config?)
OpJob<LoadResult> PrepareLoadFrozenGraph(const Napi::CallbackInfo& info) {
  auto graph = std::make_shared<std::string>(OptionalBytes(info[0], "graph"));
  if (graph->empty()) Fail(ErrorKind::kArgument, "graph: expected the bytes of a GraphDef, got an empty buffer");
  auto config = std::make_shared<std::string>(OptionalBytes(info[1], "config"));
  return {[graph, config] { return LoadResult{ModelCore::LoadFrozenGraph(*graph, *config), ""}; }, WrapLoad};
}

// What a run pins: the model and its input tensors, until TensorFlow is done with them.
struct RunRequest {
  ModelRef model;
  std::vector<TF_Output> feeds;
  std::vector<TensorRef> values;
  std::vector<TF_Output> fetches;
  std::string runOptions;
};

Napi::Value WrapOutputs(Napi::Env env, std::vector<TensorRef>& outputs) {
  Napi::Array out = Napi::Array::New(env, outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i)
    out.Set(static_cast<uint32_t>(i), TensorWrap::Wrap(env, outputs[i], false));
  return out;
}

// modelRun(model, feedNames, feedTensors, fetchNames, runOptions?: Buffer): the output tensors.
// The model and the inputs are pinned by the job, so dispose() during a run is safe.
OpJob<std::vector<TensorRef>> PrepareModelRun(const Napi::CallbackInfo& info) {
  auto req = std::make_shared<RunRequest>();
  req->model = ModelWrap::FromValue(info[0], "model").Ref("model");
  std::vector<std::string> feedNames = StringListArg(info[1], "feeds");
  if (!info[2].IsArray()) Fail(ErrorKind::kArgument, "feeds: expected an array of Tensors");
  Napi::Array tensors = info[2].As<Napi::Array>();
  if (tensors.Length() != feedNames.size()) Fail(ErrorKind::kArgument, "feeds: names and tensors differ in length");
  std::vector<std::string> fetchNames = StringListArg(info[3], "outputs");
  for (size_t i = 0; i < feedNames.size(); ++i) {
    const std::string label = "feed '" + feedNames[i] + "'";
    req->feeds.push_back(req->model->Resolve(feedNames[i], label));
    req->values.push_back(TensorWrap::FromValue(tensors.Get(static_cast<uint32_t>(i)), label).Ref(label));
  }
  for (const std::string& name : fetchNames) req->fetches.push_back(req->model->Resolve(name, "output '" + name + "'"));
  if (!info[4].IsUndefined() && !info[4].IsNull()) {
    JsBytes bytes = ReadJsBytes(info[4], "runOptions");
    req->runOptions.assign(reinterpret_cast<const char*>(bytes.data), bytes.length);
  }
  return {[req] {
            auto outputs = req->model->Run(req->feeds, req->values, req->fetches, req->runOptions);
            // Unpin inputs and the model as soon as TensorFlow is done with them.
            req->values.clear();
            req->model.reset();
            return outputs;
          },
          WrapOutputs};
}

}  // namespace

void RegisterModelApi(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", ModelWrap::Init(env));
  ExportOp(env, exports, "loadSavedModel", &PrepareLoadSavedModel);
  ExportOp(env, exports, "loadFrozenGraph", &PrepareLoadFrozenGraph);
  ExportOp(env, exports, "modelRun", &PrepareModelRun);
}

}  // namespace tfcv
