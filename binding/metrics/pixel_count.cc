// See pixel_count.h.
#include "metrics/pixel_count.h"

#include "metrics/binary_mask.h"
#include "common/parallel_images.h"

namespace tfcv {

std::vector<double> CountAboveThreshold(const ImageBatch& batch, const ThresholdRule& rule) {
  std::vector<double> out(batch.size() * 2);
  ParallelForImages(batch.size(), [&](size_t i) {
    thread_local cv::Mat binary;
    const std::string label = batch.Label(i);
    const cv::Mat gray = Grayscale(batch.Header(i, "pixel count"), label);
    BinaryMask(gray, rule.threshold, binary, label);
    double count = static_cast<double>(cv::countNonZero(binary));
    bool useZero = false;
    out[i * 2 + 1] = CheckThreshold(gray, rule, count, static_cast<double>(gray.total()), useZero);
    if (useZero) {
      BinaryMask(gray, 0, binary, label);
      count = static_cast<double>(cv::countNonZero(binary));
    }
    out[i * 2] = count;
  });
  return out;
}

}  // namespace tfcv
