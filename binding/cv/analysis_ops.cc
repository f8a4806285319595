// Measurements over a whole Mat: countNonZero, mean (optionally under a mask) and image
// moments. Sync and async like every image operation; the results are plain numbers.
#include <opencv2/imgproc.hpp>

#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/cv_values.h"
#include "cv/image_ops.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

// countNonZero(mat)
OpJob<int> PrepareCountNonZero(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  RequireChannels(src, {1}, "countNonZero");
  return {[src] { return cv::countNonZero(src); },
          [](Napi::Env env, int& n) -> Napi::Value { return Napi::Number::New(env, n); }};
}

struct ChannelMeans {
  cv::Scalar value;
  int channels;
};

// mean(mat, mask | undefined): one mean per channel, over the pixels where mask != 0.
OpJob<ChannelMeans> PrepareMean(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  RequireChannels(src, {1, 2, 3, 4}, "mean");
  cv::Mat mask;
  if (!info[1].IsUndefined() && !info[1].IsNull()) {
    mask = MatArg(info[1], "options.mask");
    RequireChannels(mask, {1}, "mean mask");
    RequireDepth(mask, {CV_8U}, "mean mask");
    if (mask.size() != src.size())
      Fail(ErrorKind::kShape, "options.mask: expected the Mat's size " + std::to_string(src.cols) + "x" +
                                  std::to_string(src.rows) + ", got " + std::to_string(mask.cols) + "x" +
                                  std::to_string(mask.rows));
  }
  return {[src, mask] {
            return ChannelMeans{cv::mean(src, mask), src.channels()};
          },
          [](Napi::Env env, ChannelMeans& m) -> Napi::Value {
            Napi::Array out = Napi::Array::New(env, m.channels);
            for (int c = 0; c < m.channels; ++c) out.Set(static_cast<uint32_t>(c), m.value[c]);
            return out;
          }};
}

// moments(mat, binary): moments of a 1-channel image (binary: every non-zero pixel counts 1).
OpJob<cv::Moments> PrepareMoments(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  RequireChannels(src, {1}, "moments");
  RequireDepth(src, {CV_8U, CV_16U, CV_16S, CV_32F, CV_64F}, "moments");
  bool binary = BoolArg(info[1], "options.binary");
  return {[src, binary] { return cv::moments(src, binary); },
          [](Napi::Env env, cv::Moments& m) -> Napi::Value { return MomentsValue(env, m); }};
}

}  // namespace

void RegisterAnalysisOps(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "countNonZero", &PrepareCountNonZero);
  ExportOp(env, exports, "mean", &PrepareMean);
  ExportOp(env, exports, "moments", &PrepareMoments);
}

}  // namespace tfcv
