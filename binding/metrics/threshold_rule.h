// How a binarisation threshold meets an integer image whose values do not look like what the
// threshold was chosen for. The original metrics threshold at 127 (circularity) or 100
// (segmentation accuracy), which assumes 0..255 images; a 0/1 class-id mask (what evaluate's
// onBatch hands out as truth) would silently come out empty. Two rules, decided per image:
//  - 'auto': an integer image whose values all lie in 0..1 and include 1 is a 0/1 mask, and
//    is thresholded at 0 (non-zero is foreground) instead.
//  - a threshold that puts every pixel of a non-uniform integer image on the same side is
//    reported (the facade warns), so "every image empty" never passes unnoticed.
// Both need the image's value range only when the threshold left no pixel (or every pixel)
// set, so the common case costs no extra pass.
#pragma once

#include <opencv2/core.hpp>

namespace tfcv {

enum class ThresholdMode { kGiven, kAuto, kQuiet };  // kQuiet: as given, nothing reported

// Flags reported per image beside the measurement.
constexpr double kThresholdAsGiven = 0;
constexpr double kThresholdZeroOne = 1;   // 'auto' found a 0/1 mask and used threshold 0
constexpr double kThresholdOneSided = 2;  // every pixel on one side of the threshold, values varied

struct ThresholdRule {
  double threshold = 0;
  ThresholdMode mode = ThresholdMode::kGiven;
};

bool IsIntegerDepth(int depth);

// For a grayscale image thresholded with `rule.threshold` into `setPixels` of `totalPixels`
// set: the flag to report, and whether the caller must threshold again at 0 (a 0/1 mask
// under 'auto'). Reads the image's range only when no pixel or every pixel is set.
double CheckThreshold(const cv::Mat& gray, const ThresholdRule& rule, double setPixels, double totalPixels,
                      bool& useZero);

}  // namespace tfcv
