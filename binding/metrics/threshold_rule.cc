// See threshold_rule.h.
#include "metrics/threshold_rule.h"

namespace tfcv {

bool IsIntegerDepth(int depth) {
  return depth == CV_8U || depth == CV_8S || depth == CV_16U || depth == CV_16S || depth == CV_32S;
}

double CheckThreshold(const cv::Mat& gray, const ThresholdRule& rule, double setPixels, double totalPixels,
                      bool& useZero) {
  useZero = false;
  if (rule.mode == ThresholdMode::kQuiet || !IsIntegerDepth(gray.depth()) || totalPixels == 0) return kThresholdAsGiven;
  const bool none = setPixels == 0;
  const bool all = setPixels == totalPixels;
  if (!none && !all) return kThresholdAsGiven;
  double lo = 0, hi = 0;
  cv::minMaxLoc(gray, &lo, &hi);
  if (none && rule.mode == ThresholdMode::kAuto && lo >= 0 && hi == 1 && rule.threshold >= 1) {
    useZero = true;
    return kThresholdZeroOne;
  }
  return lo < hi ? kThresholdOneSided : kThresholdAsGiven;
}

}  // namespace tfcv
