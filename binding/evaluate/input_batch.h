// evaluate()'s default preprocessing: decoded images (any size, BGR / gray / BGRA, uint8)
// stacked into one model input tensor [N,H,W,C] in one native pass per image: channel
// conversion, resize to the model's input size, RGB or BGR order, and float32 pixel / divisor.
// (A general fused preprocess belongs to the image ops; this is the fixed recipe the
// evaluation command needs, kept small.)
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "tf/tensor_owner.h"

namespace tfcv {

struct InputBatchSpec {
  int height = 0;
  int width = 0;
  int channels = 3;        // 1 or 3
  bool rgb = true;         // channel order of 3-channel output
  bool asFloat = true;     // float32 (pixel / divisor) or uint8
  float divisor = 255.0f;  // float32 only
};

TensorRef MakeInputBatch(const std::vector<cv::Mat>& images, const InputBatchSpec& spec);

}  // namespace tfcv
