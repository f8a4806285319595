// See nms.h. The overlap follows cv::Rect_<double>'s operator& and area() and
// cv::jaccardDistance step by step (including "two empty boxes overlap fully"), because
// the result is compared with a float threshold and one ulp decides ties.
#include "detection/nms.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/errors.h"

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

// Counts overlap tests against options.maxComparisons and polls the cancellation flag.
class Budget {
 public:
  explicit Budget(const NmsOptions& options) : options_(options) {}
  void Spend() {
    ++used_;
    if (options_.maxComparisons != 0 && used_ > options_.maxComparisons)
      Fail(ErrorKind::kLimit, "nms: more than options.maxComparisons (" + std::to_string(options_.maxComparisons) +
                                  ") box-pair overlap tests; raise it, or narrow the candidates with " +
                                  "options.scoreThreshold / options.topK");
    if ((used_ & 0xFFF) == 0 && options_.cancelled && options_.cancelled()) Fail(ErrorKind::kArgument, "nms: aborted");
  }

 private:
  const NmsOptions& options_;
  uint64_t used_ = 0;
};

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
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
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

  // Keeping a box needs its overlap with every kept box to be <= the threshold, in any
  // order. Boxes that do not intersect have overlap exactly 0, which always passes (the
  // threshold is >= 0), so only kept boxes near the candidate need the exact test: a hash
  // grid finds them. Boxes outside the grid's assumptions (empty, tiny, or spanning many
  // cells) are compared with everything, as OpenCV does.
  double cellSum = 0;
  size_t cellCount = 0;
  for (const auto& c : candidates) {
    const Box& b = boxes[static_cast<size_t>(c.second)];
    if (!b.empty) {
      cellSum += std::max(b.w, b.h);
      ++cellCount;
    }
  }
  const double cell = cellCount > 0 && cellSum / cellCount > 0 && std::isfinite(cellSum) ? cellSum / cellCount : 1.0;
  auto cellOf = [cell](double v) -> int64_t {
    const double c = std::floor(v / cell);
    if (std::isnan(c)) return int64_t{0};
    // Clamped far inside int64 so spans never overflow; such boxes span many cells and take
    // the exhaustive path anyway.
    return c < -1e15 ? int64_t{-1000000000000000} : c > 1e15 ? int64_t{1000000000000000} : static_cast<int64_t>(c);
  };
  auto key = [](int64_t cx, int64_t cy) {
    return static_cast<uint64_t>(cx) * 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(cy) + 0x632BE59BD9B4E019ull);
  };
  struct Span {
    int64_t x0, x1, y0, y1;
  };
  constexpr int64_t kMaxCells = 16;
  auto spanOf = [&](const Box& b, Span& s) {
    // One cell of margin on each side absorbs any rounding in the cell arithmetic.
    s = {cellOf(b.x) - 1, cellOf(b.x + b.w) + 1, cellOf(b.y) - 1, cellOf(b.y + b.h) + 1};
    const bool normal = !b.empty && b.area > std::numeric_limits<double>::epsilon() && std::isfinite(b.area);
    return normal && s.x1 - s.x0 <= kMaxCells && s.y1 - s.y0 <= kMaxCells;
  };

  std::vector<int32_t> kept;
  std::vector<const Box*> keptBoxes;    // all kept boxes
  std::vector<const Box*> keptOutside;  // kept boxes that are not in the grid
  std::unordered_map<uint64_t, std::vector<const Box*>> grid;
  float threshold = options.iouThreshold;
  Budget budget(options);
  Span span{};
  for (const auto& c : candidates) {
    const Box& box = boxes[static_cast<size_t>(c.second)];
    const bool gridded = spanOf(box, span);
    bool keep = true;
    if (!gridded) {
      for (size_t k = 0; k < keptBoxes.size() && keep; ++k) {
        budget.Spend();
        keep = Overlap(box, *keptBoxes[k]) <= threshold;
      }
    } else {
      for (size_t k = 0; k < keptOutside.size() && keep; ++k) {
        budget.Spend();
        keep = Overlap(box, *keptOutside[k]) <= threshold;
      }
      for (int64_t cx = span.x0; cx <= span.x1 && keep; ++cx)
        for (int64_t cy = span.y0; cy <= span.y1 && keep; ++cy) {
          auto it = grid.find(key(cx, cy));
          if (it == grid.end()) continue;
          for (const Box* other : it->second) {
            budget.Spend();
            if (!(Overlap(box, *other) <= threshold)) {
              keep = false;
              break;
            }
          }
        }
    }
    if (keep) {
      kept.push_back(c.second);
      keptBoxes.push_back(&box);
      if (gridded) {
        // Registered in its own cells only (no margin): a query's margin covers the rest.
        for (int64_t cx = span.x0 + 1; cx <= span.x1 - 1; ++cx)
          for (int64_t cy = span.y0 + 1; cy <= span.y1 - 1; ++cy) grid[key(cx, cy)].push_back(&box);
      } else {
        keptOutside.push_back(&box);
      }
      if (options.eta < 1 && threshold > 0.5f) threshold *= options.eta;
    }
  }
  return kept;
}

}  // namespace tfcv
