// Thresholding for contour measurements, fused with finding where the foreground is: one
// pass writes the 0/255 mask and the bounding box of its set pixels, so findContours traces
// only that box. findContours pads its input with zeros, so inside the box it sees exactly
// what it sees in the whole image: the same contours in the same order, shifted, with the
// same areas and perimeters (exact integer differences). It halves the memory traffic of a
// typical mask, which is what circularity's time is made of.
#pragma once

#include <opencv2/core.hpp>

#include <string>

namespace tfcv {

// `gray`: one channel (see Grayscale). Writes `dst` (8-bit, gray's size; reused when it fits)
// and returns the box of pixels > threshold (empty when none). NaN is an ArgumentError
// naming `label` and the position.
cv::Rect ThresholdWithBox(const cv::Mat& gray, double threshold, cv::Mat& dst, const std::string& label);

}  // namespace tfcv
