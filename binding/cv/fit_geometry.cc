// See fit_geometry.h.
#include "cv/fit_geometry.h"

#include <algorithm>
#include <cmath>

namespace tfcv {
namespace {

int RoundClamp(double value, int max) { return std::clamp(static_cast<int>(std::floor(value + 0.5)), 1, max); }

}  // namespace

LetterboxFit FitLetterbox(cv::Size source, cv::Size target) {
  LetterboxFit fit;
  fit.scale =
      std::min(static_cast<double>(target.width) / source.width, static_cast<double>(target.height) / source.height);
  fit.inner = cv::Size(RoundClamp(source.width * fit.scale, target.width),
                       RoundClamp(source.height * fit.scale, target.height));
  fit.offset = cv::Point((target.width - fit.inner.width) / 2, (target.height - fit.inner.height) / 2);
  return fit;
}

cv::Rect CenterCropRect(cv::Size source, cv::Size target) {
  const double scale =
      std::max(static_cast<double>(target.width) / source.width, static_cast<double>(target.height) / source.height);
  const int w = RoundClamp(target.width / scale, source.width), h = RoundClamp(target.height / scale, source.height);
  return cv::Rect((source.width - w) / 2, (source.height - h) / 2, w, h);
}

}  // namespace tfcv
