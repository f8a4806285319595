// Native entry points that create Tensors from JS: alloc, from bytes (copy or zero-copy
// share of a pinned JS buffer) and from strings.
#include "tf/tensor_api.h"

#include <climits>
#include <cstring>

#include "common/js_bytes.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "common/stats.h"
#include "tf/tensor_factory.h"
#include "tf/tensor_wrap.h"

namespace tfcv {
namespace {

Napi::Value TensorAlloc(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const DType& dtype = DTypeArg(info[0], "dtype");
    Shape shape = ShapeArg(info[1], "shape");
    return TensorWrap::Wrap(info.Env(), AllocTensor(dtype, shape), false);
  });
}

// tensorFromBytes(dtype, shape, bytes, mode: 'copy'|'share', onUnaligned: 'copy'|'throw')
Napi::Value TensorFromBytes(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const DType& dtype = DTypeArg(info[0], "dtype");
    if (dtype.tf == TF_STRING) Fail(ErrorKind::kDType, "dtype: string tensors are made from string arrays, not bytes");
    Shape shape = ShapeArg(info[1], "shape");
    JsBytes bytes = ReadJsBytes(info[2], "data");
    const bool share = ChoiceArg<bool>(info[3], "options.mode", {{"copy", false}, {"share", true}});
    const bool throwOnUnaligned = ChoiceArg<bool>(info[4], "options.onUnaligned", {{"copy", false}, {"throw", true}});
    size_t count = CheckedElementCount(shape, dtype.size, "shape");
    size_t expected = count * dtype.size;
    if (bytes.length != expected)
      Fail(ErrorKind::kShape, "data: shape " + ShapeString(shape) + " of " + dtype.name + " needs " +
                                  std::to_string(expected) + " bytes, got " + std::to_string(bytes.length) + " (" +
                                  bytes.viewKind + ")");
    if (dtype.tf == TF_BOOL) {
      for (size_t i = 0; i < bytes.length && share; ++i)
        if (bytes.data[i] > 1)
          Fail(ErrorKind::kArgument, "data: a shared bool tensor needs bytes that are 0 or 1, got " +
                                         std::to_string(bytes.data[i]) + " at index " + std::to_string(i));
    }
    if (share) {
      if (IsTensorAligned(bytes.data) || expected == 0) {
        auto pin = std::make_shared<JsPin>(env, bytes.arrayBuffer);
        ForeignTensor wrapped = WrapForeignMemory(dtype, shape, bytes.data, expected, pin);
        if (wrapped.zeroCopy) {
          Stats::Get().RecordZeroCopy();
          return TensorWrap::Wrap(env, wrapped.tensor, true, false);
        }
        Stats::Get().RecordCopy(static_cast<int64_t>(expected));
        return TensorWrap::Wrap(env, wrapped.tensor, false);
      }
      if (throwOnUnaligned)
        Fail(ErrorKind::kZeroCopy,
             "data: mode 'share' needs memory aligned to 64 bytes (TensorFlow copies anything else); "
             "the " +
                 bytes.viewKind +
                 " starts at an address that is not (use Tensor.alloc() and fill "
                 "tensor.data, or onUnaligned: 'copy')");
    }
    TensorRef tensor = AllocTensor(dtype, shape);
    if (dtype.tf == TF_BOOL) {
      auto* out = static_cast<uint8_t*>(tensor->data());
      for (size_t i = 0; i < expected; ++i) out[i] = bytes.data[i] != 0;
    } else if (expected > 0) {
      std::memcpy(tensor->data(), bytes.data, expected);
    }
    Stats::Get().RecordCopy(static_cast<int64_t>(expected));
    return TensorWrap::Wrap(env, tensor, false);
  });
}

// tensorFromStrings(shape, values: Array<string | Buffer>)
Napi::Value TensorFromStrings(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Shape shape = ShapeArg(info[0], "shape");
    if (!info[1].IsArray()) Fail(ErrorKind::kArgument, "data: expected an array of strings or Buffers");
    Napi::Array values = info[1].As<Napi::Array>();
    std::vector<std::string> strings;
    strings.reserve(values.Length());
    for (uint32_t i = 0; i < values.Length(); ++i) {
      Napi::Value v = values.Get(i);
      if (v.IsString()) {
        strings.push_back(v.As<Napi::String>().Utf8Value());
      } else if (v.IsTypedArray() || v.IsArrayBuffer() || v.IsDataView()) {
        JsBytes b = ReadJsBytes(v, "data[" + std::to_string(i) + "]");
        strings.emplace_back(reinterpret_cast<const char*>(b.data), b.length);
      } else {
        Fail(ErrorKind::kArgument, "data[" + std::to_string(i) + "]: expected a string or a Buffer");
      }
    }
    return TensorWrap::Wrap(info.Env(), NewStringTensor(shape, strings), false);
  });
}

// tensorRows(tensor, firstRow, rowCount): a zero-copy Tensor over rows of dim 0 that keeps
// the tensor's memory alive (the batcher's split of a batch output).
Napi::Value TensorRows(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const TensorRef& parent = TensorWrap::FromValue(info[0], "tensor").Ref("tensor");
    const int first = IntArg(info[1], "firstRow", 0, INT_MAX);
    const int count = IntArg(info[2], "rowCount", 0, INT_MAX);
    TensorRef view = TensorOwner::RowView(parent, first, count);
    Stats::Get().RecordZeroCopy();
    return TensorWrap::Wrap(info.Env(), std::move(view), true);
  });
}

}  // namespace

void RegisterTensorApi(Napi::Env env, Napi::Object exports) {
  exports.Set("tensorRows", Napi::Function::New<TensorRows>(env, "tensorRows"));
  exports.Set("tensorAlloc", Napi::Function::New<TensorAlloc>(env, "tensorAlloc"));
  exports.Set("tensorFromBytes", Napi::Function::New<TensorFromBytes>(env, "tensorFromBytes"));
  exports.Set("tensorFromStrings", Napi::Function::New<TensorFromStrings>(env, "tensorFromStrings"));
}

}  // namespace tfcv
