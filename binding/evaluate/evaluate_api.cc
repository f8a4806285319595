// Native entry points behind evaluate(): stacking the truth masks into a class-id tensor,
// inline or on the libuv pool (the model's input comes from preprocess, bridge/). The
// Mats are pinned (their cv::Mat headers held) until the batch is built.
#include "evaluate/evaluate_api.h"

#include <memory>
#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
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

// evalMaskBatch(masks, { height, width, mode: 'binary'|'ids'|'auto' })
template <bool Async>
Napi::Value MaskBatch(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto masks = std::make_shared<std::vector<cv::Mat>>(ReadMats(info[0], "masks"));
    Napi::Object o = ObjectArg(info[1], "spec");
    MaskBatchSpec spec;
    spec.height = IntArg(o.Get("height"), "spec.height", 1, 65536);
    spec.width = IntArg(o.Get("width"), "spec.width", 1, 65536);
    spec.mode = static_cast<MaskBatchMode>(ChoiceArg(o.Get("mode"), "spec.mode",
                                                     {
                                                         {"binary", static_cast<int>(MaskBatchMode::kBinary)},
                                                         {"ids", static_cast<int>(MaskBatchMode::kIds)},
                                                         {"auto", static_cast<int>(MaskBatchMode::kAuto)},
                                                     }));
    return Run(info, Async, "tfcv.evaluate.maskBatch", [masks, spec] { return MakeMaskBatch(*masks, spec); });
  });
}

}  // namespace

void RegisterEvaluateApi(Napi::Env env, Napi::Object exports) {
  exports.Set("evalMaskBatch", Napi::Function::New<MaskBatch<false>>(env, "evalMaskBatch"));
  exports.Set("evalMaskBatchAsync", Napi::Function::New<MaskBatch<true>>(env, "evalMaskBatchAsync"));
}

}  // namespace tfcv
