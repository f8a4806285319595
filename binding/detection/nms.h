// Non-maximum suppression with the semantics of OpenCV's cv::dnn::NMSBoxes (Rect2d) and
// NMSBoxesBatched, reimplemented here because OpenCV's dnn module needs protobuf, which the
// statically linked build cannot carry beside TensorFlow's (see README "Detection").
// Same filter (score > threshold), stable descending sort, topK cut, greedy suppression
// with the same float/double arithmetic (overlap = 1.f - float(jaccardDistance)), adaptive
// eta, and the same per-class coordinate offsets, so the kept indices are the same.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace tfcv {

struct NmsOptions {
  float scoreThreshold = 0.f;
  float iouThreshold = 0.5f;
  float eta = 1.f;
  int topK = 0;  // 0: no limit
  // Most box-pair overlap tests before a LimitError (the work is quadratic in the worst
  // case: many boxes that all survive); 0: no limit.
  uint64_t maxComparisons = 0;
  // Polled every few thousand tests: true stops the work (the caller has gone).
  std::function<bool()> cancelled;
};

// boxes: [x, y, w, h] rows; scores: one per box; classes: one per box or null (one class).
// Returns the kept indices, highest score first. LimitError past options.maxComparisons;
// a cancelled run ends with an ArgumentError nobody reads (the facade has already rejected).
std::vector<int32_t> NonMaximumSuppression(const std::vector<double>& boxes, const std::vector<float>& scores,
                                           const int32_t* classes, const NmsOptions& options);

}  // namespace tfcv
