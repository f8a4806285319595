// A cv::MatAllocator that ties a Mat's memory to a foreign owner (a TF_Tensor, a pinned JS
// buffer) through OpenCV's own refcount: the owner is released when the last cv::Mat
// header over the memory goes, on whatever thread that happens. Also how tfcv decides
// whether a Mat may be written in place (see IsExclusive).
#pragma once

#include <opencv2/core.hpp>

#include <memory>

namespace tfcv {

// A Mat over `data` (rows x cols of `type`, `step` bytes per row) that keeps `owner`
// alive. `exclusive` says the owner no longer lets anyone else see this memory (a moved
// tensor); otherwise the Mat is a view over someone else's memory and is read-only.
cv::Mat WrapForeignMat(int rows, int cols, int type, void* data, size_t step, std::shared_ptr<void> owner,
                       bool exclusive);

// True when in-place writes through `mat` cannot be seen by any other owner: tfcv holds the
// only reference to the buffer (no other Mat, tensor or view shares it) and the buffer is
// not a non-exclusive foreign view.
bool IsExclusive(const cv::Mat& mat);

// True when `mat`'s memory belongs to a foreign owner that still sees it.
bool IsForeignView(const cv::Mat& mat);

}  // namespace tfcv
