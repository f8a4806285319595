// The JS-visible native Tensor: a handle (common/handle_wrap.h) on a TensorRef plus the
// external memory it reports to V8. dispose() drops the handle at once (views and Mats
// sharing the memory keep it alive); any later use throws DisposedError with the reason.
#pragma once

#include <napi.h>

#include <string>

#include "common/handle_wrap.h"
#include "tf/tensor_owner.h"

namespace tfcv {

class TensorWrap : public HandleWrap<TensorWrap, TensorRef> {
 public:
  static constexpr NativeKind kKind = NativeKind::kTensor;
  static constexpr const char* kTypeName = "Tensor";
  static constexpr const char* kConstructHint = "Tensor.from(), Tensor.alloc() or toTensor()";

  static Napi::Function Init(Napi::Env env);
  // `sharesMemory`: the memory is visible to another owner (a Mat, a JS buffer).
  // `reportsExternal`: the memory is native and should be reported to V8.
  static Napi::Object Wrap(Napi::Env env, TensorRef tensor, bool sharesMemory, bool reportsExternal = true);

  explicit TensorWrap(const Napi::CallbackInfo& info) : HandleWrap(info) {}

 private:
  Napi::Value DType(const Napi::CallbackInfo& info);
  Napi::Value Shape(const Napi::CallbackInfo& info);
  Napi::Value ByteLength(const Napi::CallbackInfo& info);
  Napi::Value Shared(const Napi::CallbackInfo& info);
  Napi::Value Data(const Napi::CallbackInfo& info);
  Napi::Value StringBytes(const Napi::CallbackInfo& info);
  Napi::Value Copy(const Napi::CallbackInfo& info);
};

}  // namespace tfcv
