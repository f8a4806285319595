// The first two steps every OpenCV measurement of the original metrics shares (docs/METRICS.md):
// grayscale (BGR -> GRAY for 3 channels, BGRA -> GRAY for 4), then a binary threshold
// "pixel > t becomes 255" into an 8-bit mask that findContours / countNonZero read.
// A NaN anywhere is an error rather than a silent "below the threshold".
#pragma once

#include <opencv2/core.hpp>

#include <string>

namespace tfcv {

// `label` names the image in messages ("yPred[2]"). `dst` is reused when its size fits.
void BinaryMask(const cv::Mat& src, double threshold, cv::Mat& dst, const std::string& label);

// One channel (BGR/BGRA converted to gray); float16 and depths cvtColor lacks become float32.
cv::Mat Grayscale(const cv::Mat& src, const std::string& label);

// Throws ArgumentError naming the first NaN's position when a float image holds one.
void CheckNoNaN(const cv::Mat& src, const std::string& label);

}  // namespace tfcv
