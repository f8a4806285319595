// evaluate()'s truth masks: decoded one-channel masks stacked into a uint8 class-id tensor
// [N,H,W] at the prediction's size. 'binary' masks (0 / 255 PNGs, or 0 / 1) become 0 / 1
// (any non-zero pixel is foreground); 'ids' masks keep their values; 'auto' treats a mask
// holding only 0 and 255 as binary and any other as ids (the metrics then check the ids
// against their numClasses and ignoreClass). Resizing uses nearest
// neighbour, so no new class ids appear at edges.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "tf/tensor_owner.h"

namespace tfcv {

enum class MaskBatchMode { kBinary, kIds, kAuto };

struct MaskBatchSpec {
  int height = 0;
  int width = 0;
  MaskBatchMode mode = MaskBatchMode::kBinary;
};

TensorRef MakeMaskBatch(const std::vector<cv::Mat>& masks, const MaskBatchSpec& spec);

}  // namespace tfcv
