// Native entry points behind evaluate(): stacking the truth masks into a class-id tensor,
// on the libuv pool or inline (ExportOp) (the model's input comes from preprocess, bridge/). The
// Mats are pinned (their cv::Mat headers held) until the batch is built.
#include "evaluate/evaluate_api.h"

#include <memory>
#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
#include "evaluate/mask_batch.h"
#include "tf/tensor_wrap.h"
#include "workers/op_job.h"

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

// evalMaskBatch(masks, { height, width, mode: 'binary'|'ids'|'auto' })
OpJob<TensorRef> PrepareMaskBatch(const Napi::CallbackInfo& info) {
  auto masks = std::make_shared<std::vector<cv::Mat>>(ReadMats(info[0], "masks"));
  Napi::Object o = ObjectArg(info[1], "spec");
  MaskBatchSpec spec;
  spec.height = IntArg(o.Get("height"), "spec.height", 1, 65536);
  spec.width = IntArg(o.Get("width"), "spec.width", 1, 65536);
  spec.mode = ChoiceArg<MaskBatchMode>(
      o.Get("mode"), "spec.mode",
      {{"binary", MaskBatchMode::kBinary}, {"ids", MaskBatchMode::kIds}, {"auto", MaskBatchMode::kAuto}});
  return {[masks, spec] { return MakeMaskBatch(*masks, spec); },
          [](Napi::Env env, TensorRef& tensor) -> Napi::Value { return TensorWrap::Wrap(env, tensor, false); }};
}

}  // namespace

void RegisterEvaluateApi(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "evalMaskBatch", &PrepareMaskBatch);
}

}  // namespace tfcv
