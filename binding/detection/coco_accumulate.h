// COCO's accumulate + summarize (pycocotools COCOeval.accumulate / summarize) over match
// records (coco_match.h) from any number of images, in the order the images were seen:
// that order breaks ties in score across images, as the sorted image ids do in COCOeval.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "detection/coco_params.h"

namespace tfcv::coco {

// The twelve numbers of COCOeval.summarize(): AP, AP50, AP75, AP small / medium / large,
// AR@1, AR@10, AR@100, AR small / medium / large. NaN where pycocotools prints -1.
constexpr int kStats = 12;

struct ClassSummary {
  int classId;
  double stats[kStats];
};

struct Summary {
  double stats[kStats];
  std::vector<ClassSummary> classes;  // ascending class id, every class seen on either side
};

struct RecordSpan {
  const double* data;
  size_t length;
};

// Throws ArgumentError when a span is not a well-formed sequence of records (they can come
// from user JSON).
Summary Accumulate(const std::vector<RecordSpan>& spans);

// One kept detection of a class, as the accumulation sees it.
struct Detection {
  double score;
  uint32_t rank;  // position in its image's score order (for the maxDets cut)
  uint32_t codes[kAreas];
};

// One class's detections of all images, sorted by score (stable, as COCOeval's mergesort),
// and its non-ignored truth count per area range.
struct ClassDetections {
  int classId;
  double truth[kAreas];
  std::vector<Detection> sorted;
};

// The records grouped by class (ascending class id), checked as Accumulate checks them.
std::vector<ClassDetections> GatherClasses(const std::vector<RecordSpan>& spans);

// COCOeval.accumulate's precision samples of one class for one area range and maxDets:
// out[t * kRecallPoints + r] = pycocotools' precision[t, r, k, a, m] (interpolated, 0 past
// the last recall reached). truthCount must be > 0.
void PrecisionSamples(const std::vector<Detection>& sorted, int area, int maxDet, double truthCount, double* out);

// AP@[.50:.95] (area all, 100 detections) of one image's records: the mean over its classes
// with truth; NaN when it has no truth.
double ImageAveragePrecision(const double* records, size_t length);

}  // namespace tfcv::coco
