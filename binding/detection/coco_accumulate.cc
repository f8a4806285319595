// See coco_accumulate.h. Per class, all kept detections of all images are sorted once by
// score (stable: ties stay in image order, then in each image's score order, as numpy's
// mergesort of the concatenation does); the maxDets 1 / 10 cuts are subsequences of that
// order, so one sort serves every area range and cut.
#include "detection/coco_accumulate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "common/errors.h"
#include "detection/coco_params.h"

namespace tfcv::coco {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// np.spacing(1): what pycocotools adds to tp + fp.
constexpr double kEps = 2.220446049250313e-16;

struct Record {
  const double* header;
};

// Per threshold, the mean over the recall points of the interpolated precision, and the
// final recall; `defined` false when no truth counts (pycocotools' -1).
struct Curve {
  bool defined = false;
  double precision[kThresholds] = {};
  double recall[kThresholds] = {};
};

// samples: when given, kThresholds x kRecallPoints interpolated precisions (wantPrecision).
Curve Evaluate(const std::vector<Detection>& sorted, int area, int maxDet, double truthCount, bool wantPrecision,
               double* samples = nullptr) {
  Curve c;
  if (truthCount == 0) return c;
  c.defined = true;
  const auto& recallPoints = RecallThresholds();
  std::vector<double> rc, pr;
  for (int t = 0; t < kThresholds; ++t) {
    const uint32_t matchBit = 1u << t, ignoreBit = 1u << (kIgnoreShift + t);
    double tp = 0, fp = 0;
    rc.clear();
    pr.clear();
    for (const Detection& d : sorted) {
      if (d.rank >= static_cast<uint32_t>(maxDet)) continue;
      const uint32_t code = d.codes[area];
      if (!(code & ignoreBit)) {
        if (code & matchBit)
          tp += 1;
        else
          fp += 1;
      }
      // Ignored detections still take a place in the curve, as in pycocotools.
      rc.push_back(tp / truthCount);
      if (wantPrecision) pr.push_back(tp / (fp + tp + kEps));
    }
    c.recall[t] = rc.empty() ? 0.0 : rc.back();
    if (!wantPrecision) continue;
    const size_t nd = pr.size();
    for (size_t i = nd; i-- > 1;)
      if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
    double sum = 0;
    size_t i = 0;
    double* q = samples ? samples + t * kRecallPoints : nullptr;
    if (q) std::fill(q, q + kRecallPoints, 0.0);
    for (int r = 0; r < kRecallPoints; ++r) {
      while (i < nd && rc[i] < recallPoints[r]) ++i;  // searchsorted(rc, r, 'left')
      if (i >= nd) break;                             // the remaining points stay 0
      sum += pr[i];
      if (q) q[r] = pr[i];
    }
    c.precision[t] = sum / kRecallPoints;
  }
  return c;
}

double MeanOf(const double* v, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += v[i];
  return s / n;
}

// One class: its twelve numbers (NaN where undefined).
void SummarizeClass(const ClassDetections& cls, double stats[kStats]) {
  const std::vector<Detection>& dets = cls.sorted;
  const double* truth = cls.truth;

  const Curve all100 = Evaluate(dets, 0, 100, truth[0], true);
  const Curve all1 = Evaluate(dets, 0, 1, truth[0], false);
  const Curve all10 = Evaluate(dets, 0, 10, truth[0], false);
  auto ap = [](const Curve& c) { return c.defined ? MeanOf(c.precision, kThresholds) : kNaN; };
  auto ar = [](const Curve& c) { return c.defined ? MeanOf(c.recall, kThresholds) : kNaN; };
  stats[0] = ap(all100);
  stats[1] = all100.defined ? all100.precision[kThreshold50] : kNaN;
  stats[2] = all100.defined ? all100.precision[kThreshold75] : kNaN;
  stats[6] = ar(all1);
  stats[7] = ar(all10);
  stats[8] = ar(all100);
  for (int a = 1; a < kAreas; ++a) {
    const Curve c = Evaluate(dets, a, 100, truth[a], true);
    stats[2 + a] = ap(c);
    stats[8 + a] = ar(c);
  }
}

// Splits spans into records, checking every length and count before it is used.
std::vector<Record> ParseRecords(const std::vector<RecordSpan>& spans) {
  std::vector<Record> out;
  for (size_t s = 0; s < spans.size(); ++s) {
    const double* p = spans[s].data;
    size_t left = spans[s].length;
    while (left > 0) {
      auto bad = [&](const std::string& why) {
        Fail(ErrorKind::kArgument,
             "records[" + std::to_string(s) + "]: not a MeanAveragePrecision state (" + why + ")");
      };
      if (left < static_cast<size_t>(kRecordHeader)) bad("truncated header");
      const double classId = p[0], count = p[1];
      if (!(classId >= INT32_MIN && classId <= INT32_MAX && classId == std::floor(classId))) bad("class id");
      if (!(count >= 0 && count <= kMaxDetLargest && count == std::floor(count))) bad("detection count");
      for (int a = 0; a < kAreas; ++a)
        if (!(p[2 + a] >= 0 && p[2 + a] <= 1e12 && p[2 + a] == std::floor(p[2 + a]))) bad("truth count");
      const size_t size = kRecordHeader + static_cast<size_t>(count) * kDetectionRow;
      if (size > left) bad("truncated detections");
      for (size_t j = 0; j < static_cast<size_t>(count); ++j) {
        const double* row = p + kRecordHeader + j * kDetectionRow;
        if (std::isnan(row[0])) bad("score");
        for (int a = 0; a < kAreas; ++a)
          if (!(row[1 + a] >= 0 && row[1 + a] < (1 << (2 * kThresholds)) && row[1 + a] == std::floor(row[1 + a])))
            bad("code");
      }
      out.push_back(Record{p});
      p += size;
      left -= size;
    }
  }
  return out;
}

}  // namespace

