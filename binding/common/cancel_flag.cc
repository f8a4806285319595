// See cancel_flag.h.
#include "common/cancel_flag.h"

#include "common/errors.h"

namespace tfcv {

CancelFlag CancelFlag::FromArg(const Napi::Value& value, const std::string& name) {
  CancelFlag flag;
  if (value.IsUndefined() || value.IsNull()) return flag;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    Fail(ErrorKind::kArgument, name + ": expected a Uint8Array cancellation flag");
  JsBytes bytes = ReadJsBytes(value, name);
  if (bytes.length < 1 || !bytes.arrayBuffer.IsArrayBuffer())
    Fail(ErrorKind::kArgument, name + ": expected a Uint8Array of at least one byte over an ArrayBuffer");
  flag.pin_ = std::make_shared<JsPin>(value.Env(), bytes.arrayBuffer);
  flag.byte_ = bytes.data;
  return flag;
}

}  // namespace tfcv
