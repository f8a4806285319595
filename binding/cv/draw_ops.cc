// Drawing for overlays. rectangle, circle, line, drawContours and putText draw into the
// Mat in place, on the JS thread (they are cheap), after every argument is checked and
// only through MatWrap::PrepareInPlaceWrite: memory another owner sees is never drawn on
// (ReadOnlyError, or a copy first with onShared 'copy'). addWeighted blends two Mats into
// a new one (sync and async), e.g. a coloured mask over an image.
#include <opencv2/imgproc.hpp>

#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/image_ops.h"
#include "cv/mat_result.h"
#include "cv/mat_wrap.h"

namespace tfcv {
namespace {

struct Stroke {
  cv::Scalar color;
  int thickness;
  int lineType;
};

// (color, thickness, lineType) at info[first..first+2].
Stroke StrokeArgs(const Napi::CallbackInfo& info, size_t first) {
  return Stroke{ScalarArg(info[first], "color"), ThicknessArg(info[first + 1], "options.thickness"),
                LineTypeArg(info[first + 2], "options.lineType")};
}

// Runs `draw` on the Mat's buffer once it is safe to write (onShared at info[onSharedAt]).
template <typename Draw>
Napi::Value DrawInPlace(const Napi::CallbackInfo& info, size_t onSharedAt, const char* what, Draw draw) {
  MatWrap& wrap = MatWrap::FromValue(info[0], "mat");
  wrap.Ref("mat");
  wrap.PrepareInPlaceWrite(info.Env(), OnSharedArg(info[onSharedAt], "options.onShared"), what);
  draw(wrap.Ref("mat")->mat);
  return info.Env().Undefined();
}

// rectangle(mat, rect, color, thickness, lineType, onShared)
Napi::Value Rectangle(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatArg(info[0], "mat");
    cv::Rect rect = RectArg(info[1], "rect");
    Stroke s = StrokeArgs(info, 2);
    return DrawInPlace(info, 5, "rectangle",
                       [&](cv::Mat& m) { cv::rectangle(m, rect, s.color, s.thickness, s.lineType); });
  });
}

// circle(mat, center, radius, color, thickness, lineType, onShared)
Napi::Value Circle(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatArg(info[0], "mat");
    cv::Point center = PointArg(info[1], "center");
    int radius = IntArg(info[2], "radius", 0, 1 << 24);
    Stroke s = StrokeArgs(info, 3);
    return DrawInPlace(info, 6, "circle",
                       [&](cv::Mat& m) { cv::circle(m, center, radius, s.color, s.thickness, s.lineType); });
  });
}

// line(mat, from, to, color, thickness, lineType, onShared)
Napi::Value Line(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatArg(info[0], "mat");
    cv::Point from = PointArg(info[1], "from"), to = PointArg(info[2], "to");
    Stroke s = StrokeArgs(info, 3);
    if (s.thickness == cv::FILLED) Fail(ErrorKind::kArgument, "options.thickness: a line cannot be 'filled'");
    return DrawInPlace(info, 6, "line", [&](cv::Mat& m) { cv::line(m, from, to, s.color, s.thickness, s.lineType); });
  });
}

// drawContours(mat, contours: Int32Array[], index, color, thickness, lineType, onShared)
Napi::Value DrawContours(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatArg(info[0], "mat");
    if (!info[1].IsArray()) Fail(ErrorKind::kArgument, "contours: expected an array of Int32Arrays");
    Napi::Array list = info[1].As<Napi::Array>();
    std::vector<std::vector<cv::Point>> contours(list.Length());
    for (uint32_t i = 0; i < list.Length(); ++i) {
      cv::Mat points = PointsArg(list.Get(i), "contours[" + std::to_string(i) + "]", false, 0);
      contours[i].assign(points.ptr<cv::Point>(), points.ptr<cv::Point>() + points.rows);
    }
    int index = IntArg(info[2], "options.index", -1, INT32_MAX);
    if (index >= static_cast<int>(contours.size()))
      Fail(ErrorKind::kArgument, "options.index: expected -1 (all) or 0.." + std::to_string(contours.size()) +
                                     " - 1, got " + std::to_string(index));
    Stroke s = StrokeArgs(info, 3);
    return DrawInPlace(info, 6, "drawContours",
                       [&](cv::Mat& m) { cv::drawContours(m, contours, index, s.color, s.thickness, s.lineType); });
  });
}

