// Pixel counts per image for the segmentation-accuracy metric (docs/METRICS.md): grayscale,
// binary threshold, countNonZero. The facade turns counts into predicted classes
// (count > minPixels); with threshold 0 the same kernel tells whether a truth mask has any
// foreground.
#pragma once

#include <vector>

#include "metrics/image_batch.h"
#include "metrics/threshold_rule.h"

namespace tfcv {

// [count, threshold flag] per image (flags: threshold_rule.h).
std::vector<double> CountAboveThreshold(const ImageBatch& batch, const ThresholdRule& rule);

}  // namespace tfcv
