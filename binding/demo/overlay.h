// Per-image pictures for the HTML report: the input image enlarged (nearest neighbour, so
// pixels stay visible) with the predicted mask's contours in red and the true mask's in
// green, encoded as PNG with OpenCV. Native because the outlines are those of the binary
// masks metrics/binary_mask.h makes for the metrics (see demo_api.h).
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace tfcv {

struct OverlayInput {
  cv::Mat image;      // 1, 3 or 4 channels, any depth (scaled to uint8 when not uint8)
  cv::Mat predicted;  // one channel: pixels > threshold are the predicted shape
  cv::Mat truth;      // optional one-channel class-id mask: non-zero is the true shape
  double threshold = 0.5;
  int scale = 4;
};

std::vector<uint8_t> OverlayPng(const OverlayInput& input);

}  // namespace tfcv