int FontArg(const Napi::Value& value) {
  return ChoiceArg(value, "options.font",
                   {{"simplex", cv::FONT_HERSHEY_SIMPLEX},
                    {"plain", cv::FONT_HERSHEY_PLAIN},
                    {"duplex", cv::FONT_HERSHEY_DUPLEX},
                    {"complex", cv::FONT_HERSHEY_COMPLEX},
                    {"triplex", cv::FONT_HERSHEY_TRIPLEX},
                    {"complex-small", cv::FONT_HERSHEY_COMPLEX_SMALL},
                    {"script-simplex", cv::FONT_HERSHEY_SCRIPT_SIMPLEX},
                    {"script-complex", cv::FONT_HERSHEY_SCRIPT_COMPLEX}});
}

// putText(mat, text, origin, font, fontScale, color, thickness, lineType, onShared):
// OpenCV's Hershey fonts cover printable ASCII; other characters are drawn as '?'.
Napi::Value PutText(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatArg(info[0], "mat");
    std::string text = StringArg(info[1], "text");
    if (text.size() > 10000) Fail(ErrorKind::kLimit, "text: at most 10000 bytes, got " + std::to_string(text.size()));
    cv::Point origin = PointArg(info[2], "origin");
    int font = FontArg(info[3]);
    double scale = NumberArg(info[4], "options.fontScale");
    if (!(scale > 0 && scale <= 100)) Fail(ErrorKind::kArgument, "options.fontScale: expected a number in (0, 100]");
    Stroke s = StrokeArgs(info, 5);
    if (s.thickness == cv::FILLED) Fail(ErrorKind::kArgument, "options.thickness: text cannot be 'filled'");
    return DrawInPlace(info, 8, "putText", [&](cv::Mat& m) {
      cv::putText(m, text, origin, font, scale, s.color, s.thickness, s.lineType);
    });
  });
}

// addWeighted(a, alpha, b, beta, gamma, dtype | undefined): a * alpha + b * beta + gamma.
OpJob<cv::Mat> PrepareAddWeighted(const Napi::CallbackInfo& info) {
  cv::Mat a = MatArg(info[0], "mat"), b = MatArg(info[2], "other");
  double alpha = NumberArg(info[1], "alpha"), beta = NumberArg(info[3], "beta"),
         gamma = NumberArg(info[4], "options.gamma");
  if (a.size() != b.size() || a.channels() != b.channels())
    Fail(ErrorKind::kShape, "addWeighted: expected two Mats of the same size and channels, got " + DescribeMat(a) +
                                " and " + DescribeMat(b));
  int depth = -1;
  if (!info[5].IsUndefined()) {
    const DType& d = DTypeArg(info[5], "options.dtype");
    if (d.cvDepth == kNoCvDepth)
      Fail(ErrorKind::kDType, "options.dtype: OpenCV has no Mat depth for " + std::string(d.name));
    depth = d.cvDepth;
  } else if (a.depth() != b.depth()) {
    Fail(ErrorKind::kDType, "addWeighted: the Mats differ in dtype (" + DescribeMat(a) + ", " + DescribeMat(b) +
                                "); pass options.dtype for the result");
  }
  return MatJob([a, b, alpha, beta, gamma, depth] {
    cv::Mat dst;
    cv::addWeighted(a, alpha, b, beta, gamma, dst, depth);
    return dst;
  });
}

}  // namespace

void RegisterDrawOps(Napi::Env env, Napi::Object exports) {
  exports.Set("rectangle", Napi::Function::New<Rectangle>(env, "rectangle"));
  exports.Set("circle", Napi::Function::New<Circle>(env, "circle"));
  exports.Set("line", Napi::Function::New<Line>(env, "line"));
  exports.Set("drawContours", Napi::Function::New<DrawContours>(env, "drawContours"));
  exports.Set("putText", Napi::Function::New<PutText>(env, "putText"));
  ExportOp(env, exports, "addWeighted", &PrepareAddWeighted);
}

}  // namespace tfcv
