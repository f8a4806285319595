// See threshold_box.h. uint8 and float32 (masks and model probabilities) find the box with
// OpenCV's universal intrinsics in one read-only pass (see Scan); then only the box is
// thresholded. Other depths threshold the whole image with OpenCV and box the result.
#include "metrics/threshold_box.h"

#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "common/errors.h"
#include "metrics/binary_mask.h"

namespace tfcv {
namespace {

// The per-depth pieces of the scan: "any pixel of [from, to) above?" (vectorised), and one
// pixel's test for the ends of a run.
struct ByteRow {
  const uint8_t* s;
  uint8_t t;
  bool At(int c) const { return s[c] > t; }
  bool Any(int from, int to) const {
    int c = from;
#if CV_SIMD
    const int n = cv::v_uint8::nlanes;
    const cv::v_uint8 vt = cv::vx_setall_u8(t);
    // A max over four loads at a time, compared once: fewer instructions per byte, more loads in flight.
    cv::v_uint8 m0 = cv::vx_setzero_u8(), m1 = m0, m2 = m0, m3 = m0;
    for (; c + 4 * n <= to; c += 4 * n) {
      m0 = cv::v_max(m0, cv::vx_load(s + c));
      m1 = cv::v_max(m1, cv::vx_load(s + c + n));
      m2 = cv::v_max(m2, cv::vx_load(s + c + 2 * n));
      m3 = cv::v_max(m3, cv::vx_load(s + c + 3 * n));
    }
    for (; c + n <= to; c += n) m0 = cv::v_max(m0, cv::vx_load(s + c));
    if (cv::v_check_any(cv::v_max(cv::v_max(m0, m1), cv::v_max(m2, m3)) > vt)) return true;
#endif
    for (; c < to; ++c)
      if (At(c)) return true;
    return false;
  }
};

struct FloatRow {
  const float* s;
  float t;
  bool At(int c) const { return s[c] > t; }
  bool Any(int from, int to) const {
    int c = from;
#if CV_SIMD
    const cv::v_float32 vt = cv::vx_setall_f32(t);
    cv::v_float32 any = cv::vx_setzero_f32();
    for (; c + cv::v_float32::nlanes <= to; c += cv::v_float32::nlanes) any |= cv::vx_load(s + c) > vt;
    if (cv::v_check_any(cv::v_reinterpret_as_u32(any))) return true;
#endif
    for (; c < to; ++c)
      if (At(c)) return true;
    return false;
  }
  // NaN compares false with everything: found with x != x over the row.
  bool HasNaN(int cols) const {
    int c = 0;
#if CV_SIMD
    cv::v_float32 nan = cv::vx_setzero_f32();
    for (; c + cv::v_float32::nlanes <= cols; c += cv::v_float32::nlanes) {
      const cv::v_float32 v = cv::vx_load(s + c);
      nan |= v != v;
    }
    if (cv::v_check_any(cv::v_reinterpret_as_u32(nan))) return true;
#endif
    for (; c < cols; ++c)
      if (s[c] != s[c]) return true;
    return false;
  }
};

// Narrows [from, to) to the first / last position where the pixel is set: vectors first, then
// pixels. `row.Any(from, to)` is known to be true.
template <typename Row>
int FirstSet(const Row& row, int from, int to) {
  const int step = 16;
  while (from + step < to && !row.Any(from, from + step)) from += step;
  while (!row.At(from)) ++from;
  return from;
}

template <typename Row>
int LastSet(const Row& row, int from, int to) {
  const int step = 16;
  while (to - step > from && !row.Any(to - step, to)) to -= step;
  do --to;
  while (!row.At(to));
  return to;
}

// One sequential pass over the rows (streaming reads are what the memory system serves
// fastest; skipping the box's inside made it slower). Only rows with foreground look for
// their leftmost and rightmost pixel, and only outside the columns boxed so far.
template <typename Row, typename MakeRow>
cv::Rect Scan(const cv::Mat& gray, MakeRow makeRow) {
  int top = -1, bottom = -1, left = gray.cols, right = -1;
  for (int r = 0; r < gray.rows; ++r) {
    const Row row = makeRow(r);
    if (!row.Any(0, gray.cols)) continue;
    if (top < 0) top = r;
    bottom = r;
    if (left > 0 && row.Any(0, left)) left = FirstSet(row, 0, left);
    if (right < gray.cols - 1 && row.Any(std::max(right + 1, left), gray.cols))
      right = LastSet(row, std::max(right + 1, left), gray.cols);
  }
  return top < 0 ? cv::Rect() : cv::Rect(left, top, right - left + 1, bottom - top + 1);
}

}  // namespace

cv::Rect ThresholdWithBox(const cv::Mat& gray, double threshold, cv::Mat& dst, const std::string& label) {
  cv::Rect box;
  if (gray.depth() == CV_8U) {
    // cv::threshold's rule for 8-bit images (the original code's): pixel > floor(threshold).
    const int t = cvFloor(threshold);
    if (t >= 255) return cv::Rect();
    if (t < 0) {
      box = cv::Rect(0, 0, gray.cols, gray.rows);
    } else {
      const uint8_t tt = static_cast<uint8_t>(t);
      box = Scan<ByteRow>(gray, [&](int r) { return ByteRow{gray.ptr<uint8_t>(r), tt}; });
    }
  } else if (gray.depth() == CV_32F) {
    const float t = static_cast<float>(threshold);  // compared in float, as cv::threshold does
    // Each row is checked for NaN as the scan reaches it (then it is in cache for the scan).
    box = Scan<FloatRow>(gray, [&](int r) {
      FloatRow row{gray.ptr<float>(r), t};
      if (row.HasNaN(gray.cols)) CheckNoNaN(gray, label);  // throws, naming the first NaN
      return row;
    });
  } else {
    BinaryMask(gray, threshold, dst, label);
    box = cv::boundingRect(dst);
    if (box.empty()) return box;
    dst = dst(box).clone();
    return box;
  }
  if (box.empty()) return box;
  BinaryMask(gray(box), threshold, dst, label);  // dst holds the box only
  return box;
}

}  // namespace tfcv
