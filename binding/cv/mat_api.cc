// Native entry points that create Mats from JS: from raw bytes (copy, or share with the JS
// buffer pinned), zeros, and decoding an encoded image (sync and off the event loop).
#include "cv/mat_api.h"

#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <vector>

#include "bridge/js_bytes.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "common/stats.h"
#include "cv/foreign_allocator.h"
#include "cv/mat_wrap.h"
#include "workers/promise_worker.h"

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
  if (g.dtype->cvDepth == kNoCvDepth) Fail(ErrorKind::kDType, std::string("dtype: OpenCV has no Mat depth for ") + g.dtype->name);
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
    std::string mode = StringArg(info[5], "options.mode");
    size_t expected = static_cast<size_t>(g.rows) * g.cols * g.channels * g.dtype->size;
    if (bytes.length != expected)
      Fail(ErrorKind::kShape, "data: a " + std::to_string(g.rows) + "x" + std::to_string(g.cols) + "x" +
                                  std::to_string(g.channels) + " " + g.dtype->name + " Mat needs " + std::to_string(expected) +
                                  " bytes, got " + std::to_string(bytes.length));
    if (mode == "share") {
      auto pin = std::make_shared<JsPin>(env, bytes.arrayBuffer);
      size_t step = static_cast<size_t>(g.cols) * g.channels * g.dtype->size;
      Stats::Get().RecordZeroCopy();
      return MatWrap::Wrap(env, WrapForeignMat(g.rows, g.cols, g.type(), bytes.data, step, pin, false), false);
    }
    if (mode != "copy") Fail(ErrorKind::kArgument, "options.mode: expected 'copy' | 'share', got '" + mode + "'");
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
    return MatWrap::Wrap(info.Env(), cv::Mat::zeros(g.rows, g.cols, g.type()));
  });
}

int DecodeFlags(const std::string& name) {
  if (name == "color") return cv::IMREAD_COLOR;
  if (name == "grayscale") return cv::IMREAD_GRAYSCALE;
  if (name == "unchanged") return cv::IMREAD_UNCHANGED;
  Fail(ErrorKind::kArgument, "options.flags: expected 'color' | 'grayscale' | 'unchanged', got '" + name + "'");
}

cv::Mat DecodeImage(const std::vector<uint8_t>& encoded, int flags) {
  if (encoded.empty()) Fail(ErrorKind::kDecode, "data: cannot decode an empty buffer");
  cv::Mat mat;
  try {
    mat = cv::imdecode(encoded, flags);
  } catch (const cv::Exception& e) {
    Fail(ErrorKind::kDecode, "data: OpenCV could not decode the image: " + e.err);
  }
  if (mat.empty())
    Fail(ErrorKind::kDecode, "data: not a decodable image (" + std::to_string(encoded.size()) +
                                 " bytes; corrupt, truncated or an unsupported format)");
  return mat;
}

// matDecode(bytes, flags) and matDecodeAsync(bytes, flags). The async form copies the
// encoded bytes first (cheap next to decoding) so that nothing the caller does to its
// buffer during the decode — overwrite, transfer, detach — can reach the worker.
Napi::Value MatDecode(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    JsBytes bytes = ReadJsBytes(info[0], "data");
    int flags = DecodeFlags(StringArg(info[1], "options.flags"));
    std::vector<uint8_t> encoded(bytes.data, bytes.data + bytes.length);
    return MatWrap::Wrap(info.Env(), DecodeImage(encoded, flags));
  });
}

Napi::Value MatDecodeAsync(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    JsBytes bytes = ReadJsBytes(info[0], "data");
    int flags = DecodeFlags(StringArg(info[1], "options.flags"));
    auto encoded = std::make_shared<std::vector<uint8_t>>(bytes.data, bytes.data + bytes.length);
    return PromiseWorker<cv::Mat>::Start(
        info.Env(), "tfcv.decode", [encoded, flags] { return DecodeImage(*encoded, flags); },
        [](Napi::Env env, cv::Mat& mat) -> Napi::Value { return MatWrap::Wrap(env, std::move(mat)); });
  });
}

}  // namespace

void RegisterMatApi(Napi::Env env, Napi::Object exports) {
  exports.Set("matFromBytes", Napi::Function::New<MatFromBytes>(env, "matFromBytes"));
  exports.Set("matZeros", Napi::Function::New<MatZeros>(env, "matZeros"));
  exports.Set("matDecode", Napi::Function::New<MatDecode>(env, "matDecode"));
  exports.Set("matDecodeAsync", Napi::Function::New<MatDecodeAsync>(env, "matDecodeAsync"));
}

}  // namespace tfcv
