// Non-maximum suppression with the semantics of OpenCV's cv::dnn::NMSBoxes (Rect2d) and
// NMSBoxesBatched, reimplemented here because OpenCV's dnn module needs protobuf, which the
// statically linked build cannot carry beside TensorFlow's (see README "Detection").
// Same filter (score > threshold), stable descending sort, topK cut, greedy suppression
// with the same float/double arithmetic (overlap = 1.f - float(jaccardDistance)), adaptive
// eta, and the same per-class coordinate offsets, so the kept indices are the same.
#pragma once

#include <cstdint>
#include <vector>

namespace tfcv {

struct NmsOptions {
  float scoreThreshold = 0.f;
  float iouThreshold = 0.5f;
  float eta = 1.f;
  int topK = 0;  // 0: no limit
};

// boxes: [x, y, w, h] rows; scores: one per box; classes: one per box or null (one class).
// Returns the kept indices, highest score first.
std::vector<int32_t> NonMaximumSuppression(const std::vector<double>& boxes, const std::vector<float>& scores,
                                           const int32_t* classes, const NmsOptions& options);

}  // namespace tfcv
