// See nms.h. The overlap follows cv::Rect_<double>'s operator& and area() and
// cv::jaccardDistance step by step (including "two empty boxes overlap fully"), because
// the result is compared with a float threshold and one ulp decides ties.
#include "detection/nms.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace tfcv {
namespace {

struct Box {
  double x, y, w, h, area;
  bool empty;
};

// cv::Rect2d a & b, then .area().
inline double IntersectionArea(const Box& a, const Box& b) {
  if (a.empty || b.empty) return 0.0;
  const Box& xMin = a.x < b.x ? a : b;
  const Box& xMax = a.x < b.x ? b : a;
  const Box& yMin = a.y < b.y ? a : b;
  const Box& yMax = a.y < b.y ? b : a;
  if ((xMin.x < 0 && xMin.x + xMin.w < xMax.x) || (yMin.y < 0 && yMin.y + yMin.h < yMax.y)) return 0.0;
  const double w = std::min(xMin.w - (xMax.x - xMin.x), xMax.w);
  const double h = std::min(yMin.h - (yMax.y - yMin.y), yMax.h);
  if (w <= 0 || h <= 0) return 0.0;
  return w * h;
}

// 1.f - (float)cv::jaccardDistance(a, b).
inline float Overlap(const Box& a, const Box& b) {
  if (a.area + b.area <= std::numeric_limits<double>::epsilon()) return 1.f - 0.f;
  const double inter = IntersectionArea(a, b);
  const double distance = 1.0 - inter / (a.area + b.area - inter);
  return 1.f - static_cast<float>(distance);
}

}  // namespace

std::vector<int32_t> NonMaximumSuppression(const std::vector<double>& coords, const std::vector<float>& scores,
                                           const int32_t* classes, const NmsOptions& options) {
  const size_t n = scores.size();
  // NMSBoxesBatched: shift each class by class * (max coordinate + 1) so classes never overlap.
  double offsetUnit = 0;
  if (classes != nullptr) {
    double maxCoord = 0;
    for (size_t i = 0; i < n; ++i) {
      const double x1 = coords[4 * i], y1 = coords[4 * i + 1];
      const double x2 = x1 + coords[4 * i + 2], y2 = y1 + coords[4 * i + 3];
      maxCoord = std::max(x1, maxCoord);
      maxCoord = std::max(y1, maxCoord);
      maxCoord = std::max(x2, maxCoord);
      maxCoord = std::max(y2, maxCoord);
    }
    offsetUnit = maxCoord + 1;
  }

  std::vector<std::pair<float, int32_t>> candidates;
  for (size_t i = 0; i < n; ++i)
    if (scores[i] > options.scoreThreshold) candidates.emplace_back(scores[i], static_cast<int32_t>(i));
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (options.topK > 0 && static_cast<size_t>(options.topK) < candidates.size()) candidates.resize(options.topK);

  std::vector<Box> boxes(n);
  for (const auto& c : candidates) {
    const size_t i = static_cast<size_t>(c.second);
    const double offset = classes != nullptr ? classes[i] * offsetUnit : 0.0;
    Box& b = boxes[i];
    b.x = classes != nullptr ? coords[4 * i] + offset : coords[4 * i];
    b.y = classes != nullptr ? coords[4 * i + 1] + offset : coords[4 * i + 1];
    b.w = coords[4 * i + 2];
    b.h = coords[4 * i + 3];
    b.area = b.w * b.h;
    b.empty = b.w <= 0 || b.h <= 0;
  }

  std::vector<int32_t> kept;
  std::vector<const Box*> keptBoxes;
  float threshold = options.iouThreshold;
  for (const auto& c : candidates) {
    const Box& box = boxes[static_cast<size_t>(c.second)];
    bool keep = true;
    for (size_t k = 0; k < keptBoxes.size() && keep; ++k) keep = Overlap(box, *keptBoxes[k]) <= threshold;
    if (keep) {
      kept.push_back(c.second);
      keptBoxes.push_back(&box);
      if (options.eta < 1 && threshold > 0.5f) threshold *= options.eta;
    }
  }
  return kept;
}

}  // namespace tfcv
