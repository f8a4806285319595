// See coco_curves.h. A detection counts at IoU 0.50 when it is not ignored there (a match to
// a crowd region is ignored, as in COCOeval): matched is a true positive, unmatched a false
// positive. COCO matches in descending score order, so the matches of the detections scoring
// >= c are the ones an evaluation of those detections alone would make: one matching serves
// every threshold.
#include "detection/coco_curves.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace tfcv::coco {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// F1 = 2TP / (2TP + FP + FN) with FN = truth - TP: defined whenever anything is counted.
double F1(double tp, double fp, double truth) {
  const double d = tp + fp + truth;
  return d > 0 ? 2 * tp / d : kNaN;
}

// Sweeps (score, is-TP) pairs sorted by descending score; evaluates F1 after each run of
// equal scores (a threshold keeps all of them or none); the first maximum wins, i.e. the
// highest such threshold.
BestF1 Sweep(const std::vector<std::pair<double, bool>>& sorted, double truth) {
  BestF1 best{kNaN, 0, 0};
  double bestF1 = -1, tp = 0, fp = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i].second)
      tp += 1;
    else
      fp += 1;
    if (i + 1 < sorted.size() && sorted[i + 1].first == sorted[i].first) continue;
    const double f = F1(tp, fp, truth);
    if (f > bestF1) {
      bestF1 = f;
      best = {sorted[i].first, tp, fp};
    }
  }
  return best;
}

}  // namespace

Curves ComputeCurves(const std::vector<RecordSpan>& spans) {
  Curves out;
  out.truth = 0;
  std::vector<ClassDetections> classes = GatherClasses(spans);
  out.classes.resize(classes.size());
  std::vector<std::pair<double, bool>> all, mine;
  const uint32_t match = 1u << kThreshold50, ignore = 1u << (kIgnoreShift + kThreshold50);
  for (size_t k = 0; k < classes.size(); ++k) {
    const ClassDetections& c = classes[k];
    ClassCurves& cc = out.classes[k];
    cc.classId = c.classId;
    cc.truth = c.truth[0];
    out.truth += c.truth[0];
    if (c.truth[0] > 0)
      PrecisionSamples(c.sorted, 0, kMaxDetLargest, c.truth[0], cc.precision);
    else
      std::fill(std::begin(cc.precision), std::end(cc.precision), kNaN);
    mine.clear();
    for (const Detection& d : c.sorted) {
      if (d.rank >= static_cast<uint32_t>(kMaxDetLargest) || (d.codes[0] & ignore)) continue;
      mine.emplace_back(d.score, (d.codes[0] & match) != 0);
    }
    // Grid: walk the thresholds upwards while the detections (descending) drop out.
    double tp = 0, fp = 0;
    for (const auto& d : mine) (d.second ? tp : fp) += 1;
    size_t drop = mine.size();  // mine[drop..] have score < threshold
    for (int g = 0; g < kConfidencePoints; ++g) {
      const double threshold = static_cast<double>(g) / (kConfidencePoints - 1);
      while (drop > 0 && mine[drop - 1].first < threshold) {
        --drop;
        (mine[drop].second ? tp : fp) -= 1;
      }
      cc.tp[g] = tp;
      cc.fp[g] = fp;
    }
    cc.best = Sweep(mine, cc.truth);
    all.insert(all.end(), mine.begin(), mine.end());
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  out.best = Sweep(all, out.truth);
  return out;
}

}  // namespace tfcv::coco
