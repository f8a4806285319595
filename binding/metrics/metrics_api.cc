// Native entry points of the metric kernels. Arguments are read on the JS thread into
// ImageBatches that pin their tensors / Mats; the kernel runs inline (sync twin) or on
// the libuv pool; results come back as Float64Arrays of per-image numbers, which the
// facade folds into plain-number metric state (so states merge exactly).
#include "metrics/metrics_api.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "metrics/batch_args.h"
#include "metrics/circularity.h"
#include "metrics/confusion_matrix.h"
#include "metrics/pixel_count.h"
#include "metrics/pixel_sum.h"
#include "workers/promise_worker.h"

namespace tfcv {
namespace {

using Numbers = std::vector<double>;

Napi::Value ToFloat64Array(Napi::Env env, Numbers& values) {
  Napi::Float64Array out = Napi::Float64Array::New(env, values.size());
  if (!values.empty()) std::memcpy(out.Data(), values.data(), values.size() * sizeof(double));
  return out;
}

// Runs `work` now (sync) or on the libuv pool (async) and hands back its numbers.
template <typename Work>
Napi::Value Run(const Napi::CallbackInfo& info, bool async, const char* name, Work work) {
  if (!async) {
    Numbers values = work();
    return ToFloat64Array(info.Env(), values);
  }
  return PromiseWorker<Numbers>::Start(info.Env(), name, std::move(work), ToFloat64Array);
}

// A threshold argument: a finite number.
double ThresholdArg(const Napi::Value& v) {
  double t = NumberArg(v, "options.threshold");
  if (!std::isfinite(t)) Fail(ErrorKind::kArgument, "options.threshold: expected a finite number");
  return t;
}

// A threshold and how it meets integer images (threshold_rule.h): 'given' | 'auto' | 'quiet'.
ThresholdRule ThresholdRuleArgs(const Napi::Value& threshold, const Napi::Value& mode) {
  ThresholdRule rule;
  rule.threshold = ThresholdArg(threshold);
  rule.mode = static_cast<ThresholdMode>(ChoiceArg(mode, "thresholdMode",
                                                   {
                                                       {"given", static_cast<int>(ThresholdMode::kGiven)},
                                                       {"auto", static_cast<int>(ThresholdMode::kAuto)},
                                                       {"quiet", static_cast<int>(ThresholdMode::kQuiet)},
                                                   }));
  return rule;
}

// metricCircularity(batch, threshold, thresholdMode): [area, perimeter, circularity, flag] per image.
template <bool Async>
Napi::Value Circularity(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto batch = std::make_shared<ImageBatch>(ReadImageBatch(info[0], "yPred"));
    ThresholdRule rule = ThresholdRuleArgs(info[1], info[2]);
    return Run(info, Async, "tfcv.metrics.circularity", [batch, rule] {
      Numbers out;
      for (const ContourMeasure& m : MeasureLargestContours(*batch, rule))
        out.insert(out.end(), {m.area, m.perimeter, m.circularity, m.thresholdFlag});
      return out;
    });
  });
}

// metricPixelCount(batch, threshold, thresholdMode, argName): [pixels above the threshold, flag] per image.
template <bool Async>
Napi::Value PixelCount(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    std::string argName = info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "yPred";
    auto batch = std::make_shared<ImageBatch>(ReadImageBatch(info[0], argName));
    ThresholdRule rule = ThresholdRuleArgs(info[1], info[2]);
    return Run(info, Async, "tfcv.metrics.pixelCount", [batch, rule] { return CountAboveThreshold(*batch, rule); });
  });
}

// metricPixelSum(batch): [sum, count] per image.
template <bool Async>
Napi::Value PixelSums(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto batch = std::make_shared<ImageBatch>(ReadImageBatch(info[0], "yPred"));
    return Run(info, Async, "tfcv.metrics.pixelSum", [batch] {
      Numbers out;
      for (const PixelSum& s : SumPixels(*batch)) out.insert(out.end(), {s.sum, s.count});
      return out;
    });
  });
}

ConfusionOptions ReadConfusionOptions(const Napi::Value& value) {
  Napi::Object o = ObjectArg(value, "options");
  ConfusionOptions out;
  out.numClasses = IntArg(o.Get("numClasses"), "numClasses", 1, 65536);
  Napi::Value ignore = o.Get("ignoreClass");
  if (!ignore.IsNull() && !ignore.IsUndefined()) {
    out.hasIgnoreClass = true;
    out.ignoreClass = IntArg(ignore, "options.ignoreClass", INT32_MIN, INT32_MAX);
  }
  out.prediction = ChoiceArg<PredictionMode>(o.Get("prediction"), "options.predictions",
                                             {{"class-ids", PredictionMode::kClassIds},
                                              {"scores", PredictionMode::kScores},
                                              {"probability", PredictionMode::kProbability}});
  out.threshold = ThresholdArg(o.Get("threshold"));
  out.masks = static_cast<MaskMode>(ChoiceArg(o.Get("masks"), "options.masks",
                                              {
                                                  {"ids", static_cast<int>(MaskMode::kIds)},
                                                  {"binary", static_cast<int>(MaskMode::kBinary)},
                                                  {"auto", static_cast<int>(MaskMode::kAuto)},
                                              }));
  return out;
}

// metricConfusion(yTrue, yPred, options): numClasses^2 counts per image.
template <bool Async>
Napi::Value Confusion(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    auto truth = std::make_shared<ImageBatch>(ReadImageBatch(info[0], "yTrue"));
    auto pred = std::make_shared<ImageBatch>(ReadImageBatch(info[1], "yPred"));
    ConfusionOptions options = ReadConfusionOptions(info[2]);
    // 2^16 classes squared is 32 GiB of counts: refuse what cannot fit before allocating.
    const double cells = static_cast<double>(truth->size()) * options.numClasses * options.numClasses;
    if (cells > 1.0e9)
      Fail(ErrorKind::kLimit, "numClasses: " + std::to_string(options.numClasses) + " classes over " +
                                  std::to_string(truth->size()) + " images needs too many counters");
    return Run(info, Async, "tfcv.metrics.confusion",
               [truth, pred, options] { return ConfusionPerImage(*truth, *pred, options); });
  });
}

}  // namespace

void RegisterMetricsApi(Napi::Env env, Napi::Object exports) {
  exports.Set("metricCircularity", Napi::Function::New<Circularity<false>>(env, "metricCircularity"));
  exports.Set("metricCircularityAsync", Napi::Function::New<Circularity<true>>(env, "metricCircularityAsync"));
  exports.Set("metricPixelCount", Napi::Function::New<PixelCount<false>>(env, "metricPixelCount"));
  exports.Set("metricPixelCountAsync", Napi::Function::New<PixelCount<true>>(env, "metricPixelCountAsync"));
  exports.Set("metricPixelSum", Napi::Function::New<PixelSums<false>>(env, "metricPixelSum"));
  exports.Set("metricPixelSumAsync", Napi::Function::New<PixelSums<true>>(env, "metricPixelSumAsync"));
  exports.Set("metricConfusion", Napi::Function::New<Confusion<false>>(env, "metricConfusion"));
  exports.Set("metricConfusionAsync", Napi::Function::New<Confusion<true>>(env, "metricConfusionAsync"));
}

}  // namespace tfcv
