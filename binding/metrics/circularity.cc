// See circularity.h. Images run in parallel on OpenCV's pool; each thread reuses its mask
// buffer, because allocating one per 512x512 image is a measurable share of the work, and
// traces contours only inside the foreground's bounding box (threshold_box.h).
#include "metrics/circularity.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <limits>

#include "metrics/binary_mask.h"
#include "common/parallel_images.h"
#include "metrics/threshold_box.h"

namespace tfcv {

std::vector<ContourMeasure> MeasureLargestContours(const ImageBatch& batch, const ThresholdRule& rule) {
  std::vector<ContourMeasure> out(batch.size());
  ParallelForImages(batch.size(), [&](size_t i) {
    thread_local cv::Mat binary;
    thread_local std::vector<std::vector<cv::Point>> contours;
    const std::string label = batch.Label(i);
    ContourMeasure& m = out[i];
    m.circularity = std::numeric_limits<double>::quiet_NaN();
    const cv::Mat gray = Grayscale(batch.Header(i, "circularity"), label);
    cv::Rect box = ThresholdWithBox(gray, rule.threshold, binary, label);
    const double total = static_cast<double>(gray.total());
    // Every pixel set only when the box is the whole image; count then, not before.
    const double set = box.empty() ? 0 : box.area() == total ? cv::countNonZero(binary) : 1;
    bool useZero = false;
    m.thresholdFlag = CheckThreshold(gray, rule, set, total, useZero);
    if (useZero) box = ThresholdWithBox(gray, 0, binary, label);
    if (box.empty()) return;
    contours.clear();
    cv::findContours(binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const std::vector<cv::Point>* largest = nullptr;
    double largestArea = -1;
    for (const auto& contour : contours) {
      const double area = cv::contourArea(contour);
      if (area > largestArea) {  // strict: the first of equal areas wins, as Python's max() does
        largestArea = area;
        largest = &contour;
      }
    }
    if (largest == nullptr) return;
    m.area = largestArea;
    m.perimeter = cv::arcLength(*largest, true);
    if (m.perimeter > 0) m.circularity = 4.0 * CV_PI * m.area / (m.perimeter * m.perimeter);
  });
  return out;
}

}  // namespace tfcv
