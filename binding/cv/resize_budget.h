// What cv::resize allocates besides its output: interpolation tables (an offset and
// ksize coefficients per output column and row) and, per worker thread, ksize rows of
// intermediate values; INTER_AREA adds tables over the source. They are linear in the
// output's width and height, not its area, so a 1e9 x 1 output of an 8 x 12 Mat needs
// ~18 GB of tables for a 1 GB result. The allocation limit bounds the whole operation:
// output plus this estimate (an upper bound of OpenCV 4's buffers) must fit under it.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>

namespace tfcv {

// Upper bound of cv::resize's scratch bytes for src -> dst with `channels` channels.
uint64_t ResizeScratchBytes(cv::Size src, cv::Size dst, int channels, int interpolation);

// LimitError naming `what` when outputBytes + the resize scratch exceed the allocation limit.
void CheckResizeAllocation(cv::Size src, cv::Size dst, int channels, int interpolation, uint64_t outputBytes,
                           const std::string& what);

}  // namespace tfcv
