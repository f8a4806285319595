// Thresholding for contour measurements, limited to where the foreground is: a read-only
// pass finds the bounding box of the pixels above the threshold, and only that box is
// thresholded and handed to findContours. findContours pads its input with zeros, so inside
// the box it sees exactly what it sees in the whole image: the same contours in the same
// order, shifted, with the same areas and perimeters (exact integer differences). On a typical
// mask this is a fraction of the memory traffic, which is what circularity's time is made of.
#pragma once

#include <opencv2/core.hpp>

#include <string>

namespace tfcv {

// `gray`: one channel (see Grayscale). Returns the box of pixels > threshold (empty when none)
// and writes `dst`: the 0/255 mask of that box only (8-bit, box-sized; reused when it fits).
// NaN anywhere is an ArgumentError naming `label` and the position.
cv::Rect ThresholdWithBox(const cv::Mat& gray, double threshold, cv::Mat& dst, const std::string& label);

}  // namespace tfcv
