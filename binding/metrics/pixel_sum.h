// Sum and count of every element (all channels) per image, for the average-pixel-value
// metric. Integer images are summed exactly in int64, so states merge without rounding;
// float images in double. A NaN is an error, not a silently poisoned mean.
#pragma once

#include <vector>

#include "metrics/image_batch.h"

namespace tfcv {

struct PixelSum {
  double sum = 0;
  double count = 0;
};

std::vector<PixelSum> SumPixels(const ImageBatch& batch);

}  // namespace tfcv
