// See image_batch.h.
#include "metrics/image_batch.h"

#include "common/errors.h"

namespace tfcv {

int ImageBatch::CvDepth() const {
  if (dtype == nullptr) return kNoCvDepth;
  if (dtype->tf == TF_BOOL) return CV_8U;
  return dtype->cvDepth;
}

cv::Mat ImageBatch::Header(size_t i, const std::string& what) const {
  const int depth = CvDepth();
  if (depth == kNoCvDepth)
    Fail(ErrorKind::kDType, name + ": " + what +
                                " needs pixels OpenCV can read (uint8, int8, uint16, int16, int32, "
                                "float16, float32, float64, bool), got " +
                                dtype->name);
  const ImageView& v = images[i];
  if (v.channels > CV_CN_MAX)
    Fail(ErrorKind::kShape, Label(i) + ": " + what + " reads at most " + std::to_string(CV_CN_MAX) + " channels, got " +
                                std::to_string(v.channels));
  // OpenCV's API takes non-const data; kernels only ever read through these headers.
  return cv::Mat(v.rows, v.cols, CV_MAKETYPE(depth, v.channels), const_cast<uint8_t*>(v.data), v.step);
}

}  // namespace tfcv
