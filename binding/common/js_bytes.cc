// See js_bytes.h.
#include "common/js_bytes.h"

#include "common/env_state.h"
#include "common/errors.h"

namespace tfcv {
namespace {

const char* TypedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array:
      return "Int8Array";
    case napi_uint8_array:
      return "Uint8Array";
    case napi_uint8_clamped_array:
      return "Uint8ClampedArray";
    case napi_int16_array:
      return "Int16Array";
    case napi_uint16_array:
      return "Uint16Array";
    case napi_int32_array:
      return "Int32Array";
    case napi_uint32_array:
      return "Uint32Array";
    case napi_float32_array:
      return "Float32Array";
    case napi_float64_array:
      return "Float64Array";
    case napi_bigint64_array:
      return "BigInt64Array";
    case napi_biguint64_array:
      return "BigUint64Array";
    default:
      return "TypedArray";
  }
}

std::string Describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsNumber()) return "number";
  if (v.IsString()) return "string";
  if (v.IsBoolean()) return "boolean";
  if (v.IsArray()) return "Array";
  if (v.IsFunction()) return "function";
  return "object";
}

bool IsDetached(napi_env env, napi_value ab) {
  bool detached = false;
  napi_is_detached_arraybuffer(env, ab, &detached);
  return detached;
}

// Views over a SharedArrayBuffer cannot be pinned or handed to Node-API's ArrayBuffer calls.
void RequirePlainArrayBuffer(const JsBytes& bytes, const std::string& argName) {
  if (!bytes.arrayBuffer.IsArrayBuffer())
    Fail(ErrorKind::kArgument,
         argName + ": expected a view of an ArrayBuffer, got a " + bytes.viewKind + " over a SharedArrayBuffer");
}

}  // namespace

JsBytes ReadJsBytes(const Napi::Value& value, const std::string& argName) {
  napi_env env = value.Env();
  JsBytes out;
  if (value.IsArrayBuffer()) {
    auto ab = value.As<Napi::ArrayBuffer>();
    out.arrayBuffer = ab;
    out.viewKind = "ArrayBuffer";
  } else if (value.IsTypedArray()) {
    auto ta = value.As<Napi::TypedArray>();
    out.arrayBuffer = ta.ArrayBuffer();
    out.viewKind = TypedArrayName(ta.TypedArrayType());
    RequirePlainArrayBuffer(out, argName);
    if (IsDetached(env, out.arrayBuffer))
      Fail(ErrorKind::kArgument, argName + ": expected live binary data, got a detached " + out.viewKind);
    out.data = static_cast<uint8_t*>(out.arrayBuffer.As<Napi::ArrayBuffer>().Data()) + ta.ByteOffset();
    out.length = ta.ByteLength();
    return out;
  } else if (value.IsDataView()) {
    auto dv = value.As<Napi::DataView>();
    out.arrayBuffer = dv.ArrayBuffer();
    out.viewKind = "DataView";
    RequirePlainArrayBuffer(out, argName);
    if (IsDetached(env, out.arrayBuffer))
      Fail(ErrorKind::kArgument, argName + ": expected live binary data, got a detached DataView");
    out.data = static_cast<uint8_t*>(out.arrayBuffer.As<Napi::ArrayBuffer>().Data()) + dv.ByteOffset();
    out.length = dv.ByteLength();
    return out;
  } else {
    Fail(ErrorKind::kArgument,
         argName + ": expected a Buffer, TypedArray, DataView or ArrayBuffer, got " + Describe(value));
  }
  if (IsDetached(env, out.arrayBuffer))
    Fail(ErrorKind::kArgument, argName + ": expected live binary data, got a detached ArrayBuffer");
  auto ab = out.arrayBuffer.As<Napi::ArrayBuffer>();
  out.data = static_cast<uint8_t*>(ab.Data());
  out.length = ab.ByteLength();
  return out;
}

JsPin::JsPin(Napi::Env env, const Napi::Object& arrayBuffer) : queue_(EnvState::Get(env).deferred()) {
  napi_create_reference(env, arrayBuffer, 1, &ref_);
}

JsPin::~JsPin() {
  if (ref_ != nullptr) queue_->ReleaseReferenceLater(ref_);
}

}  // namespace tfcv
