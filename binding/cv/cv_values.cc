// See cv_values.h.
#include "cv/cv_values.h"

namespace tfcv {

Napi::Object RectValue(Napi::Env env, const cv::Rect& rect) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("x", rect.x);
  o.Set("y", rect.y);
  o.Set("width", rect.width);
  o.Set("height", rect.height);
  return o;
}

Napi::Object CircleValue(Napi::Env env, const cv::Point2f& center, float radius) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("x", static_cast<double>(center.x));
  o.Set("y", static_cast<double>(center.y));
  o.Set("radius", static_cast<double>(radius));
  return o;
}

Napi::Object MomentsValue(Napi::Env env, const cv::Moments& m) {
  Napi::Object o = Napi::Object::New(env);
  const std::pair<const char*, double> fields[] = {
      {"m00", m.m00},   {"m10", m.m10},   {"m01", m.m01},   {"m20", m.m20},   {"m11", m.m11},   {"m02", m.m02},
      {"m30", m.m30},   {"m21", m.m21},   {"m12", m.m12},   {"m03", m.m03},   {"mu20", m.mu20}, {"mu11", m.mu11},
      {"mu02", m.mu02}, {"mu30", m.mu30}, {"mu21", m.mu21}, {"mu12", m.mu12}, {"mu03", m.mu03}, {"nu20", m.nu20},
      {"nu11", m.nu11}, {"nu02", m.nu02}, {"nu30", m.nu30}, {"nu21", m.nu21}, {"nu12", m.nu12}, {"nu03", m.nu03},
  };
  for (const auto& [name, value] : fields) o.Set(name, value);
  return o;
}

}  // namespace tfcv
