// Per-channel affine conversion y[c] = x[c] * scale[c] + shift[c]: convertTo with one
// scale and shift per channel, and the arithmetic preprocess uses when it normalises
// ((x * scale - mean) / std == x * (scale / std) + (-mean / std)). Both go through
// AffineValue with the same float coefficients, so a chain of single operations and the
// fused preprocess give bit-identical tensors.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace tfcv {

template <typename T>
inline T AffineValue(T x, T scale, T shift) {
  return x * scale + shift;
}

// A new Mat of `depth` (saturating, rounding to nearest like convertTo). Computed in
// float, or in double when the source or the destination is float64. `scale` and `shift`
// hold one value per channel.
cv::Mat ChannelAffine(const cv::Mat& src, int depth, const std::vector<double>& scale,
                      const std::vector<double>& shift);

}  // namespace tfcv
