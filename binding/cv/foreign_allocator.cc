// See foreign_allocator.h.
#include "cv/foreign_allocator.h"

namespace tfcv {
namespace {

constexpr int kExclusiveFlag = 1;

class ForeignAllocator : public cv::MatAllocator {
 public:
  static const ForeignAllocator& Instance() {
    static ForeignAllocator instance;
    return instance;
  }
  // New allocations (a Mat header re-created at another size) come from OpenCV's own
  // allocator: only memory wrapped by WrapForeignMat belongs to a foreign owner.
  cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, size_t* step, cv::AccessFlag flags,
                         cv::UMatUsageFlags usage) const override {
    return cv::Mat::getStdAllocator()->allocate(dims, sizes, type, data, step, flags, usage);
  }
  bool allocate(cv::UMatData* u, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override {
    return cv::Mat::getStdAllocator()->allocate(u, flags, usage);
  }
  // Called by OpenCV when the refcount reaches zero: ~UMatData drops allocatorContext,
  // which releases the foreign owner.
  void deallocate(cv::UMatData* u) const override { delete u; }
};

}  // namespace

cv::Mat WrapForeignMat(int rows, int cols, int type, void* data, size_t step, std::shared_ptr<void> owner,
                       bool exclusive) {
  cv::Mat mat(rows, cols, type, data, step);
  auto* u = new cv::UMatData(&ForeignAllocator::Instance());
  u->data = u->origdata = static_cast<uchar*>(data);
  u->size = rows > 0 ? step * static_cast<size_t>(rows - 1) + static_cast<size_t>(cols) * mat.elemSize() : 0;
  u->refcount = 1;  // the header built above
  u->allocatorContext = std::move(owner);
  u->allocatorFlags_ = exclusive ? kExclusiveFlag : 0;
  mat.u = u;
  return mat;
}

bool IsForeignView(const cv::Mat& mat) {
  return mat.u != nullptr && mat.u->currAllocator == &ForeignAllocator::Instance() &&
         (mat.u->allocatorFlags_ & kExclusiveFlag) == 0;
}

bool IsExclusive(const cv::Mat& mat) {
  if (mat.u == nullptr) return false;
  return CV_XADD(&mat.u->refcount, 0) == 1 && !IsForeignView(mat);
}

}  // namespace tfcv
