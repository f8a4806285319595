// Contours: findContours on a binary uint8 Mat (sync and async), returning each contour
// as an Int32Array of x, y pairs plus OpenCV's hierarchy, and the measures of a contour
// (area, perimeter, bounding box, enclosing circle, moments), synchronous because they are
// cheap and read the caller's typed array in place.
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/cv_values.h"
#include "cv/image_ops.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

struct ContoursResult {
  std::vector<std::vector<cv::Point>> contours;
  std::vector<cv::Vec4i> hierarchy;
};

int RetrievalArg(const Napi::Value& value) {
  return ChoiceArg(
      value, "options.mode",
      {{"external", cv::RETR_EXTERNAL}, {"list", cv::RETR_LIST}, {"ccomp", cv::RETR_CCOMP}, {"tree", cv::RETR_TREE}});
}

int ApproximationArg(const Napi::Value& value) {
  return ChoiceArg(value, "options.method",
                   {{"none", cv::CHAIN_APPROX_NONE},
                    {"simple", cv::CHAIN_APPROX_SIMPLE},
                    {"tc89-l1", cv::CHAIN_APPROX_TC89_L1},
                    {"tc89-kcos", cv::CHAIN_APPROX_TC89_KCOS}});
}

Napi::Value ContoursValue(Napi::Env env, ContoursResult& r) {
  Napi::Array contours = Napi::Array::New(env, r.contours.size());
  for (size_t i = 0; i < r.contours.size(); ++i) {
    const auto& points = r.contours[i];
    // cv::Point is two ints, laid out x, y: the vector is already the pairs we hand out.
    Napi::Int32Array a = Napi::Int32Array::New(env, points.size() * 2);
    if (!points.empty()) std::memcpy(a.Data(), points.data(), points.size() * sizeof(cv::Point));
    contours.Set(static_cast<uint32_t>(i), a);
  }
  Napi::Int32Array hierarchy = Napi::Int32Array::New(env, r.hierarchy.size() * 4);
  if (!r.hierarchy.empty()) std::memcpy(hierarchy.Data(), r.hierarchy.data(), r.hierarchy.size() * sizeof(cv::Vec4i));
  Napi::Object out = Napi::Object::New(env);
  out.Set("contours", contours);
  out.Set("hierarchy", hierarchy);
  return out;
}

// findContours(mat, mode, method): OpenCV 4 leaves the source untouched, so it is only read.
OpJob<ContoursResult> PrepareFindContours(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  RequireChannels(src, {1}, "findContours");
  RequireDepth(src, {CV_8U}, "findContours");
  int mode = RetrievalArg(info[1]), method = ApproximationArg(info[2]);
  return {[src, mode, method] {
            ContoursResult r;
            cv::findContours(src, r.contours, r.hierarchy, mode, method);
            return r;
          },
          ContoursValue};
}

// contourArea(points, oriented): Green's formula; signed when oriented.
Napi::Value ContourArea(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Mat points = PointsArg(info[0], "points", true, 0);
    bool oriented = BoolArg(info[1], "options.oriented");
    return Napi::Number::New(info.Env(), points.empty() ? 0.0 : cv::contourArea(points, oriented));
  });
}

// arcLength(points, closed)
Napi::Value ArcLength(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Mat points = PointsArg(info[0], "points", true, 0);
    bool closed = BoolArg(info[1], "options.closed");
    return Napi::Number::New(info.Env(), points.empty() ? 0.0 : cv::arcLength(points, closed));
  });
}

// boundingRect(points): the smallest upright rectangle holding every point.
Napi::Value BoundingRect(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Mat points = PointsArg(info[0], "points", true, 1);
    return RectValue(info.Env(), cv::boundingRect(points));
  });
}

// minEnclosingCircle(points) -> { x, y, radius }
Napi::Value MinEnclosingCircle(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Mat points = PointsArg(info[0], "points", true, 1);
    cv::Point2f center;
    float radius = 0;
    cv::minEnclosingCircle(points, center, radius);
    return CircleValue(info.Env(), center, radius);
  });
}

// contourMoments(points): the moments of the polygon.
Napi::Value ContourMoments(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Mat points = PointsArg(info[0], "points", true, 0);
    return MomentsValue(info.Env(), points.empty() ? cv::Moments() : cv::moments(points));
  });
}

}  // namespace

void RegisterContourOps(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "findContours", &PrepareFindContours);
  exports.Set("contourArea", Napi::Function::New<ContourArea>(env, "contourArea"));
  exports.Set("arcLength", Napi::Function::New<ArcLength>(env, "arcLength"));
  exports.Set("boundingRect", Napi::Function::New<BoundingRect>(env, "boundingRect"));
  exports.Set("minEnclosingCircle", Napi::Function::New<MinEnclosingCircle>(env, "minEnclosingCircle"));
  exports.Set("contourMoments", Napi::Function::New<ContourMoments>(env, "contourMoments"));
}

}  // namespace tfcv
