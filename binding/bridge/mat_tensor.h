// Mat <-> Tensor conversions, free of Node-API so they run on the JS thread or in a
// libuv worker alike. Decisions that need JS-thread knowledge (may the source be moved?)
// are made by the caller and passed in.
#pragma once

#include <opencv2/core.hpp>

#include <string>

#include "bridge/transfer_mode.h"
#include "common/dtype.h"
#include "tf/tensor_owner.h"

namespace tfcv {

struct MatToTensorOptions {
  TransferMode mode = TransferMode::kCopy;
  Fallback fallback = Fallback::kCopy;
  const DType* dtype = nullptr;  // target dtype; nullptr keeps the Mat's depth
  bool channelsFirst = false;    // CHW instead of HWC
  bool batch = false;            // prepend a batch dim of 1
  bool sourceExclusive = false;  // mode kMove: nothing else sees the Mat's buffer
};

struct TensorResult {
  TensorRef tensor;
  bool zeroCopy = false;
  std::string copyReason;  // why a share/move became a copy (empty when zero-copy)
};

TensorResult MatToTensor(const cv::Mat& mat, const MatToTensorOptions& options);

struct TensorToMatOptions {
  TransferMode mode = TransferMode::kCopy;
  Fallback fallback = Fallback::kCopy;
  bool sourceExclusive = false;  // mode kMove: the caller holds the only TensorRef
};

struct MatResult {
  cv::Mat mat;
  bool zeroCopy = false;
  std::string copyReason;
};

// Accepts [H,W], [H,W,C] and [1,H,W,C] tensors of a dtype OpenCV represents.
MatResult TensorToMat(const TensorRef& tensor, const TensorToMatOptions& options);

}  // namespace tfcv
