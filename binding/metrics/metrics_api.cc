// Native entry points of the metric kernels. Arguments are read on the JS thread into
// ImageBatches that pin their tensors / Mats; the kernel runs on the libuv pool or inline
// (the twins of ExportOp); results come back as Float64Arrays of per-image numbers, which the
// facade folds into plain-number metric state (so states merge exactly).
#include "metrics/metrics_api.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "metrics/batch_args.h"
#include "metrics/circularity.h"
#include "metrics/confusion_matrix.h"
#include "metrics/pixel_count.h"
#include "metrics/pixel_sum.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

using Numbers = std::vector<double>;

Napi::Value ToFloat64Array(Napi::Env env, Numbers& values) {
  Napi::Float64Array out = Napi::Float64Array::New(env, values.size());
  if (!values.empty()) std::memcpy(out.Data(), values.data(), values.size() * sizeof(double));
  return out;
}

OpJob<Numbers> NumbersJob(std::function<Numbers()> work) { return {std::move(work), ToFloat64Array}; }

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
  rule.mode = ChoiceArg<ThresholdMode>(
      mode, "thresholdMode",
      {{"given", ThresholdMode::kGiven}, {"auto", ThresholdMode::kAuto}, {"quiet", ThresholdMode::kQuiet}});
  return rule;
}

// metricCircularity(batch, threshold, thresholdMode): [area, perimeter, circularity, flag] per image.
OpJob<Numbers> PrepareCircularity(const Napi::CallbackInfo& info) {
  auto batch = std::make_shared<ImageBatch>(ReadImageBatch(info[0], "yPred"));
  ThresholdRule rule = ThresholdRuleArgs(info[1], info[2]);
  return NumbersJob([batch, rule] {
    Numbers out;
    for (const ContourMeasure& m : MeasureLargestContours(*batch, rule))
      out.insert(out.end(), {m.area, m.perimeter, m.circularity, m.thresholdFlag});
    return out;
  });
}

// metricPixelCount(batch, threshold, thresholdMode, argName): [pixels above the threshold, flag] per image.
OpJob<Numbers> PreparePixelCount(const Napi::CallbackInfo& info) {
  std::string argName = info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "yPred";
  auto batch = std::make_shared<ImageBatch>(ReadImageBatch(info[0], argName));
  ThresholdRule rule = ThresholdRuleArgs(info[1], info[2]);
  return NumbersJob([batch, rule] { return CountAboveThreshold(*batch, rule); });
}

// metricPixelSum(batch): [sum, count] per image.
OpJob<Numbers> PreparePixelSum(const Napi::CallbackInfo& info) {
  auto batch = std::make_shared<ImageBatch>(ReadImageBatch(info[0], "yPred"));
  return NumbersJob([batch] {
    Numbers out;
    for (const PixelSum& s : SumPixels(*batch)) out.insert(out.end(), {s.sum, s.count});
    return out;
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
  out.masks = ChoiceArg<MaskMode>(o.Get("masks"), "options.masks",
                                  {{"ids", MaskMode::kIds}, {"binary", MaskMode::kBinary}, {"auto", MaskMode::kAuto}});
  return out;
}

// metricConfusion(yTrue, yPred, options): numClasses^2 counts per image.
OpJob<Numbers> PrepareConfusion(const Napi::CallbackInfo& info) {
  auto truth = std::make_shared<ImageBatch>(ReadImageBatch(info[0], "yTrue"));
  auto pred = std::make_shared<ImageBatch>(ReadImageBatch(info[1], "yPred"));
  ConfusionOptions options = ReadConfusionOptions(info[2]);
  // 2^16 classes squared is 32 GiB of counts: refuse what cannot fit before allocating.
  const double cells = static_cast<double>(truth->size()) * options.numClasses * options.numClasses;
  if (cells > 1.0e9)
    Fail(ErrorKind::kLimit, "numClasses: " + std::to_string(options.numClasses) + " classes over " +
                                std::to_string(truth->size()) + " images needs too many counters");
  return NumbersJob([truth, pred, options] { return ConfusionPerImage(*truth, *pred, options); });
}

}  // namespace

void RegisterMetricsApi(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "metricCircularity", &PrepareCircularity);
  ExportOp(env, exports, "metricPixelCount", &PreparePixelCount);
  ExportOp(env, exports, "metricPixelSum", &PreparePixelSum);
  ExportOp(env, exports, "metricConfusion", &PrepareConfusion);
}

}  // namespace tfcv
