// OpenCV result values as plain JS objects ({ x, y, width, height }, moments, ...), built
// on the JS thread; shared by the contour and analysis operations.
#pragma once

#include <napi.h>

#include <opencv2/core.hpp>

namespace tfcv {

Napi::Object RectValue(Napi::Env env, const cv::Rect& rect);
Napi::Object CircleValue(Napi::Env env, const cv::Point2f& center, float radius);
// All spatial, central and normalised central moments (m00 ... nu03), as cv::Moments names them.
Napi::Object MomentsValue(Napi::Env env, const cv::Moments& m);

}  // namespace tfcv
