// evaluate()'s truth masks: decoded one-channel masks stacked into a uint8 class-id tensor
// [N,H,W] at the prediction's size. 'binary' masks (0 / 255 PNGs, or 0 / 1) become 0 / 1
// (any non-zero pixel is foreground); 'ids' masks keep their values. Resizing uses nearest
// neighbour, so no new class ids appear at edges.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "tf/tensor_owner.h"

namespace tfcv {

struct MaskBatchSpec {
  int height = 0;
  int width = 0;
  bool binary = true;
};

TensorRef MakeMaskBatch(const std::vector<cv::Mat>& masks, const MaskBatchSpec& spec);

}  // namespace tfcv
