// See binary_mask.h. The 8-bit path is cv::threshold exactly as the original code called it;
// float images (model probabilities) are thresholded and NaN-checked in one pass.
#include "metrics/binary_mask.h"

#include <opencv2/imgproc.hpp>

#include "common/errors.h"

namespace tfcv {
namespace {

template <typename T>
bool ThresholdFloatRows(const cv::Mat& src, double threshold, cv::Mat& dst) {
  const T t = static_cast<T>(threshold);
  // Comparing in T (not double) is what cv::threshold / cv::compare do for float images.
  bool nan = false;
  for (int r = 0; r < src.rows; ++r) {
    const T* s = src.ptr<T>(r);
    uint8_t* d = dst.ptr<uint8_t>(r);
    bool rowNan = false;
    for (int c = 0; c < src.cols; ++c) {
      const T v = s[c];
      d[c] = v > t ? 255 : 0;
      rowNan |= (v != v);
    }
    nan |= rowNan;
  }
  return nan;
}

template <typename T>
void ReportNaN(const cv::Mat& src, const std::string& label) {
  for (int r = 0; r < src.rows; ++r) {
    const T* s = src.ptr<T>(r);
    for (int c = 0; c < src.cols * src.channels(); ++c)
      if (s[c] != s[c])
        Fail(ErrorKind::kArgument, label + ": NaN at row " + std::to_string(r) + ", col " +
                                       std::to_string(c / src.channels()) + "; predictions must be numbers");
  }
}

}  // namespace

void CheckNoNaN(const cv::Mat& src, const std::string& label) {
  // Infinities are valid (if odd) scores; only NaN has no place in a comparison.
  if (src.depth() == CV_32F) {
    ReportNaN<float>(src, label);
  } else if (src.depth() == CV_64F) {
    ReportNaN<double>(src, label);
  } else if (src.depth() == CV_16F) {
    cv::Mat f;
    src.convertTo(f, CV_32F);
    ReportNaN<float>(f, label);
  }
}

cv::Mat Grayscale(const cv::Mat& src, const std::string& label) {
  cv::Mat in = src;
  const int depth = src.depth();
  if (depth == CV_16F ||
      ((src.channels() == 3 || src.channels() == 4) && depth != CV_8U && depth != CV_16U && depth != CV_32F))
    src.convertTo(in, CV_32F);
  switch (in.channels()) {
    case 1:
      return in;
    case 3: {
      cv::Mat gray;
      cv::cvtColor(in, gray, cv::COLOR_BGR2GRAY);
      return gray;
    }
    case 4: {
      cv::Mat gray;
      cv::cvtColor(in, gray, cv::COLOR_BGRA2GRAY);
      return gray;
    }
    default:
      Fail(ErrorKind::kShape,
           label + ": expected 1 (gray), 3 (BGR) or 4 (BGRA) channels, got " + std::to_string(src.channels()));
  }
}

void BinaryMask(const cv::Mat& src, double threshold, cv::Mat& dst, const std::string& label) {
  cv::Mat gray = Grayscale(src, label);
  dst.create(gray.rows, gray.cols, CV_8U);
  bool nan = false;
  switch (gray.depth()) {
    case CV_8U:
      cv::threshold(gray, dst, threshold, 255, cv::THRESH_BINARY);
      break;
    case CV_32F:
      nan = ThresholdFloatRows<float>(gray, threshold, dst);
      break;
    case CV_64F:
      nan = ThresholdFloatRows<double>(gray, threshold, dst);
      break;
    default:
      cv::compare(gray, threshold, dst, cv::CMP_GT);
      break;  // integers: exact, no NaN
  }
  if (nan) {
    // Report where, in the caller's image (gray of a NaN pixel is NaN).
    if (gray.depth() == CV_32F)
      ReportNaN<float>(gray, label);
    else
      ReportNaN<double>(gray, label);
  }
}

}  // namespace tfcv
