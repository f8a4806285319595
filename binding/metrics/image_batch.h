// A batch of images as the metric kernels see it: per image a pointer, size, channel count
// and row step over memory somebody else owns (a tensor or Mats), plus the references that
// keep that memory alive while a kernel runs on the libuv pool. Free of Node-API, so
// kernels run on any thread; batch_args.cc builds one from JS values.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/dtype.h"

namespace tfcv {

struct ImageView {
  const uint8_t* data = nullptr;
  int rows = 0;
  int cols = 0;
  int channels = 0;
  size_t step = 0;  // bytes per row (larger than cols * channels * size for ROI Mats)
};

struct ImageBatch {
  std::string name;  // the argument, for messages: "yPred"
  const DType* dtype = nullptr;
  std::vector<ImageView> images;
  std::vector<std::shared_ptr<void>> pins;  // TensorRef / MatRefs held for the kernel's duration

  size_t size() const { return images.size(); }
  // OpenCV depth of the elements: bool reads as uint8; kNoCvDepth for int64 / uint32 / uint64.
  int CvDepth() const;
  // A read-only header over image i (no copy). Throws DTypeError when OpenCV has no depth
  // for the dtype; `what` names the metric in that message.
  cv::Mat Header(size_t i, const std::string& what) const;
  // "yPred[3]" for messages.
  std::string Label(size_t i) const { return name + "[" + std::to_string(i) + "]"; }
};

}  // namespace tfcv
