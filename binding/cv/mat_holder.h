// One tfcv-level owner of a cv::Mat header. A JS Mat and its zero-copy data views share
// one MatHolder (a MatRef), so views never count as another owner of the buffer: only
// other Mats, tensors and foreign owners do (see IsExclusive).
#pragma once

#include <opencv2/core.hpp>

#include <memory>

namespace tfcv {

class MatHolder {
 public:
  explicit MatHolder(cv::Mat mat);
  ~MatHolder();
  MatHolder(const MatHolder&) = delete;
  MatHolder& operator=(const MatHolder&) = delete;

  cv::Mat mat;
};

using MatRef = std::shared_ptr<MatHolder>;

inline MatRef MakeMatRef(cv::Mat mat) { return std::make_shared<MatHolder>(std::move(mat)); }

}  // namespace tfcv
