// See tensor_wrap.h.
#include "tf/tensor_wrap.h"

#include <tensorflow/c/tf_tstring.h>

#include <cstring>

#include "common/external_view.h"
#include "common/env_state.h"
#include "common/errors.h"
#include "common/type_tags.h"
#include "common/stats.h"
#include "tf/tensor_factory.h"

namespace tfcv {
namespace {

// Hands the TensorRef to the constructor: set by Wrap() just before `new`, on the same
// thread. JS code calling `new Tensor()` finds it empty and gets a clear error.
struct PendingTensor {
  TensorRef tensor;
  bool sharesMemory = false;
  bool reportsExternal = true;
  bool set = false;
};
thread_local PendingTensor pending;

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
  Napi::Function ctor = DefineClass(env, "NativeTensor",
                                    {
                                        InstanceAccessor<&TensorWrap::DType>("dtype"),
                                        InstanceAccessor<&TensorWrap::Shape>("shape"),
                                        InstanceAccessor<&TensorWrap::ByteLength>("byteLength"),
                                        InstanceAccessor<&TensorWrap::Disposed>("disposed"),
                                        InstanceAccessor<&TensorWrap::Shared>("shared"),
                                        InstanceMethod<&TensorWrap::Data>("data"),
                                        InstanceMethod<&TensorWrap::StringBytes>("stringBytes"),
                                        InstanceMethod<&TensorWrap::Copy>("copy"),
                                        InstanceMethod<&TensorWrap::Dispose>("dispose"),
                                    });
  EnvState::Get(env).tensorConstructor = Napi::Persistent(ctor);
  return ctor;
}

Napi::Object TensorWrap::Wrap(Napi::Env env, TensorRef tensor, bool sharesMemory, bool reportsExternal) {
  pending = PendingTensor{std::move(tensor), sharesMemory, reportsExternal, true};
  Napi::Object obj = EnvState::Get(env).tensorConstructor.New({});
  return obj;
}

TensorWrap::TensorWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TensorWrap>(info) {
  Guarded(info.Env(), [&] {
    if (!pending.set)
      Fail(ErrorKind::kArgument, "Tensor: not constructible directly; use Tensor.from(), Tensor.alloc() or toTensor()");
    PendingTensor taken = std::move(pending);
    pending = PendingTensor{};
    tensor_ = std::move(taken.tensor);
    sharesMemory_ = taken.sharesMemory;
    if (taken.reportsExternal) ticket_ = ExternalMemoryTicket(info.Env(), static_cast<int64_t>(tensor_->byteLength()));
    TagObject(info.Env(), info.This().As<Napi::Object>(), NativeKind::kTensor);
  });
}

TensorWrap& TensorWrap::FromValue(const Napi::Value& value, const std::string& argName) {
  if (!HasTag(value, NativeKind::kTensor)) Fail(ErrorKind::kArgument, argName + ": expected a Tensor");
  return *Napi::ObjectWrap<TensorWrap>::Unwrap(value.As<Napi::Object>());
}

const TensorRef& TensorWrap::Ref(const std::string& argName) const {
  if (!tensor_) Fail(ErrorKind::kDisposed, argName + ": the Tensor was " + disposedReason_);
  return tensor_;
}

TensorRef TensorWrap::MoveOut(Napi::Env env, const std::string& reason) {
  TensorRef out = Ref("tensor");
  tensor_.reset();
  ticket_.ReleaseNow(env);
  disposedReason_ = reason;
  return out;
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

Napi::Value TensorWrap::Disposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), !tensor_); }

Napi::Value TensorWrap::Shared(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), sharesMemory_); }

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

Napi::Value TensorWrap::Dispose(const Napi::CallbackInfo& info) {
  if (tensor_) {
    tensor_.reset();
    ticket_.ReleaseNow(info.Env());
    disposedReason_ = "disposed";
  }
  return info.Env().Undefined();
}

}  // namespace tfcv
