// Shapes as vectors of int64 dims, with overflow-checked element counts and the
// "[1,224,224,3]" spelling used in every error message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tfcv {

using Shape = std::vector<int64_t>;

constexpr size_t kMaxRank = 32;

std::string ShapeString(const Shape& shape);

// Number of elements; throws ShapeError for negative dims, rank > kMaxRank, or a byte
// size (count * elementSize) that does not fit in size_t / 2^53.
size_t CheckedElementCount(const Shape& shape, size_t elementSize, const std::string& what);

}  // namespace tfcv
