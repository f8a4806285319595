// The curves behind COCO's numbers, from the same match records (coco_match.h): per class
// the precision samples of COCOeval.accumulate (area all, 100 detections, every IoU
// threshold), and, at IoU 0.50, the true and false positives kept at each confidence
// threshold of a fixed grid and at the confidence that maximises F1 (per class and over
// all classes together). docs/METRICS.md states the definitions.
#pragma once

#include <vector>

#include "detection/coco_accumulate.h"

namespace tfcv::coco {

constexpr int kConfidencePoints = 1001;  // thresholds k / 1000, k = 0..1000

// The best point of an F1 sweep: the threshold (a detection score; NaN when there is no
// detection) and the counts kept at it.
struct BestF1 {
  double score;
  double tp;
  double fp;
};

struct ClassCurves {
  int classId;
  double truth;                                   // non-ignored truth, area all
  double precision[kThresholds * kRecallPoints];  // pycocotools precision[:, :, k, 0, 2]; unset when truth == 0
  double tp[kConfidencePoints];                   // kept with score >= k / 1000, matched at IoU 0.50
  double fp[kConfidencePoints];
  BestF1 best;
};

struct Curves {
  std::vector<ClassCurves> classes;  // ascending class id
  double truth;                      // all classes
  BestF1 best;                       // all classes' detections at one threshold
};

// Throws ArgumentError on records that are not well formed (as Accumulate).
Curves ComputeCurves(const std::vector<RecordSpan>& spans);

}  // namespace tfcv::coco
