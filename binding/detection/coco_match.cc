// See coco_match.h. Every comparison follows pycocotools' order of operations (IoU as
// maskApi.c's bbIou in doubles, min(t, 1 - 1e-10), a later truth of equal IoU replacing an
// earlier one, non-crowd truth before crowd) so that ties resolve exactly as there.
#include "detection/coco_match.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "detection/coco_params.h"

namespace tfcv::coco {
namespace {

// maskApi.c bbIou: intersection over union, or over the detection's area for crowd truth.
double BoxIou(const double* d, const double* g, bool crowd) {
  const double da = d[2] * d[3], ga = g[2] * g[3];
  const double w = std::fmin(d[2] + d[0], g[2] + g[0]) - std::fmax(d[0], g[0]);
  if (w <= 0) return 0;
  const double h = std::fmin(d[3] + d[1], g[3] + g[1]) - std::fmax(d[1], g[1]);
  if (h <= 0) return 0;
  const double i = w * h;
  const double u = crowd ? da : da + ga - i;
  return i / u;
}

void MatchClass(const ImageBoxes& truth, const ImageBoxes& pred, const std::vector<size_t>& gts,
                std::vector<size_t> dts, int classId, int maxDet, std::vector<double>& out) {
  std::stable_sort(dts.begin(), dts.end(), [&](size_t a, size_t b) { return pred.scores[a] > pred.scores[b]; });
  if (dts.size() > static_cast<size_t>(maxDet)) dts.resize(static_cast<size_t>(maxDet));
  const size_t G = gts.size(), D = dts.size();

  std::vector<double> ious(D * G);
  std::vector<char> crowd(G);
  std::vector<double> gtArea(G);
  for (size_t g = 0; g < G; ++g) {
    const size_t gi = gts[g];
    crowd[g] = truth.crowd[gi] != 0;
    gtArea[g] = truth.area[gi] >= 0 ? truth.area[gi] : truth.boxes[4 * gi + 2] * truth.boxes[4 * gi + 3];
  }
  for (size_t d = 0; d < D; ++d)
    for (size_t g = 0; g < G; ++g)
      ious[d * G + g] = BoxIou(pred.boxes + 4 * dts[d], truth.boxes + 4 * gts[g], crowd[g]);

  const size_t header = out.size();
  out.resize(header + kRecordHeader + D * kDetectionRow, 0.0);
  double* rec = out.data() + header;
  rec[0] = classId;
  rec[1] = static_cast<double>(D);
  double* rows = rec + kRecordHeader;
  for (size_t d = 0; d < D; ++d) rows[d * kDetectionRow] = pred.scores[dts[d]];

  const auto& thresholds = IouThresholds();
  std::vector<char> ignored(G), gtMatched(G);
  std::vector<size_t> order(G);
  for (int a = 0; a < kAreas; ++a) {
    const double lo = kAreaRanges[a][0], hi = kAreaRanges[a][1];
    int notIgnored = 0;
    for (size_t g = 0; g < G; ++g) {
      ignored[g] = crowd[g] || gtArea[g] < lo || gtArea[g] > hi;
      notIgnored += ignored[g] ? 0 : 1;
    }
    rec[2 + a] = notIgnored;
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_partition(order.begin(), order.end(), [&](size_t g) { return !ignored[g]; });

    std::vector<uint32_t> codes(D, 0);
    for (int t = 0; t < kThresholds; ++t) {
      std::fill(gtMatched.begin(), gtMatched.end(), 0);
      for (size_t d = 0; d < D; ++d) {
        double best = std::min(thresholds[t], 1 - 1e-10);
        long m = -1;
        for (size_t k = 0; k < G; ++k) {
          const size_t g = order[k];
          if (gtMatched[g] && !crowd[g]) continue;
          if (m > -1 && !ignored[m] && ignored[g]) break;
          const double iou = ious[d * G + g];
          if (iou < best) continue;
          best = iou;
          m = static_cast<long>(g);
        }
        if (m == -1) continue;
        gtMatched[m] = 1;
        codes[d] |= 1u << t;
        if (ignored[m]) codes[d] |= 1u << (kIgnoreShift + t);
      }
    }
    // Unmatched detections outside the area range are ignored too.
    for (size_t d = 0; d < D; ++d) {
      const double* box = pred.boxes + 4 * dts[d];
      const double area = box[2] * box[3];
      if (area < lo || area > hi)
        for (int t = 0; t < kThresholds; ++t)
          if (!(codes[d] & (1u << t))) codes[d] |= 1u << (kIgnoreShift + t);
      rows[d * kDetectionRow + 1 + a] = codes[d];
    }
  }
}

}  // namespace

void MatchImage(const ImageBoxes& truth, const ImageBoxes& predictions, int maxDet, std::vector<double>& out) {
  // Indices grouped by class in one sort (stable: input order within a class), so an image
  // with many classes costs n log n, not classes x n.
  auto byClass = [](const ImageBoxes& b) {
    std::vector<size_t> order(b.count);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return b.classes[x] < b.classes[y]; });
    return order;
  };
  const std::vector<size_t> t = byClass(truth), p = byClass(predictions);
  size_t ti = 0, pi = 0;
  std::vector<size_t> gts, dts;
  while (ti < t.size() || pi < p.size()) {
    int32_t c;
    if (ti == t.size())
      c = predictions.classes[p[pi]];
    else if (pi == p.size())
      c = truth.classes[t[ti]];
    else
      c = std::min(truth.classes[t[ti]], predictions.classes[p[pi]]);
    gts.clear();
    dts.clear();
    while (ti < t.size() && truth.classes[t[ti]] == c) gts.push_back(t[ti++]);
    while (pi < p.size() && predictions.classes[p[pi]] == c) dts.push_back(p[pi++]);
    MatchClass(truth, predictions, gts, dts, c, maxDet, out);
  }
}

}  // namespace tfcv::coco
