// See mask_batch.h.
#include "evaluate/mask_batch.h"

#include <opencv2/imgproc.hpp>

#include "common/errors.h"
#include "common/parallel_images.h"
#include "tf/tensor_factory.h"

namespace tfcv {

TensorRef MakeMaskBatch(const std::vector<cv::Mat>& masks, const MaskBatchSpec& spec) {
  if (spec.height < 1 || spec.width < 1) Fail(ErrorKind::kShape, "spec: height and width must be >= 1");
  for (size_t i = 0; i < masks.size(); ++i)
    if (masks[i].type() != CV_8UC1)
      Fail(ErrorKind::kDType,
           "masks[" + std::to_string(i) + "]: expected a one-channel uint8 mask (decode it as grayscale)");
  TensorRef tensor = AllocTensor(*DTypeByName("uint8"), {static_cast<int64_t>(masks.size()), spec.height, spec.width});
  const size_t imageBytes = static_cast<size_t>(spec.height) * spec.width;
  auto* base = static_cast<uint8_t*>(tensor->data());
  ParallelForImages(masks.size(), [&](size_t i) {
    cv::Mat dst(spec.height, spec.width, CV_8U, base + imageBytes * i);
    cv::Mat src = masks[i];
    if (src.rows != spec.height || src.cols != spec.width) {
      cv::Mat resized;
      cv::resize(src, resized, dst.size(), 0, 0, cv::INTER_NEAREST);
      src = resized;
    }
    bool binary = spec.mode == MaskBatchMode::kBinary;
    if (spec.mode == MaskBatchMode::kAuto) {
      // Only 0 and 255: the same as "no value in 1..254".
      cv::Mat between;
      cv::inRange(src, 1, 254, between);
      binary = cv::countNonZero(between) == 0;
    }
    if (binary)
      cv::threshold(src, dst, 0, 1, cv::THRESH_BINARY);  // non-zero -> 1
    else
      src.copyTo(dst);
  });
  return tensor;
}

}  // namespace tfcv
