// Reading JS memory arguments (ArrayBuffer, any TypedArray, DataView, Buffer) as a byte
// span, and pinning the ArrayBuffer behind one so that native memory can alias it. A pin
// is released on the JS thread through the deferred queue, whatever thread drops it.
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "common/deferred_queue.h"

namespace tfcv {

struct JsBytes {
  uint8_t* data = nullptr;
  size_t length = 0;
  Napi::Object arrayBuffer;  // the ArrayBuffer that owns the bytes
  std::string viewKind;      // "Float32Array", "Buffer", "ArrayBuffer", ...
};

// Throws ArgumentError naming `argName` when `value` is not binary data or is detached.
JsBytes ReadJsBytes(const Napi::Value& value, const std::string& argName);

// Keeps a JS ArrayBuffer alive from native code. Create on the JS thread; destroy anywhere.
class JsPin {
 public:
  JsPin(Napi::Env env, const Napi::Object& arrayBuffer);
  ~JsPin();
  JsPin(const JsPin&) = delete;
  JsPin& operator=(const JsPin&) = delete;

 private:
  napi_ref ref_ = nullptr;
  std::shared_ptr<DeferredQueue> queue_;
};

}  // namespace tfcv
