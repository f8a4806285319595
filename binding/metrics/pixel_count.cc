// See pixel_count.h.
#include "metrics/pixel_count.h"

#include "metrics/binary_mask.h"
#include "metrics/parallel_images.h"

namespace tfcv {

std::vector<double> CountAboveThreshold(const ImageBatch& batch, double threshold) {
  std::vector<double> out(batch.size());
  ParallelForImages(batch.size(), [&](size_t i) {
    thread_local cv::Mat binary;
    BinaryMask(batch.Header(i, "pixel count"), threshold, binary, batch.Label(i));
    out[i] = static_cast<double>(cv::countNonZero(binary));
  });
  return out;
}

}  // namespace tfcv
