// See model_wrap.h.
#include "tf/model_wrap.h"

#include "common/js_bytes.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "tf/tensor_wrap.h"
#include "workers/promise_worker.h"

namespace tfcv {
namespace {

std::vector<std::string> StringList(const Napi::Value& v, const std::string& name) {
  if (!v.IsArray()) Fail(ErrorKind::kArgument, name + ": expected an array of strings");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < a.Length(); ++i) out.push_back(StringArg(a.Get(i), name + "[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace

Napi::Function ModelWrap::Init(Napi::Env env) {
  return DefineHandleClass(env, "NativeModel",
                           {
                               InstanceMethod<&ModelWrap::Run>("run"),
                               InstanceMethod<&ModelWrap::RunSync>("runSync"),
                               InstanceMethod<&ModelWrap::Operations>("operations"),
                               InstanceMethod<&ModelWrap::OperationInputs>("operationInputs"),
                           });
}

Napi::Object ModelWrap::Wrap(Napi::Env env, ModelRef model) { return NewHandle(env, Adoption{std::move(model)}); }

// run(feedNames, feedTensors, fetchNames, runOptions?: Buffer)
ModelWrap::RunJob ModelWrap::PrepareRun(const Napi::CallbackInfo& info) {
  RunJob job;
  job.model = Ref("model");
  std::vector<std::string> feedNames = StringList(info[0], "feeds");
  if (!info[1].IsArray()) Fail(ErrorKind::kArgument, "feeds: expected an array of Tensors");
  Napi::Array tensors = info[1].As<Napi::Array>();
  if (tensors.Length() != feedNames.size()) Fail(ErrorKind::kArgument, "feeds: names and tensors differ in length");
  std::vector<std::string> fetchNames = StringList(info[2], "outputs");
  for (size_t i = 0; i < feedNames.size(); ++i) {
    job.feeds.push_back(job.model->Resolve(feedNames[i], "feed '" + feedNames[i] + "'"));
    job.values.push_back(TensorWrap::FromValue(tensors.Get(static_cast<uint32_t>(i)), "feed '" + feedNames[i] + "'")
                             .Ref("feed '" + feedNames[i] + "'"));
  }
  for (const std::string& name : fetchNames) job.fetches.push_back(job.model->Resolve(name, "output '" + name + "'"));
  if (info.Length() > 3 && !info[3].IsUndefined() && !info[3].IsNull()) {
    JsBytes bytes = ReadJsBytes(info[3], "runOptions");
    job.runOptions.assign(reinterpret_cast<const char*>(bytes.data), bytes.length);
  }
  return job;
}

Napi::Value ModelWrap::WrapOutputs(Napi::Env env, std::vector<TensorRef>& outputs) {
  Napi::Array out = Napi::Array::New(env, outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i)
    out.Set(static_cast<uint32_t>(i), TensorWrap::Wrap(env, outputs[i], false));
  return out;
}

Napi::Value ModelWrap::Run(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto job = std::make_shared<RunJob>(PrepareRun(info));
    return PromiseWorker<std::vector<TensorRef>>::Start(
        info.Env(), "tfcv.run",
        [job] {
          auto outputs = job->model->Run(job->feeds, job->values, job->fetches, job->runOptions);
          // Unpin inputs and the model as soon as TensorFlow is done with them.
          job->values.clear();
          job->model.reset();
          return outputs;
        },
        WrapOutputs);
  });
}

Napi::Value ModelWrap::RunSync(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    RunJob job = PrepareRun(info);
    auto outputs = job.model->Run(job.feeds, job.values, job.fetches, job.runOptions);
    return WrapOutputs(info.Env(), outputs);
  });
}

Napi::Value ModelWrap::Operations(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    std::vector<OperationInfo> ops = Ref("model")->Operations();
    Napi::Array out = Napi::Array::New(env, ops.size());
    for (size_t i = 0; i < ops.size(); ++i) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("name", ops[i].name);
      o.Set("type", ops[i].type);
      o.Set("numOutputs", ops[i].numOutputs);
      o.Set("dtype", ops[i].dtype.empty() ? env.Null() : Napi::String::New(env, ops[i].dtype));
      if (ops[i].hasShape) {
        Napi::Array shape = Napi::Array::New(env, ops[i].shape.size());
        for (size_t d = 0; d < ops[i].shape.size(); ++d)
          shape.Set(static_cast<uint32_t>(d), Napi::Number::New(env, static_cast<double>(ops[i].shape[d])));
        o.Set("shape", shape);
      } else {
        o.Set("shape", env.Null());
      }
      o.Set("consumed", ops[i].consumed);
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  });
}

Napi::Value ModelWrap::OperationInputs(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto inputs = Ref("model")->OperationInputs(StringArg(info[0], "operation"));
    Napi::Array out = Napi::Array::New(info.Env(), inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("name", inputs[i].first);
      o.Set("type", inputs[i].second);
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  });
}

}  // namespace tfcv
