// Geometry operations that return a new Mat with its own memory: resize (OpenCV's
// interpolations by name), crop (copy; a crop view is Mat.roi), pad, letterbox, flip,
// rotate by quarter turns. Plus the fit helpers (letterboxGeometry, centerCropRect) that
// let JS map coordinates between a source image and a fitted one.
#include <opencv2/imgproc.hpp>

#include <climits>
#include <cmath>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/fit_geometry.h"
#include "cv/image_ops.h"
#include "cv/mat_result.h"
#include "cv/resize_budget.h"

namespace tfcv {
namespace {

// resize(mat, size | null, fx, fy, interpolation): a size wins; otherwise OpenCV computes
// the size from the factors and samples with exactly those factors (as cv2.resize does).
OpJob<cv::Mat> PrepareResize(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  cv::Size size;
  double fx = 0, fy = 0;
  if (!info[1].IsNull() && !info[1].IsUndefined()) {
    size = SizeArg(info[1], "size");
  } else {
    fx = NumberArg(info[2], "options.fx");
    fy = NumberArg(info[3], "options.fy");
    if (!(fx > 0) || !(fy > 0) || !std::isfinite(fx) || !std::isfinite(fy))
      Fail(ErrorKind::kArgument, "options.fx / options.fy: expected positive finite factors");
    // OpenCV's own rounding of the size from the factors (saturate_cast: round half to even).
    const double w = std::nearbyint(src.cols * fx), h = std::nearbyint(src.rows * fy);
    if (w < 1 || h < 1)
      Fail(ErrorKind::kShape, "resize: factors " + std::to_string(fx) + ", " + std::to_string(fy) + " shrink a " +
                                  std::to_string(src.cols) + "x" + std::to_string(src.rows) + " Mat to nothing");
    if (w * h > static_cast<double>(kMaxOutputPixels))
      Fail(ErrorKind::kLimit, "resize: factors " + std::to_string(fx) + ", " + std::to_string(fy) +
                                  " give an output over the limit of 2^30 pixels");
    CheckOutputPixels(static_cast<int64_t>(w), static_cast<int64_t>(h), "resize");
  }
  int interpolation = InterpolationArg(info[4], "options.interpolation");
  {
    const cv::Size out = size.area() > 0 ? size
                                         : cv::Size(static_cast<int>(std::nearbyint(src.cols * fx)),
                                                    static_cast<int>(std::nearbyint(src.rows * fy)));
    CheckResizeAllocation(src.size(), out, src.channels(), interpolation,
                          static_cast<uint64_t>(out.width) * static_cast<uint64_t>(out.height) * src.elemSize(),
                          "resize");
  }
  return MatJob([src, size, fx, fy, interpolation] {
    cv::Mat dst;
    cv::resize(src, dst, size, fx, fy, interpolation);
    return dst;
  });
}

cv::Rect RectInside(const cv::Mat& src, const Napi::Value& value, const char* what) {
  cv::Rect r = RectArg(value, "rect");
  if (r.x < 0 || r.y < 0 || r.x > src.cols - r.width || r.y > src.rows - r.height)
    Fail(ErrorKind::kShape, std::string(what) + ": expected a rectangle inside " + std::to_string(src.cols) + "x" +
                                std::to_string(src.rows) + ", got x=" + std::to_string(r.x) +
                                " y=" + std::to_string(r.y) + " width=" + std::to_string(r.width) +
                                " height=" + std::to_string(r.height));
  return r;
}

// crop(mat, rect): a copy of the region.
OpJob<cv::Mat> PrepareCrop(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  cv::Rect rect = RectInside(src, info[1], "crop");
  return MatJob([src, rect] { return src(rect).clone(); });
}

int BorderArg(const Napi::Value& value) {
  return ChoiceArg(value, "options.border",
                   {{"constant", cv::BORDER_CONSTANT},
                    {"replicate", cv::BORDER_REPLICATE},
                    {"reflect", cv::BORDER_REFLECT},
                    {"reflect101", cv::BORDER_REFLECT_101},
                    {"wrap", cv::BORDER_WRAP}});
}

// pad(mat, {top, bottom, left, right}, border, value)
OpJob<cv::Mat> PreparePad(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  Napi::Object p = ObjectArg(info[1], "padding");
  int top = IntArg(p.Get("top"), "padding.top", 0, INT_MAX),
      bottom = IntArg(p.Get("bottom"), "padding.bottom", 0, INT_MAX);
  int left = IntArg(p.Get("left"), "padding.left", 0, INT_MAX),
      right = IntArg(p.Get("right"), "padding.right", 0, INT_MAX);
  CheckOutputPixels(int64_t{src.cols} + left + right, int64_t{src.rows} + top + bottom, "pad");
  int border = BorderArg(info[2]);
  cv::Scalar value = ScalarArg(info[3], "options.value");
  // Reflecting needs the source to be at least as large as the border (OpenCV asserts).
  if (border != cv::BORDER_CONSTANT && border != cv::BORDER_REPLICATE &&
      (top > src.rows || bottom > src.rows || left > src.cols || right > src.cols))
    Fail(ErrorKind::kShape, "pad: a reflecting or wrapping border can be at most as wide as the Mat (" +
                                std::to_string(src.cols) + "x" + std::to_string(src.rows) + ")");
  return MatJob([src, top, bottom, left, right, border, value] {
    cv::Mat dst;
    cv::copyMakeBorder(src, dst, top, bottom, left, right, border, value);
    return dst;
  });
}

// letterbox(mat, size, fill, interpolation): resize to fit, centre, pad with `fill`.
OpJob<cv::Mat> PrepareLetterbox(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  cv::Size target = SizeArg(info[1], "size");
  cv::Scalar fill = ScalarArg(info[2], "options.fill");
  int interpolation = InterpolationArg(info[3], "options.interpolation");
  {
    // The resized inner image, the padded output and the interpolation tables live at once.
    const cv::Size inner = FitLetterbox(src.size(), target).inner;
    const uint64_t pixelBytes = src.elemSize();
    CheckResizeAllocation(src.size(), inner, src.channels(), interpolation,
                          (static_cast<uint64_t>(inner.width) * static_cast<uint64_t>(inner.height) +
                           static_cast<uint64_t>(target.width) * static_cast<uint64_t>(target.height)) *
                              pixelBytes,
                          "letterbox");
  }
  return MatJob([src, target, fill, interpolation] {
    LetterboxFit fit = FitLetterbox(src.size(), target);
    cv::Mat inner, dst;
    cv::resize(src, inner, fit.inner, 0, 0, interpolation);
    cv::copyMakeBorder(inner, dst, fit.offset.y, target.height - fit.inner.height - fit.offset.y, fit.offset.x,
                       target.width - fit.inner.width - fit.offset.x, cv::BORDER_CONSTANT, fill);
    return dst;
  });
}

// flip(mat, 'horizontal' | 'vertical' | 'both')
OpJob<cv::Mat> PrepareFlip(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  int code = ChoiceArg(info[1], "direction", {{"horizontal", 1}, {"vertical", 0}, {"both", -1}});
  return MatJob([src, code] {
    cv::Mat dst;
    cv::flip(src, dst, code);
    return dst;
  });
}

// rotate(mat, 90 | 180 | 270): clockwise quarter turns.
OpJob<cv::Mat> PrepareRotate(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  int degrees = IntArg(info[1], "degrees", 90, 270);
  int code;
  if (degrees == 90)
    code = cv::ROTATE_90_CLOCKWISE;
  else if (degrees == 180)
    code = cv::ROTATE_180;
  else if (degrees == 270)
    code = cv::ROTATE_90_COUNTERCLOCKWISE;
  else
    Fail(ErrorKind::kArgument, "degrees: expected 90 | 180 | 270, got " + std::to_string(degrees));
  return MatJob([src, code] {
    cv::Mat dst;
    cv::rotate(src, dst, code);
    return dst;
  });
}

cv::Size SourceTargetArgs(const Napi::CallbackInfo& info, cv::Size& target) {
  cv::Size source(IntArg(info[0], "source.width", 1, INT_MAX), IntArg(info[1], "source.height", 1, INT_MAX));
  target = cv::Size(IntArg(info[2], "target.width", 1, INT_MAX), IntArg(info[3], "target.height", 1, INT_MAX));
  return source;
}

// letterboxGeometry(srcW, srcH, dstW, dstH) -> { scale, x, y, width, height }
Napi::Value LetterboxGeometry(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Size target;
    cv::Size source = SourceTargetArgs(info, target);
    LetterboxFit fit = FitLetterbox(source, target);
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("scale", fit.scale);
    out.Set("x", fit.offset.x);
    out.Set("y", fit.offset.y);
    out.Set("width", fit.inner.width);
    out.Set("height", fit.inner.height);
    return out;
  });
}

// centerCropRect(srcW, srcH, dstW, dstH) -> { x, y, width, height }
Napi::Value CenterCrop(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Size target;
    cv::Size source = SourceTargetArgs(info, target);
    cv::Rect r = CenterCropRect(source, target);
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("x", r.x);
    out.Set("y", r.y);
    out.Set("width", r.width);
    out.Set("height", r.height);
    return out;
  });
}

}  // namespace

void RegisterGeometryOps(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "resize", &PrepareResize);
  ExportOp(env, exports, "crop", &PrepareCrop);
  ExportOp(env, exports, "pad", &PreparePad);
  ExportOp(env, exports, "letterbox", &PrepareLetterbox);
  ExportOp(env, exports, "flip", &PrepareFlip);
  ExportOp(env, exports, "rotate", &PrepareRotate);
  exports.Set("letterboxGeometry", Napi::Function::New<LetterboxGeometry>(env, "letterboxGeometry"));
  exports.Set("centerCropRect", Napi::Function::New<CenterCrop>(env, "centerCropRect"));
}

}  // namespace tfcv
