// Per-image confusion matrices over pixels (rows: true class, columns: predicted class),
// the state behind MeanIoU, IoU, Dice, pixel / binary accuracy, precision and recall.
// Truth is class ids; predictions are class ids, per-class scores (argmax over channels,
// first maximum wins as in Keras) or a one-channel probability (> threshold is class 1).
// Pixels whose true class is the ignored class are left out (Keras' ignore_class).
#pragma once

#include <cstdint>
#include <vector>

#include "metrics/image_batch.h"

namespace tfcv {

enum class PredictionMode { kClassIds, kScores, kProbability };

struct ConfusionOptions {
  int numClasses = 2;
  bool hasIgnoreClass = false;
  int64_t ignoreClass = 0;
  PredictionMode prediction = PredictionMode::kClassIds;
  double threshold = 0.5;
};

// numImages * numClasses * numClasses counts, image-major. Shapes are checked here too
// (the facade checks first), so a direct call cannot read out of bounds.
std::vector<double> ConfusionPerImage(const ImageBatch& truth, const ImageBatch& pred, const ConfusionOptions& options);

}  // namespace tfcv
