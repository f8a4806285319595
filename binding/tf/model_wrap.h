// The JS-visible native Model: a handle (common/handle_wrap.h) on a ModelRef, with its
// graph introspection. Runs (tf/model_api.cc, modelRun) pin the model and their input
// tensors natively, so dispose() takes effect for new calls at once and for the session
// when the last run in flight ends.
#pragma once

#include <napi.h>

#include "common/handle_wrap.h"
#include "tf/model_core.h"

namespace tfcv {

class ModelWrap : public HandleWrap<ModelWrap, ModelRef> {
 public:
  static constexpr NativeKind kKind = NativeKind::kModel;
  static constexpr const char* kTypeName = "Model";
  static constexpr const char* kConstructHint = "loadSavedModel() or loadFrozenGraph()";

  static Napi::Function Init(Napi::Env env);
  static Napi::Object Wrap(Napi::Env env, ModelRef model);
  explicit ModelWrap(const Napi::CallbackInfo& info) : HandleWrap(info) {}

 private:
  Napi::Value Operations(const Napi::CallbackInfo& info);
  Napi::Value OperationInputs(const Napi::CallbackInfo& info);
};

}  // namespace tfcv
