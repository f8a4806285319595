// See resize_budget.h. The sizes follow OpenCV 4's imgproc/src/resize.cpp: the generic
// path's one buffer of (dst.width * cn + dst.height) * (sizeof(int) + ksize * coefficient)
// and each parallel stripe's ksize rows of dst.width * cn working values; resizeArea's
// (src.width + src.height) * 2 decimation entries. Coefficients and working values are
// counted at 8 bytes (the widest type OpenCV uses), so the estimate errs on the high side.
#include "cv/resize_budget.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "common/limits.h"

namespace tfcv {
namespace {

uint64_t KernelSize(int interpolation) {
  switch (interpolation) {
    case cv::INTER_NEAREST:
    case cv::INTER_NEAREST_EXACT:
      return 1;
    case cv::INTER_CUBIC:
      return 4;
    case cv::INTER_LANCZOS4:
      return 8;
    default:  // linear, linear-exact, area
      return 2;
  }
}

uint64_t Add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace

uint64_t ResizeScratchBytes(cv::Size src, cv::Size dst, int channels, int interpolation) {
  const uint64_t k = KernelSize(interpolation);
  const uint64_t cn = static_cast<uint64_t>(std::max(channels, 1));
  const uint64_t threads = static_cast<uint64_t>(std::max(cv::getNumThreads(), 1));
  const uint64_t columns = SaturatingProduct({static_cast<uint64_t>(dst.width), cn});
  const uint64_t tables = SaturatingProduct({Add(columns, static_cast<uint64_t>(dst.height)), 4 + 8 * k});
  const uint64_t rows = SaturatingProduct({columns, k, 8, threads});
  uint64_t area = 0;
  if (interpolation == cv::INTER_AREA)
    area = Add(SaturatingProduct({static_cast<uint64_t>(src.width) + static_cast<uint64_t>(src.height), 2, 16}),
               SaturatingProduct({columns, 2, 8, threads}));
  return Add(Add(tables, rows), area);
}

void CheckResizeAllocation(cv::Size src, cv::Size dst, int channels, int interpolation, uint64_t outputBytes,
                           const std::string& what) {
  const uint64_t scratch = ResizeScratchBytes(src, dst, channels, interpolation);
  const uint64_t total = Add(outputBytes, scratch);
  if (total > MaxAllocationBytes())
    CheckAllocation(total, what + " (" + std::to_string(dst.width) + "x" + std::to_string(dst.height) +
                               " output plus ~" + std::to_string(scratch) + " bytes of OpenCV's interpolation tables)");
}

}  // namespace tfcv
