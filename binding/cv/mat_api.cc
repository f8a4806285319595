// Native entry points that create Mats from JS: from raw bytes (copy, or share with the JS
// buffer pinned), zeros, and decoding an encoded image (off the event loop and sync, ExportOp).
#include "cv/mat_api.h"

#include <cstring>
#include <vector>

#include "common/js_bytes.h"
#include "common/limits.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "common/stats.h"
#include "cv/foreign_allocator.h"
#include "cv/image_decoder.h"
#include "cv/mat_wrap.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

struct MatGeometry {
  int rows, cols, channels;
  const DType* dtype;
  int type() const { return CV_MAKETYPE(dtype->cvDepth, channels); }
};

MatGeometry GeometryArgs(const Napi::CallbackInfo& info) {
  MatGeometry g;
  g.rows = IntArg(info[0], "rows", 1, INT32_MAX);
  g.cols = IntArg(info[1], "cols", 1, INT32_MAX);
  g.channels = IntArg(info[2], "channels", 1, CV_CN_MAX);
  g.dtype = &DTypeArg(info[3], "dtype");
  if (g.dtype->cvDepth == kNoCvDepth)
    Fail(ErrorKind::kDType, std::string("dtype: OpenCV has no Mat depth for ") + g.dtype->name);
  // rows * cols * channels * size must fit comfortably: reuse the tensor shape check.
  CheckedElementCount({g.rows, g.cols, g.channels}, g.dtype->size, "Mat size");
  return g;
}

// matFromBytes(rows, cols, channels, dtype, bytes, mode: 'copy'|'share')
Napi::Value MatFromBytes(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    MatGeometry g = GeometryArgs(info);
    JsBytes bytes = ReadJsBytes(info[4], "data");
    const bool share = ChoiceArg<bool>(info[5], "options.mode", {{"copy", false}, {"share", true}});
    const uint64_t needed = SaturatingProduct({static_cast<uint64_t>(g.rows), static_cast<uint64_t>(g.cols),
                                               static_cast<uint64_t>(g.channels), g.dtype->size});
    if (needed != bytes.length)
      Fail(ErrorKind::kShape, "data: a " + std::to_string(g.rows) + "x" + std::to_string(g.cols) + "x" +
                                  std::to_string(g.channels) + " " + g.dtype->name + " Mat needs " +
                                  std::to_string(needed) + " bytes, got " + std::to_string(bytes.length));
    const size_t expected = static_cast<size_t>(needed);
    if (share) {
      auto pin = std::make_shared<JsPin>(env, bytes.arrayBuffer);
      size_t step = static_cast<size_t>(g.cols) * g.channels * g.dtype->size;
      Stats::Get().RecordZeroCopy();
      return MatWrap::Wrap(env, WrapForeignMat(g.rows, g.cols, g.type(), bytes.data, step, pin, false), false);
    }
    CheckAllocation(expected, "Mat.fromBuffer");
    cv::Mat mat(g.rows, g.cols, g.type());
    std::memcpy(mat.data, bytes.data, expected);
    Stats::Get().RecordCopy(static_cast<int64_t>(expected));
    return MatWrap::Wrap(env, std::move(mat));
  });
}

// matZeros(rows, cols, channels, dtype)
Napi::Value MatZeros(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatGeometry g = GeometryArgs(info);
    CheckAllocation(SaturatingProduct({static_cast<uint64_t>(g.rows), static_cast<uint64_t>(g.cols),
                                       static_cast<uint64_t>(g.channels), g.dtype->size}),
                    "Mat.zeros");
    return MatWrap::Wrap(info.Env(), cv::Mat::zeros(g.rows, g.cols, g.type()));
  });
}

// Reads (bytes, flags, maxPixels?, reduce?) of matDecode.
DecodeRequest DecodeArgs(const Napi::CallbackInfo& info) {
  DecodeRequest request;
  request.mode = ParseDecodeMode(info[1], "options.flags");
  if (!info[2].IsUndefined())
    request.maxPixels = IntArg(info[2], "options.maxPixels", 1, static_cast<int>(kMaxMaxPixels));
  if (!info[3].IsUndefined()) {
    request.reduce = IntArg(info[3], "options.reduce", 1, 8);
    if (request.reduce != 1 && request.reduce != 2 && request.reduce != 4 && request.reduce != 8)
      Fail(ErrorKind::kArgument, "options.reduce: expected 1 | 2 | 4 | 8, got " + std::to_string(request.reduce));
  }
  return request;
}

// matDecode(bytes, flags, maxPixels?, reduce?), through cv/image_decoder (limits, strict
// errors, TurboJPEG). The encoded bytes are copied first (cheap next to decoding) so that
// nothing the caller does to its buffer during an async decode — overwrite, transfer,
// detach — can reach the worker.
OpJob<cv::Mat> PrepareDecode(const Napi::CallbackInfo& info) {
  JsBytes bytes = ReadJsBytes(info[0], "data");
  DecodeRequest request = DecodeArgs(info);
  auto encoded = std::make_shared<std::vector<uint8_t>>(bytes.data, bytes.data + bytes.length);
  return {[encoded, request] { return DecodeImage(encoded->data(), encoded->size(), request, "data").mat; },
          [](Napi::Env env, cv::Mat& mat) -> Napi::Value { return MatWrap::Wrap(env, std::move(mat)); }};
}

}  // namespace

void RegisterMatApi(Napi::Env env, Napi::Object exports) {
  exports.Set("matFromBytes", Napi::Function::New<MatFromBytes>(env, "matFromBytes"));
  exports.Set("matZeros", Napi::Function::New<MatZeros>(env, "matZeros"));
  ExportOp(env, exports, "matDecode", &PrepareDecode);
}

}  // namespace tfcv
