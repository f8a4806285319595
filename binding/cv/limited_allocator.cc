// See limited_allocator.h.
#include "cv/limited_allocator.h"

#include <opencv2/core.hpp>

#include <mutex>

#include "common/limits.h"

namespace tfcv {
namespace {

class LimitedAllocator : public cv::MatAllocator {
 public:
  explicit LimitedAllocator(cv::MatAllocator* inner) : inner_(inner) {}

  cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, size_t* step, cv::AccessFlag flags,
                         cv::UMatUsageFlags usage) const override {
    if (data == nullptr) {
      uint64_t bytes = CV_ELEM_SIZE(type);
      for (int i = 0; i < dims; ++i)
        bytes = SaturatingProduct({bytes, static_cast<uint64_t>(sizes[i] < 0 ? 0 : sizes[i])});
      const uint64_t limit = MaxAllocationBytes();
      // cv::Mat::create turns an exception of the default allocator into the caller's error;
      // StsNoMem maps to LimitError (common/errors.cc).
      if (bytes > limit)
        CV_Error(cv::Error::StsNoMem, "a Mat of " + std::to_string(bytes) + " bytes is over the allocation limit of " +
                                          std::to_string(limit) + " bytes (tfcv.setLimits({ maxAllocationBytes }))");
    }
    // The inner allocator sets itself as the UMatData's allocator: deallocation goes there.
    return inner_->allocate(dims, sizes, type, data, step, flags, usage);
  }
  bool allocate(cv::UMatData* u, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override {
    return inner_->allocate(u, flags, usage);
  }
  void deallocate(cv::UMatData* u) const override { inner_->deallocate(u); }

 private:
  cv::MatAllocator* inner_;
};

}  // namespace

void InstallLimitedAllocator() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Never freed: Mats may outlive every environment (process-lifetime, like OpenCV's own).
    static LimitedAllocator* allocator = new LimitedAllocator(cv::Mat::getStdAllocator());
    cv::Mat::setDefaultAllocator(allocator);
  });
}

}  // namespace tfcv
