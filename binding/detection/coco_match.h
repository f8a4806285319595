// COCO's per-image step (pycocotools COCOeval.evaluateImg for iouType 'bbox'): for one image,
// each class present in its truth or predictions, and each area range, the greedy matching
// of score-sorted detections to truth at the ten IoU thresholds. The result is a compact
// record (coco_params.h) from which the accumulation needs nothing else, so records of
// different images, workers and processes merge by concatenation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tfcv::coco {

// One image's boxes as flat arrays ([x, y, w, h] rows in pixels). Truth uses crowd and
// area (area < 0: w * h); predictions use scores.
struct ImageBoxes {
  const double* boxes = nullptr;
  const int32_t* classes = nullptr;
  const double* scores = nullptr;
  const uint8_t* crowd = nullptr;
  const double* area = nullptr;
  size_t count = 0;
};

// Appends the image's records to `out` (nothing for an image with neither truth nor
// predictions). Detections beyond the `maxDet` best per class are dropped, as COCOeval does.
void MatchImage(const ImageBoxes& truth, const ImageBoxes& predictions, int maxDet, std::vector<double>& out);

}  // namespace tfcv::coco
