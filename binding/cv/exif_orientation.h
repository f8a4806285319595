// EXIF orientation of JPEGs decoded outside cv::imdecode (TurboJPEG). cv::imdecode turns
// a JPEG upright from its EXIF Orientation tag (for the color and grayscale flags); tfcv's
// own JPEG path must do the same or the two paths would disagree on phone photos.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>

namespace tfcv {

// The Orientation tag (1..8) of a JPEG's APP1 Exif segment, or 1 when absent or unreadable.
int ReadJpegOrientation(const uint8_t* data, size_t size);

// True when the orientation swaps width and height (5..8: a transpose is involved).
inline bool OrientationSwapsAxes(int orientation) { return orientation >= 5 && orientation <= 8; }

// Applies an orientation exactly like OpenCV's ApplyExifOrientation (flips / transpose).
cv::Mat ApplyOrientation(const cv::Mat& mat, int orientation);

}  // namespace tfcv
