// See channel_affine.h. The source is first widened to float (exact for 8- and 16-bit
// integers), then one pass applies the coefficients in place, then OpenCV narrows to the
// destination depth when it is not the compute type.
#include "cv/channel_affine.h"

namespace tfcv {
namespace {

template <typename T>
void ApplyInPlace(cv::Mat& m, const std::vector<double>& scale, const std::vector<double>& shift) {
  const int cn = m.channels();
  std::vector<T> a(scale.begin(), scale.end()), b(shift.begin(), shift.end());
  for (int y = 0; y < m.rows; ++y) {
    T* row = m.ptr<T>(y);
    for (int x = 0; x < m.cols; ++x)
      for (int c = 0; c < cn; ++c) row[x * cn + c] = AffineValue(row[x * cn + c], a[c], b[c]);
  }
}

}  // namespace

cv::Mat ChannelAffine(const cv::Mat& src, int depth, const std::vector<double>& scale,
                      const std::vector<double>& shift) {
  const bool wide = depth == CV_64F || src.depth() == CV_64F;
  const int compute = wide ? CV_64F : CV_32F;
  cv::Mat work;
  src.convertTo(work, compute);
  if (wide)
    ApplyInPlace<double>(work, scale, shift);
  else
    ApplyInPlace<float>(work, scale, shift);
  if (depth == compute) return work;
  cv::Mat out;
  work.convertTo(out, depth);
  return out;
}

}  // namespace tfcv
