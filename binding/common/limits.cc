// See limits.h.
#include "common/limits.h"

#include <atomic>

#include "common/errors.h"

namespace tfcv {
namespace {
std::atomic<uint64_t> maxAllocationBytes{kDefaultMaxAllocationBytes};
}  // namespace

uint64_t MaxAllocationBytes() { return maxAllocationBytes.load(std::memory_order_relaxed); }

void SetMaxAllocationBytes(uint64_t bytes) { maxAllocationBytes.store(bytes, std::memory_order_relaxed); }

uint64_t SaturatingProduct(std::initializer_list<uint64_t> factors) {
  uint64_t product = 1;
  for (uint64_t f : factors) {
    if (f == 0) return 0;
    if (product > UINT64_MAX / f)
      product = UINT64_MAX;
    else
      product *= f;
  }
  return product;
}

void CheckAllocation(uint64_t bytes, const std::string& what) {
  const uint64_t limit = MaxAllocationBytes();
  if (bytes <= limit) return;
  Fail(ErrorKind::kLimit, what + ": " + std::to_string(bytes) + " bytes is over the allocation limit of " +
                              std::to_string(limit) + " bytes (tfcv.setLimits({ maxAllocationBytes }))");
}

}  // namespace tfcv
