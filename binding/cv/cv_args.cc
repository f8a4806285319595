// See cv_args.h.
#include "cv/cv_args.h"

#include <opencv2/imgproc.hpp>

#include <climits>
#include <cmath>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
#include "common/dtype.h"

namespace tfcv {
namespace {

std::string DepthName(int depth) {
  const DType* d = DTypeByCvDepth(depth);
  return d ? d->name : "depth " + std::to_string(depth);
}

int FieldInt(const Napi::Object& o, const char* field, const std::string& name, int min, int max) {
  return IntArg(o.Get(field), name + "." + field, min, max);
}

}  // namespace

cv::Mat MatArg(const Napi::Value& value, const std::string& name) {
  return MatWrap::FromValue(value, name).Ref(name)->mat;
}

cv::Size SizeArg(const Napi::Value& value, const std::string& name) {
  Napi::Object o = ObjectArg(value, name);
  cv::Size size(FieldInt(o, "width", name, 1, INT_MAX), FieldInt(o, "height", name, 1, INT_MAX));
  CheckOutputPixels(size.width, size.height, name);
  return size;
}

cv::Rect RectArg(const Napi::Value& value, const std::string& name) {
  Napi::Object o = ObjectArg(value, name);
  // Bounded so that x + width never overflows an int inside OpenCV.
  constexpr int kLimit = 1 << 30;
  return cv::Rect(FieldInt(o, "x", name, -kLimit, kLimit), FieldInt(o, "y", name, -kLimit, kLimit),
                  FieldInt(o, "width", name, 1, kLimit - 1), FieldInt(o, "height", name, 1, kLimit - 1));
}

cv::Point PointArg(const Napi::Value& value, const std::string& name) {
  Napi::Object o = ObjectArg(value, name);
  // Drawing coordinates far outside any image are clipped by OpenCV; +-2^24 keeps its
  // fixed-point arithmetic (shift 16) away from overflow.
  constexpr int kLimit = 1 << 24;
  return cv::Point(FieldInt(o, "x", name, -kLimit, kLimit), FieldInt(o, "y", name, -kLimit, kLimit));
}

cv::Scalar ScalarArg(const Napi::Value& value, const std::string& name) {
  if (!value.IsArray()) Fail(ErrorKind::kArgument, name + ": expected an array of 1..4 numbers");
  Napi::Array a = value.As<Napi::Array>();
  if (a.Length() < 1 || a.Length() > 4)
    Fail(ErrorKind::kArgument, name + ": expected 1..4 numbers, got " + std::to_string(a.Length()));
  cv::Scalar s;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    double d = NumberArg(a.Get(i), name + "[" + std::to_string(i) + "]");
    if (!std::isfinite(d)) Fail(ErrorKind::kArgument, name + "[" + std::to_string(i) + "]: expected a finite number");
    s[i] = d;
  }
  return s;
}

int InterpolationArg(const Napi::Value& value, const std::string& name) {
  return ChoiceArg(value, name,
                   {{"nearest", cv::INTER_NEAREST},
                    {"linear", cv::INTER_LINEAR},
                    {"cubic", cv::INTER_CUBIC},
                    {"area", cv::INTER_AREA},
                    {"lanczos4", cv::INTER_LANCZOS4},
                    {"linear-exact", cv::INTER_LINEAR_EXACT},
                    {"nearest-exact", cv::INTER_NEAREST_EXACT}});
}

int ThresholdTypeArg(const Napi::Value& value, const std::string& name) {
  return ChoiceArg(value, name,
                   {{"binary", cv::THRESH_BINARY},
                    {"binary-inv", cv::THRESH_BINARY_INV},
                    {"trunc", cv::THRESH_TRUNC},
                    {"tozero", cv::THRESH_TOZERO},
                    {"tozero-inv", cv::THRESH_TOZERO_INV},
                    {"otsu", cv::THRESH_BINARY | cv::THRESH_OTSU},
                    {"binary-inv-otsu", cv::THRESH_BINARY_INV | cv::THRESH_OTSU}});
}

