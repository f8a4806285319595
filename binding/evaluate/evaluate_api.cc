// Native entry points behind evaluate(): stacking decoded Mats into the model's input
// tensor and the truth masks into a class-id tensor, inline or on the libuv pool. The
// Mats are pinned (their cv::Mat headers held) until the batch is built.
#include "evaluate/evaluate_api.h"

#include <cmath>
#include <memory>
#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
#include "evaluate/input_batch.h"
#include "evaluate/mask_batch.h"
#include "tf/tensor_wrap.h"
#include "workers/promise_worker.h"

namespace tfcv {
namespace {

std::vector<cv::Mat> ReadMats(const Napi::Value& value, const std::string& argName) {
  if (!value.IsArray()) Fail(ErrorKind::kArgument, argName + ": expected an array of Mats");
  Napi::Array items = value.As<Napi::Array>();
  std::vector<cv::Mat> mats;
  mats.reserve(items.Length());
  for (uint32_t i = 0; i < items.Length(); ++i) {
    const std::string label = argName + "[" + std::to_string(i) + "]";
    const cv::Mat& m = MatWrap::FromValue(items.Get(i), label).Ref(label)->mat;
    if (m.empty() || m.dims != 2) Fail(ErrorKind::kShape, label + ": expected a non-empty 2-D Mat");
    mats.push_back(m);  // a header: OpenCV's refcount keeps the pixels alive
  }
  return mats;
}

Napi::Value WrapTensor(Napi::Env env, TensorRef& tensor) { return TensorWrap::Wrap(env, tensor, false); }

template <typename Work>
Napi::Value Run(const Napi::CallbackInfo& info, bool async, const char* name, Work work) {
  if (!async) {
    TensorRef tensor = work();
    return WrapTensor(info.Env(), tensor);
  }
  return PromiseWorker<TensorRef>::Start(info.Env(), name, std::move(work), WrapTensor);
}

// evalInputBatch(images, { height, width, channels, order: 'rgb'|'bgr', dtype: 'float32'|'uint8', divisor })
template <bool Async>
Napi::Value InputBatch(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto images = std::make_shared<std::vector<cv::Mat>>(ReadMats(info[0], "images"));
    Napi::Object o = ObjectArg(info[1], "spec");
    InputBatchSpec spec;
    spec.height = IntArg(o.Get("height"), "spec.height", 1, 65536);
    spec.width = IntArg(o.Get("width"), "spec.width", 1, 65536);
    spec.channels = IntArg(o.Get("channels"), "spec.channels", 1, 3);
    const std::string order = StringArg(o.Get("order"), "spec.order");
    if (order != "rgb" && order != "bgr") Fail(ErrorKind::kArgument, "spec.order: expected 'rgb' | 'bgr', got '" + order + "'");
    spec.rgb = order == "rgb";
    const std::string dtype = StringArg(o.Get("dtype"), "spec.dtype");
    if (dtype != "float32" && dtype != "uint8") Fail(ErrorKind::kDType, "spec.dtype: expected 'float32' | 'uint8', got '" + dtype + "'");
    spec.asFloat = dtype == "float32";
    spec.divisor = static_cast<float>(NumberArg(o.Get("divisor"), "spec.divisor"));
    if (!(spec.divisor > 0) || !std::isfinite(spec.divisor)) Fail(ErrorKind::kArgument, "spec.divisor: expected a finite number > 0");
    return Run(info, Async, "tfcv.evaluate.inputBatch", [images, spec] { return MakeInputBatch(*images, spec); });
  });
}

// evalMaskBatch(masks, { height, width, mode: 'binary'|'ids'|'auto' })
template <bool Async>
Napi::Value MaskBatch(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto masks = std::make_shared<std::vector<cv::Mat>>(ReadMats(info[0], "masks"));
    Napi::Object o = ObjectArg(info[1], "spec");
    MaskBatchSpec spec;
    spec.height = IntArg(o.Get("height"), "spec.height", 1, 65536);
    spec.width = IntArg(o.Get("width"), "spec.width", 1, 65536);
    spec.mode = static_cast<MaskBatchMode>(ChoiceArg(o.Get("mode"), "spec.mode", {
        {"binary", static_cast<int>(MaskBatchMode::kBinary)},
        {"ids", static_cast<int>(MaskBatchMode::kIds)},
        {"auto", static_cast<int>(MaskBatchMode::kAuto)},
    }));
    return Run(info, Async, "tfcv.evaluate.maskBatch", [masks, spec] { return MakeMaskBatch(*masks, spec); });
  });
}

}  // namespace

void RegisterEvaluateApi(Napi::Env env, Napi::Object exports) {
  exports.Set("evalInputBatch", Napi::Function::New<InputBatch<false>>(env, "evalInputBatch"));
  exports.Set("evalInputBatchAsync", Napi::Function::New<InputBatch<true>>(env, "evalInputBatchAsync"));
  exports.Set("evalMaskBatch", Napi::Function::New<MaskBatch<false>>(env, "evalMaskBatch"));
  exports.Set("evalMaskBatchAsync", Napi::Function::New<MaskBatch<true>>(env, "evalMaskBatchAsync"));
}

}  // namespace tfcv
