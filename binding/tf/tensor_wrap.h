// The JS-visible native Tensor: a handle on a TensorRef plus the external memory it
// reports to V8. dispose() drops the handle at once (views and Mats sharing the memory
// keep it alive); any later use throws DisposedError with the reason (disposed or moved).
#pragma once

#include <napi.h>

#include <string>

#include "common/external_memory.h"
#include "tf/tensor_owner.h"

namespace tfcv {

class TensorWrap : public Napi::ObjectWrap<TensorWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  // `sharesMemory`: the memory is visible to another owner (a Mat, a JS buffer).
  // `reportsExternal`: the memory is native and should be reported to V8.
  static Napi::Object Wrap(Napi::Env env, TensorRef tensor, bool sharesMemory, bool reportsExternal = true);
  // Type-checked unwrap: throws ArgumentError naming `argName` for anything else.
  static TensorWrap& FromValue(const Napi::Value& value, const std::string& argName);

  explicit TensorWrap(const Napi::CallbackInfo& info);

  // The live tensor, or DisposedError naming `argName`.
  const TensorRef& Ref(const std::string& argName) const;
  // Hands the tensor over (mode 'move'): this handle becomes disposed with that reason.
  TensorRef MoveOut(Napi::Env env, const std::string& reason);
  bool sharesMemory() const { return sharesMemory_; }

 private:
  Napi::Value DType(const Napi::CallbackInfo& info);
  Napi::Value Shape(const Napi::CallbackInfo& info);
  Napi::Value ByteLength(const Napi::CallbackInfo& info);
  Napi::Value Disposed(const Napi::CallbackInfo& info);
  Napi::Value Shared(const Napi::CallbackInfo& info);
  Napi::Value Data(const Napi::CallbackInfo& info);
  Napi::Value StringBytes(const Napi::CallbackInfo& info);
  Napi::Value Copy(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  TensorRef tensor_;
  ExternalMemoryTicket ticket_;
  std::string disposedReason_;
  bool sharesMemory_ = false;
};

}  // namespace tfcv