int ThicknessArg(const Napi::Value& value, const std::string& name) {
  if (value.IsString()) return ChoiceArg(value, name, {{"filled", cv::FILLED}});
  return IntArg(value, name, 1, 1000);
}

int LineTypeArg(const Napi::Value& value, const std::string& name) {
  if (value.IsString()) return ChoiceArg(value, name, {{"aa", cv::LINE_AA}});
  int t = IntArg(value, name, 4, 8);
  if (t != 4 && t != 8) Fail(ErrorKind::kArgument, name + ": expected 4 | 8 | 'aa', got " + std::to_string(t));
  return t;
}

cv::Mat PointsArg(const Napi::Value& value, const std::string& name, bool allowFloat, size_t minPoints) {
  if (!value.IsTypedArray()) Fail(ErrorKind::kArgument, name + ": expected an Int32Array of x, y pairs");
  Napi::TypedArray array = value.As<Napi::TypedArray>();
  const napi_typedarray_type kind = array.TypedArrayType();
  if (kind != napi_int32_array && !(allowFloat && kind == napi_float32_array))
    Fail(ErrorKind::kArgument, name + (allowFloat ? ": expected an Int32Array or Float32Array of x, y pairs"
                                                  : ": expected an Int32Array of x, y pairs"));
  const size_t length = array.ElementLength();
  if (length % 2 != 0)
    Fail(ErrorKind::kShape,
         name + ": expected x, y pairs (an even length), got " + std::to_string(length) + " numbers");
  if (length / 2 < minPoints)
    Fail(ErrorKind::kShape,
         name + ": expected at least " + std::to_string(minPoints) + " point(s), got " + std::to_string(length / 2));
  if (length / 2 > static_cast<size_t>(INT_MAX)) Fail(ErrorKind::kLimit, name + ": too many points");
  Napi::ArrayBuffer buffer = array.ArrayBuffer();
  if (!buffer.IsArrayBuffer())
    Fail(ErrorKind::kArgument, name + ": expected a typed array over an ArrayBuffer, got one over a SharedArrayBuffer");
  if (buffer.Data() == nullptr && length > 0)
    Fail(ErrorKind::kArgument, name + ": expected live memory, got a detached array");
  auto* data = static_cast<uint8_t*>(buffer.Data()) + array.ByteOffset();
  return cv::Mat(static_cast<int>(length / 2), 1, kind == napi_int32_array ? CV_32SC2 : CV_32FC2, data);
}

std::string DescribeMat(const cv::Mat& mat) {
  return std::to_string(mat.rows) + "x" + std::to_string(mat.cols) + "x" + std::to_string(mat.channels()) + " " +
         DepthName(mat.depth());
}

void RequireChannels(const cv::Mat& mat, std::initializer_list<int> allowed, const std::string& what) {
  std::string list;
  for (int c : allowed) {
    if (mat.channels() == c) return;
    list += (list.empty() ? "" : " or ") + std::to_string(c);
  }
  Fail(ErrorKind::kShape, what + ": expected a Mat with " + list + " channel(s), got " + DescribeMat(mat));
}

void RequireDepth(const cv::Mat& mat, std::initializer_list<int> allowed, const std::string& what) {
  std::string list;
  for (int d : allowed) {
    if (mat.depth() == d) return;
    list += (list.empty() ? "" : " or ") + DepthName(d);
  }
  Fail(ErrorKind::kDType, what + ": expected a " + list + " Mat, got " + DescribeMat(mat));
}

void CheckOutputPixels(int64_t width, int64_t height, const std::string& what) {
  if (width <= 0 || height <= 0 || width > INT_MAX || height > INT_MAX || width * height > kMaxOutputPixels)
    Fail(ErrorKind::kLimit, what + ": an output of " + std::to_string(width) + "x" + std::to_string(height) +
                                " pixels is over the limit of 2^30 pixels");
}

}  // namespace tfcv
