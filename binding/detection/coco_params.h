// The fixed evaluation grid of COCO's bbox evaluation (pycocotools' COCOeval Params with
// iouType 'bbox'), bit-exact: thresholds are built the way numpy.linspace builds them
// (i * step + start, the last one set to stop), so an IoU or recall that lands exactly on a
// threshold compares the same way as in pycocotools. One place, shared by the per-image
// matching and the accumulation.
#pragma once

#include <array>

namespace tfcv::coco {

constexpr int kThresholds = 10;     // IoU 0.50:0.05:0.95
constexpr int kRecallPoints = 101;  // recall 0:0.01:1
constexpr int kAreas = 4;           // all, small, medium, large
constexpr int kThreshold50 = 0;     // index of IoU 0.50
constexpr int kThreshold75 = 5;     // index of IoU 0.75
constexpr std::array<int, 3> kMaxDets = {1, 10, 100};
constexpr int kMaxDetLargest = 100;

// Inclusive [lo, hi] like pycocotools (an area of exactly 32^2 is both small and medium).
constexpr double kAreaRanges[kAreas][2] = {{0.0, 1e10}, {0.0, 1024.0}, {1024.0, 9216.0}, {9216.0, 1e10}};

inline const std::array<double, kThresholds>& IouThresholds() {
  static const std::array<double, kThresholds> t = [] {
    std::array<double, kThresholds> out{};
    const double step = (0.95 - 0.5) / (kThresholds - 1);
    for (int i = 0; i < kThresholds; ++i) out[i] = i * step + 0.5;
    out[kThresholds - 1] = 0.95;
    return out;
  }();
  return t;
}

inline const std::array<double, kRecallPoints>& RecallThresholds() {
  static const std::array<double, kRecallPoints> r = [] {
    std::array<double, kRecallPoints> out{};
    const double step = 1.0 / (kRecallPoints - 1);
    for (int i = 0; i < kRecallPoints; ++i) out[i] = i * step + 0.0;
    out[kRecallPoints - 1] = 1.0;
    return out;
  }();
  return r;
}

// Layout of the per-(image, class) match records (doubles, so they travel as one
// Float64Array and merge by concatenation): a header, then one row per kept detection in
// descending score order. A code packs, per IoU threshold t, bit t = matched and bit 10 + t
// = ignored, for one area range.
constexpr int kRecordHeader = 2 + kAreas;  // classId, detections, then per area the non-ignored truth count
constexpr int kDetectionRow = 1 + kAreas;  // score, then per area the code
constexpr int kIgnoreShift = kThresholds;

}  // namespace tfcv::coco