std::vector<ClassDetections> GatherClasses(const std::vector<RecordSpan>& spans) {
  std::map<int, std::vector<Record>> byClass;
  for (const Record& r : ParseRecords(spans)) byClass[static_cast<int>(r.header[0])].push_back(r);
  std::vector<ClassDetections> out;
  out.reserve(byClass.size());
  for (const auto& [classId, records] : byClass) {
    ClassDetections c{classId, {0, 0, 0, 0}, {}};
    size_t total = 0;
    for (const Record& r : records) total += static_cast<size_t>(r.header[1]);
    c.sorted.reserve(total);
    for (const Record& r : records) {
      const size_t n = static_cast<size_t>(r.header[1]);
      for (int a = 0; a < kAreas; ++a) c.truth[a] += r.header[2 + a];
      const double* rows = r.header + kRecordHeader;
      for (size_t j = 0; j < n; ++j) {
        Detection d;
        d.score = rows[j * kDetectionRow];
        d.rank = static_cast<uint32_t>(j);
        for (int a = 0; a < kAreas; ++a) d.codes[a] = static_cast<uint32_t>(rows[j * kDetectionRow + 1 + a]);
        c.sorted.push_back(d);
      }
    }
    std::stable_sort(c.sorted.begin(), c.sorted.end(),
                     [](const Detection& a, const Detection& b) { return a.score > b.score; });
    out.push_back(std::move(c));
  }
  return out;
}

void PrecisionSamples(const std::vector<Detection>& sorted, int area, int maxDet, double truthCount, double* out) {
  Evaluate(sorted, area, maxDet, truthCount, true, out);
}

Summary Accumulate(const std::vector<RecordSpan>& spans) {
  Summary out;
  double sums[kStats] = {};
  int counts[kStats] = {};
  for (const ClassDetections& c : GatherClasses(spans)) {
    ClassSummary cls{c.classId, {}};
    SummarizeClass(c, cls.stats);
    for (int i = 0; i < kStats; ++i)
      if (!std::isnan(cls.stats[i])) {
        sums[i] += cls.stats[i];
        counts[i]++;
      }
    out.classes.push_back(cls);
  }
  // Every defined class contributes the same number of entries to pycocotools' mean over
  // thresholds x recall points x classes, so the mean of class means is the same number.
  for (int i = 0; i < kStats; ++i) out.stats[i] = counts[i] > 0 ? sums[i] / counts[i] : kNaN;
  return out;
}

double ImageAveragePrecision(const double* records, size_t length) {
  return Accumulate({RecordSpan{records, length}}).stats[0];
}

}  // namespace tfcv::coco
