// Circularity of the largest contour, per image (docs/METRICS.md): grayscale, binary threshold,
// external contours (RETR_EXTERNAL, CHAIN_APPROX_SIMPLE), the contour with the largest
// contourArea, and 4*pi*area / arcLength(closed)^2. What to do with an image without a
// contour (or a zero perimeter) is the metric's emptyPolicy, decided in the facade.
#pragma once

#include <vector>

#include "metrics/image_batch.h"
#include "metrics/threshold_rule.h"

namespace tfcv {

struct ContourMeasure {
  double area = 0;
  double perimeter = 0;
  double circularity = 0;                    // NaN when there is no contour or the perimeter is 0
  double thresholdFlag = kThresholdAsGiven;  // see threshold_rule.h
};

std::vector<ContourMeasure> MeasureLargestContours(const ImageBatch& batch, const ThresholdRule& rule);

}  // namespace tfcv
