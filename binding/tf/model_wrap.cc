// See model_wrap.h.
#include "tf/model_wrap.h"

#include "common/errors.h"
#include "common/js_args.h"

namespace tfcv {
Napi::Function ModelWrap::Init(Napi::Env env) {
  return DefineHandleClass(env, "NativeModel",
                           {
                               InstanceMethod<&ModelWrap::Operations>("operations"),
                               InstanceMethod<&ModelWrap::OperationInputs>("operationInputs"),
                           });
}

Napi::Object ModelWrap::Wrap(Napi::Env env, ModelRef model) { return NewHandle(env, Adoption{std::move(model)}); }

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
