// See threshold_box.h. uint8 and float32 (masks and model probabilities) run on OpenCV's
// universal intrinsics; other depths threshold with OpenCV and box the result.
#include "metrics/threshold_box.h"

#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

#include "common/errors.h"
#include "metrics/binary_mask.h"

namespace tfcv {
namespace {

// Rows with any set pixel give top / bottom; an OR of all rows gives left / right.
struct BoxAccumulator {
  int top = -1, bottom = -1;
  std::vector<uint8_t> columns;

  explicit BoxAccumulator(int cols) : columns(static_cast<size_t>(cols), 0) {}
  void Row(int r, bool any) {
    if (!any) return;
    if (top < 0) top = r;
    bottom = r;
  }
  cv::Rect Box() const {
    if (top < 0) return cv::Rect();
    int left = 0, right = static_cast<int>(columns.size()) - 1;
    while (!columns[left]) ++left;
    while (!columns[right]) --right;
    return cv::Rect(left, top, right - left + 1, bottom - top + 1);
  }
};

cv::Rect Bytes(const cv::Mat& gray, double threshold, cv::Mat& dst) {
  // cv::threshold's rule for 8-bit images (the original code's): pixel > floor(threshold).
  const int t = cvFloor(threshold);
  if (t < 0 || t >= 255) {
    dst.setTo(t < 0 ? 255 : 0);
    return t < 0 ? cv::Rect(0, 0, gray.cols, gray.rows) : cv::Rect();
  }
  const uint8_t tt = static_cast<uint8_t>(t);
  BoxAccumulator box(gray.cols);
  uint8_t* cols = box.columns.data();
  for (int r = 0; r < gray.rows; ++r) {
    const uint8_t* s = gray.ptr<uint8_t>(r);
    uint8_t* d = dst.ptr<uint8_t>(r);
    int c = 0;
    uint8_t tail = 0;
#if CV_SIMD
    const cv::v_uint8 vt = cv::vx_setall_u8(tt);
    cv::v_uint8 any = cv::vx_setzero_u8();
    for (; c + cv::v_uint8::nlanes <= gray.cols; c += cv::v_uint8::nlanes) {
      const cv::v_uint8 v = cv::vx_load(s + c) > vt;
      cv::v_store(d + c, v);
      any |= v;
      cv::v_store(cols + c, cv::vx_load(cols + c) | v);
    }
    tail = cv::v_check_any(any) ? 255 : 0;
#endif
    for (; c < gray.cols; ++c) {
      const uint8_t v = s[c] > tt ? 255 : 0;
      d[c] = v;
      tail |= v;
      cols[c] |= v;
    }
    box.Row(r, tail != 0);
  }
  return box.Box();
}

cv::Rect Floats(const cv::Mat& gray, double threshold, cv::Mat& dst, const std::string& label) {
  const float t = static_cast<float>(threshold);  // compared in float, as cv::threshold does
  BoxAccumulator box(gray.cols);
  uint8_t* cols = box.columns.data();
  bool nan = false;
  for (int r = 0; r < gray.rows; ++r) {
    const float* s = gray.ptr<float>(r);
    uint8_t* d = dst.ptr<uint8_t>(r);
    int c = 0;
    uint8_t tail = 0;
    bool rowNan = false;
#if CV_SIMD
    const int n = cv::v_uint8::nlanes;
    const int q = cv::v_float32::nlanes;
    const cv::v_float32 vt = cv::vx_setall_f32(t);
    cv::v_uint8 any = cv::vx_setzero_u8();
    cv::v_uint32 nans = cv::vx_setzero_u32();
    for (; c + n <= gray.cols; c += n) {
      const cv::v_float32 a = cv::vx_load(s + c), b = cv::vx_load(s + c + q), e = cv::vx_load(s + c + 2 * q),
                          f = cv::vx_load(s + c + 3 * q);
      nans |= cv::v_reinterpret_as_u32((a != a) | (b != b) | (e != e) | (f != f));
      const cv::v_uint8 v = cv::v_pack_b(cv::v_reinterpret_as_u32(a > vt), cv::v_reinterpret_as_u32(b > vt),
                                         cv::v_reinterpret_as_u32(e > vt), cv::v_reinterpret_as_u32(f > vt));
      cv::v_store(d + c, v);
      any |= v;
      cv::v_store(cols + c, cv::vx_load(cols + c) | v);
    }
    tail = cv::v_check_any(any) ? 255 : 0;
    rowNan = cv::v_check_any(nans);
#endif
    for (; c < gray.cols; ++c) {
      const uint8_t v = s[c] > t ? 255 : 0;
      d[c] = v;
      tail |= v;
      cols[c] |= v;
      rowNan |= (s[c] != s[c]);
    }
    nan |= rowNan;
    box.Row(r, tail != 0);
  }
  if (nan) CheckNoNaN(gray, label);  // throws, naming the first NaN
  return box.Box();
}

}  // namespace

cv::Rect ThresholdWithBox(const cv::Mat& gray, double threshold, cv::Mat& dst, const std::string& label) {
  dst.create(gray.rows, gray.cols, CV_8U);
  if (gray.depth() == CV_8U) return Bytes(gray, threshold, dst);
  if (gray.depth() == CV_32F) return Floats(gray, threshold, dst, label);
  BinaryMask(gray, threshold, dst, label);
  return cv::boundingRect(dst);
}

}  // namespace tfcv
