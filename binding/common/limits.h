// The allocation limit: the largest single native buffer (tensor, Mat, preprocess batch)
// tfcv allocates on a caller's behalf. Checked before allocating, so a request for 602 GB
// is a LimitError at once instead of an allocation that "succeeds" under overcommit and
// fails (or gets the process killed) later. Process-wide, set from lib/limits.ts.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

namespace tfcv {

// Default: 4 GiB (documented in the README, "Limits").
constexpr uint64_t kDefaultMaxAllocationBytes = uint64_t{1} << 32;

uint64_t MaxAllocationBytes();
void SetMaxAllocationBytes(uint64_t bytes);

// The product of `factors`, saturating at UINT64_MAX instead of wrapping around.
uint64_t SaturatingProduct(std::initializer_list<uint64_t> factors);

// LimitError naming `what` when `bytes` is over the limit.
void CheckAllocation(uint64_t bytes, const std::string& what);

}  // namespace tfcv
