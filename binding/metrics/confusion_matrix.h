// Per-image confusion matrices over pixels (rows: true class, columns: predicted class),
// the state behind MeanIoU, IoU, Dice, pixel / binary accuracy, precision and recall.
// Truth is class ids; predictions are class ids, per-class scores (argmax over channels,
// first maximum wins as in Keras) or a one-channel probability (> threshold is class 1).
// Pixels whose true class is the ignored class are left out (Keras' ignore_class).
// Masks (truth, and predictions given as class ids) follow a convention: class ids as they
// are, binary (0 is class 0, any other value class 1), or auto: per uint8 image, class ids
// when every value is one, binary when the values are 0/255, else an error naming the values
// seen (so a 0/255 PNG never meets an ignore class of 255 or an id range of 0..1 silently).
#pragma once

#include <cstdint>
#include <vector>

#include "metrics/image_batch.h"

namespace tfcv {

enum class PredictionMode { kClassIds, kScores, kProbability };
enum class MaskMode { kIds, kBinary, kAuto };

struct ConfusionOptions {
  int numClasses = 2;
  bool hasIgnoreClass = false;
  int64_t ignoreClass = 0;
  PredictionMode prediction = PredictionMode::kClassIds;
  double threshold = 0.5;
  MaskMode masks = MaskMode::kIds;
};

// numImages * numClasses * numClasses counts, image-major. Shapes are checked here too
// (the facade checks first), so a direct call cannot read out of bounds.
std::vector<double> ConfusionPerImage(const ImageBatch& truth, const ImageBatch& pred, const ConfusionOptions& options);

}  // namespace tfcv
