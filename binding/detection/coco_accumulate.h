// COCO's accumulate + summarize (pycocotools COCOeval.accumulate / summarize) over match
// records (coco_match.h) from any number of images, in the order the images were seen:
// that order breaks ties in score across images, as the sorted image ids do in COCOeval.
#pragma once

#include <cstddef>
#include <vector>

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

// AP@[.50:.95] (area all, 100 detections) of one image's records: the mean over its classes
// with truth; NaN when it has no truth.
double ImageAveragePrecision(const double* records, size_t length);

}  // namespace tfcv::coco
