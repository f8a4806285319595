// Where an image lands when it is fitted into a target size: letterbox (scaled to fit,
// centred, the rest padded) and center-crop (the centred source region with the target's
// aspect ratio). One definition shared by the single operations, preprocess and the JS
// helpers, so a detection mapped back through letterboxGeometry() matches the pixels.
// Rounding is floor(x + 0.5) (not banker's rounding) and centring floors the offset; the
// Python reference generator mirrors both.
#pragma once

#include <opencv2/core.hpp>

namespace tfcv {

struct LetterboxFit {
  double scale;      // target / source
  cv::Size inner;    // the resized image, inside the target
  cv::Point offset;  // its top-left corner in the target
};

LetterboxFit FitLetterbox(cv::Size source, cv::Size target);

// The region of `source` that, resized to `target`, fills it without distortion.
cv::Rect CenterCropRect(cv::Size source, cv::Size target);

}  // namespace tfcv
