// See tensor_wrap.h.
#include "tf/tensor_wrap.h"

#include <tensorflow/c/tf_tstring.h>

#include <cstring>

#include "common/external_view.h"
#include "common/errors.h"
#include "common/stats.h"
#include "tf/tensor_factory.h"

namespace tfcv {
namespace {

TensorRef CopyTensor(const TensorOwner& source) {
  TensorRef copy = AllocTensor(source.dtype(), source.shape());
  if (source.dtype().tf == TF_STRING) {
    auto* from = static_cast<const TF_TString*>(source.data());
    auto* to = static_cast<TF_TString*>(copy->data());
    for (size_t i = 0, n = source.elementCount(); i < n; ++i)
      TF_TString_Copy(&to[i], TF_TString_GetDataPointer(&from[i]), TF_TString_GetSize(&from[i]));
  } else if (source.byteLength() > 0) {
    std::memcpy(copy->data(), source.data(), source.byteLength());
  }
  Stats::Get().RecordCopy(static_cast<int64_t>(source.byteLength()));
  return copy;
}

}  // namespace

Napi::Function TensorWrap::Init(Napi::Env env) {
  return DefineHandleClass(env, "NativeTensor",
                           {
                               InstanceAccessor<&TensorWrap::DType>("dtype"),
                               InstanceAccessor<&TensorWrap::Shape>("shape"),
                               InstanceAccessor<&TensorWrap::ByteLength>("byteLength"),
                               InstanceAccessor<&TensorWrap::Shared>("shared"),
                               InstanceMethod<&TensorWrap::Data>("data"),
                               InstanceMethod<&TensorWrap::StringBytes>("stringBytes"),
                               InstanceMethod<&TensorWrap::Copy>("copy"),
                           });
}

Napi::Object TensorWrap::Wrap(Napi::Env env, TensorRef tensor, bool sharesMemory, bool reportsExternal) {
  const int64_t bytes = reportsExternal ? static_cast<int64_t>(tensor->byteLength()) : 0;
  return NewHandle(env, Adoption{std::move(tensor), bytes, sharesMemory});
}

Napi::Value TensorWrap::DType(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(),
                 [&]() -> Napi::Value { return Napi::String::New(info.Env(), Ref("tensor")->dtype().name); });
}

Napi::Value TensorWrap::Shape(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    tfcv::Shape shape = Ref("tensor")->shape();
    Napi::Array out = Napi::Array::New(info.Env(), shape.size());
    for (size_t i = 0; i < shape.size(); ++i)
      out.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), static_cast<double>(shape[i])));
    return out;
  });
}

Napi::Value TensorWrap::ByteLength(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    return Napi::Number::New(info.Env(), static_cast<double>(Ref("tensor")->byteLength()));
  });
}

Napi::Value TensorWrap::Shared(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), sharesMemory());
}

Napi::Value TensorWrap::Data(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const TensorRef& t = Ref("tensor");
    if (t->dtype().tf == TF_STRING)
      Fail(ErrorKind::kDType, "tensor.data: string tensors have no flat data view; use strings()");
    // The view holds its own TensorRef: it stays valid after dispose() and GC of the Tensor.
    return MakeExternalView(info.Env(), t->data(), t->byteLength(), t).buffer;
  });
}

Napi::Value TensorWrap::StringBytes(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const TensorRef& t = Ref("tensor");
    if (t->dtype().tf != TF_STRING)
      Fail(ErrorKind::kDType, std::string("tensor.strings: expected a string tensor, got ") + t->dtype().name);
    auto* strings = static_cast<const TF_TString*>(t->data());
    size_t n = t->elementCount();
    Napi::Array out = Napi::Array::New(info.Env(), n);
    for (size_t i = 0; i < n; ++i) {
      out.Set(static_cast<uint32_t>(i), Napi::Buffer<char>::Copy(info.Env(), TF_TString_GetDataPointer(&strings[i]),
                                                                 TF_TString_GetSize(&strings[i])));
    }
    return out;
  });
}

Napi::Value TensorWrap::Copy(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value { return Wrap(info.Env(), CopyTensor(*Ref("tensor")), false); });
}

}  // namespace tfcv
