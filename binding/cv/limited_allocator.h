// OpenCV's default Mat allocator wrapped with tfcv's allocation limit (common/limits.h), so
// that every Mat OpenCV allocates for an image operation (resize, warp, pad, colour
// conversions, encodes, temporaries) is refused with LimitError when it is over the limit,
// instead of succeeding under overcommit and filling memory. Installed once per process.
#pragma once

namespace tfcv {

void InstallLimitedAllocator();

}  // namespace tfcv
