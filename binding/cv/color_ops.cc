// Colour and value operations that return a new Mat: cvtColor (by name, with the channel
// count each conversion needs checked first), convertTo (one scale and shift, or one per
// channel), normalize (cv::normalize norms), threshold and inRange masks.
#include <opencv2/imgproc.hpp>

#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/channel_affine.h"
#include "cv/cv_args.h"
#include "cv/image_ops.h"
#include "cv/mat_result.h"
#include "common/dtype.h"

namespace tfcv {
namespace {

struct ColorConversion {
  const char* name;
  int code;
  int sourceChannels;
  bool eightBitOrFloat;  // HSV, HLS, Lab: OpenCV takes uint8 and float32 only
};

const ColorConversion kConversions[] = {
    {"BGR2RGB", cv::COLOR_BGR2RGB, 3, false},          {"RGB2BGR", cv::COLOR_RGB2BGR, 3, false},
    {"BGR2GRAY", cv::COLOR_BGR2GRAY, 3, false},        {"RGB2GRAY", cv::COLOR_RGB2GRAY, 3, false},
    {"GRAY2BGR", cv::COLOR_GRAY2BGR, 1, false},        {"GRAY2RGB", cv::COLOR_GRAY2RGB, 1, false},
    {"BGR2BGRA", cv::COLOR_BGR2BGRA, 3, false},        {"RGB2RGBA", cv::COLOR_RGB2RGBA, 3, false},
    {"BGRA2BGR", cv::COLOR_BGRA2BGR, 4, false},        {"RGBA2RGB", cv::COLOR_RGBA2RGB, 4, false},
    {"BGR2RGBA", cv::COLOR_BGR2RGBA, 3, false},        {"RGB2BGRA", cv::COLOR_RGB2BGRA, 3, false},
    {"BGRA2RGB", cv::COLOR_BGRA2RGB, 4, false},        {"RGBA2BGR", cv::COLOR_RGBA2BGR, 4, false},
    {"BGRA2RGBA", cv::COLOR_BGRA2RGBA, 4, false},      {"RGBA2BGRA", cv::COLOR_RGBA2BGRA, 4, false},
    {"BGRA2GRAY", cv::COLOR_BGRA2GRAY, 4, false},      {"RGBA2GRAY", cv::COLOR_RGBA2GRAY, 4, false},
    {"GRAY2BGRA", cv::COLOR_GRAY2BGRA, 1, false},      {"GRAY2RGBA", cv::COLOR_GRAY2RGBA, 1, false},
    {"BGR2HSV", cv::COLOR_BGR2HSV, 3, true},           {"RGB2HSV", cv::COLOR_RGB2HSV, 3, true},
    {"HSV2BGR", cv::COLOR_HSV2BGR, 3, true},           {"HSV2RGB", cv::COLOR_HSV2RGB, 3, true},
    {"BGR2HSV_FULL", cv::COLOR_BGR2HSV_FULL, 3, true}, {"RGB2HSV_FULL", cv::COLOR_RGB2HSV_FULL, 3, true},
    {"HSV2BGR_FULL", cv::COLOR_HSV2BGR_FULL, 3, true}, {"HSV2RGB_FULL", cv::COLOR_HSV2RGB_FULL, 3, true},
    {"BGR2HLS", cv::COLOR_BGR2HLS, 3, true},           {"RGB2HLS", cv::COLOR_RGB2HLS, 3, true},
    {"HLS2BGR", cv::COLOR_HLS2BGR, 3, true},           {"HLS2RGB", cv::COLOR_HLS2RGB, 3, true},
    {"BGR2Lab", cv::COLOR_BGR2Lab, 3, true},           {"RGB2Lab", cv::COLOR_RGB2Lab, 3, true},
    {"Lab2BGR", cv::COLOR_Lab2BGR, 3, true},           {"Lab2RGB", cv::COLOR_Lab2RGB, 3, true},
    {"BGR2YCrCb", cv::COLOR_BGR2YCrCb, 3, false},      {"RGB2YCrCb", cv::COLOR_RGB2YCrCb, 3, false},
    {"YCrCb2BGR", cv::COLOR_YCrCb2BGR, 3, false},      {"YCrCb2RGB", cv::COLOR_YCrCb2RGB, 3, false},
    {"BGR2YUV", cv::COLOR_BGR2YUV, 3, false},          {"RGB2YUV", cv::COLOR_RGB2YUV, 3, false},
    {"YUV2BGR", cv::COLOR_YUV2BGR, 3, false},          {"YUV2RGB", cv::COLOR_YUV2RGB, 3, false},
};

const ColorConversion& ConversionArg(const Napi::Value& value) {
  std::string s = StringArg(value, "code");
  for (const ColorConversion& c : kConversions)
    if (s == c.name) return c;
  Fail(ErrorKind::kArgument,
       "code: expected a conversion such as 'BGR2RGB', 'BGR2GRAY', 'BGR2HSV' (see the ColorConversion "
       "type), got '" +
           s + "'");
}

// cvtColor(mat, code)
OpJob<cv::Mat> PrepareCvtColor(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  const ColorConversion& conversion = ConversionArg(info[1]);
  const std::string what = std::string("cvtColor ") + conversion.name;
  RequireChannels(src, {conversion.sourceChannels}, what);
  if (conversion.eightBitOrFloat)
    RequireDepth(src, {CV_8U, CV_32F}, what);
  else
    RequireDepth(src, {CV_8U, CV_16U, CV_32F}, what);
  const int code = conversion.code;
  return MatJob([src, code] {
    cv::Mat dst;
    cv::cvtColor(src, dst, code);
    return dst;
  });
}

int MatDepthArg(const Napi::Value& value, const std::string& name) {
  const DType& d = DTypeArg(value, name);
  if (d.cvDepth == kNoCvDepth) Fail(ErrorKind::kDType, name + ": OpenCV has no Mat depth for " + std::string(d.name));
  return d.cvDepth;
}

std::vector<double> NumbersArg(const Napi::Value& value, const std::string& name) {
  cv::Scalar s = ScalarArg(value, name);
  return std::vector<double>(s.val, s.val + value.As<Napi::Array>().Length());
}

// convertTo(mat, dtype, scale[], shift[], perChannel): plain numbers use OpenCV's
// convertTo; arrays (perChannel) use ChannelAffine, the arithmetic of preprocess.
OpJob<cv::Mat> PrepareConvertTo(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  int depth = MatDepthArg(info[1], "dtype");
  std::vector<double> scale = NumbersArg(info[2], "options.scale"), shift = NumbersArg(info[3], "options.shift");
  const bool perChannel = BoolArg(info[4], "perChannel");
  if (!perChannel) {
    if (scale.size() != 1 || shift.size() != 1)
      Fail(ErrorKind::kArgument, "convertTo: expected one scale and one shift without perChannel");
    return MatJob([src, depth, scale, shift] {
      cv::Mat dst;
      src.convertTo(dst, depth, scale[0], shift[0]);
      return dst;
    });
  }
  const size_t cn = static_cast<size_t>(src.channels());
  if (scale.size() == 1) scale.assign(cn, scale[0]);
  if (shift.size() == 1) shift.assign(cn, shift[0]);
  if (scale.size() != cn || shift.size() != cn)
    Fail(ErrorKind::kShape, "convertTo: expected one scale and shift, or one per channel (" + std::to_string(cn) +
                                "), got " + std::to_string(scale.size()) + " and " + std::to_string(shift.size()));
  return MatJob([src, depth, scale, shift] { return ChannelAffine(src, depth, scale, shift); });
}

int NormArg(const Napi::Value& value) {
  return ChoiceArg(value, "options.norm",
                   {{"minmax", cv::NORM_MINMAX}, {"l1", cv::NORM_L1}, {"l2", cv::NORM_L2}, {"inf", cv::NORM_INF}});
}

// normalize(mat, norm, alpha, beta, dtype | undefined): cv::normalize over all channels.
OpJob<cv::Mat> PrepareNormalize(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  int norm = NormArg(info[1]);
  double alpha = NumberArg(info[2], "options.alpha"), beta = NumberArg(info[3], "options.beta");
  int depth = info[4].IsUndefined() ? -1 : MatDepthArg(info[4], "options.dtype");
  RequireDepth(src, {CV_8U, CV_8S, CV_16U, CV_16S, CV_32S, CV_32F, CV_64F}, "normalize");
  return MatJob([src, norm, alpha, beta, depth] {
    cv::Mat dst;
    cv::normalize(src, dst, alpha, beta, norm, depth);
    return dst;
  });
}

// threshold(mat, thresh, maxval, type): the async twin of Mat.threshold (new Mat only).
OpJob<cv::Mat> PrepareThreshold(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  double thresh = NumberArg(info[1], "thresh"), maxval = NumberArg(info[2], "maxval");
  int type = ThresholdTypeArg(info[3], "options.type");
  if (type & cv::THRESH_OTSU) {
    RequireChannels(src, {1}, "threshold (Otsu)");
    RequireDepth(src, {CV_8U, CV_16U}, "threshold (Otsu)");
  }
  RequireDepth(src, {CV_8U, CV_16S, CV_16U, CV_32F, CV_64F}, "threshold");
  return MatJob([src, thresh, maxval, type] {
    cv::Mat dst;
    cv::threshold(src, dst, thresh, maxval, type);
    return dst;
  });
}

// inRange(mat, lower[], upper[]): a uint8 mask, 255 where every channel is in [lower, upper].
OpJob<cv::Mat> PrepareInRange(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  RequireChannels(src, {1, 2, 3, 4}, "inRange");
  std::vector<double> lower = NumbersArg(info[1], "lower"), upper = NumbersArg(info[2], "upper");
  const size_t cn = static_cast<size_t>(src.channels());
  if (lower.size() == 1) lower.assign(cn, lower[0]);
  if (upper.size() == 1) upper.assign(cn, upper[0]);
  if (lower.size() != cn || upper.size() != cn)
    Fail(ErrorKind::kShape, "inRange: expected one bound or " + std::to_string(cn) + " (one per channel), got " +
                                std::to_string(lower.size()) + " and " + std::to_string(upper.size()));
  cv::Scalar lo, hi;
  for (size_t c = 0; c < cn; ++c) {
    lo[c] = lower[c];
    hi[c] = upper[c];
  }
  return MatJob([src, lo, hi] {
    cv::Mat dst;
    cv::inRange(src, lo, hi, dst);
    return dst;
  });
}

}  // namespace

void RegisterColorOps(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "cvtColor", &PrepareCvtColor);
  ExportOp(env, exports, "convertTo", &PrepareConvertTo);
  ExportOp(env, exports, "normalize", &PrepareNormalize);
  ExportOp(env, exports, "threshold", &PrepareThreshold);
  ExportOp(env, exports, "inRange", &PrepareInRange);
}

}  // namespace tfcv
