// Native entry points that load models: SavedModel directories (returning the
// MetaGraphDef bytes for the facade to decode with protobufjs) and frozen GraphDefs, each
// async (the load runs on the libuv pool) and sync.
#include "tf/model_api.h"

#include "common/js_bytes.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "tf/model_wrap.h"
#include "workers/promise_worker.h"

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
  if (!info[1].IsArray()) Fail(ErrorKind::kArgument, "options.tags: expected an array of strings");
  Napi::Array tags = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < tags.Length(); ++i)
    r.tags.push_back(StringArg(tags.Get(i), "options.tags[" + std::to_string(i) + "]"));
  r.config = OptionalBytes(info[2], "config");
  return r;
}

Napi::Value WrapLoad(Napi::Env env, LoadResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("model", ModelWrap::Wrap(env, std::move(r.model)));
  out.Set("metaGraphDef", Napi::Buffer<char>::Copy(env, r.metaGraphDef.data(), r.metaGraphDef.size()));
  return out;
}

Napi::Value LoadSavedModelSync(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    SavedModelRequest req = ReadSavedModelRequest(info);
    LoadResult r;
    r.model = ModelCore::LoadSavedModel(req.dir, req.tags, req.config, &r.metaGraphDef);
    return WrapLoad(info.Env(), r);
  });
}

Napi::Value LoadSavedModelAsync(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto req = std::make_shared<SavedModelRequest>(ReadSavedModelRequest(info));
    return PromiseWorker<LoadResult>::Start(
        info.Env(), "tfcv.loadSavedModel",
        [req] {
          LoadResult r;
          r.model = ModelCore::LoadSavedModel(req->dir, req->tags, req->config, &r.metaGraphDef);
          return r;
        },
        WrapLoad);
  });
}

Napi::Value LoadFrozenGraphSync(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    std::string graph = OptionalBytes(info[0], "graph");
    if (graph.empty()) Fail(ErrorKind::kArgument, "graph: expected the bytes of a GraphDef, got an empty buffer");
    LoadResult r{ModelCore::LoadFrozenGraph(graph, OptionalBytes(info[1], "config")), ""};
    return WrapLoad(info.Env(), r);
  });
}

Napi::Value LoadFrozenGraphAsync(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto graph = std::make_shared<std::string>(OptionalBytes(info[0], "graph"));
    if (graph->empty()) Fail(ErrorKind::kArgument, "graph: expected the bytes of a GraphDef, got an empty buffer");
    auto config = std::make_shared<std::string>(OptionalBytes(info[1], "config"));
    return PromiseWorker<LoadResult>::Start(
        info.Env(), "tfcv.loadFrozenGraph",
        [graph, config] {
          return LoadResult{ModelCore::LoadFrozenGraph(*graph, *config), ""};
        },
        WrapLoad);
  });
}

}  // namespace

void RegisterModelApi(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeModel", ModelWrap::Init(env));
  exports.Set("loadSavedModel", Napi::Function::New<LoadSavedModelAsync>(env, "loadSavedModel"));
  exports.Set("loadSavedModelSync", Napi::Function::New<LoadSavedModelSync>(env, "loadSavedModelSync"));
  exports.Set("loadFrozenGraph", Napi::Function::New<LoadFrozenGraphAsync>(env, "loadFrozenGraph"));
  exports.Set("loadFrozenGraphSync", Napi::Function::New<LoadFrozenGraphSync>(env, "loadFrozenGraphSync"));
}

}  // namespace tfcv
