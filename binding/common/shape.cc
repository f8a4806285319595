// Shape helpers; see shape.h.
#include "common/shape.h"

#include "common/errors.h"

namespace tfcv {

std::string ShapeString(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

size_t CheckedElementCount(const Shape& shape, size_t elementSize, const std::string& what) {
  if (shape.size() > kMaxRank)
    Fail(ErrorKind::kShape,
         what + ": expected rank <= " + std::to_string(kMaxRank) + ", got rank " + std::to_string(shape.size()));
  // 2^53: the largest byte count a JS number (and so an ArrayBuffer length) represents.
  constexpr uint64_t kLimit = uint64_t{1} << 53;
  uint64_t count = 1;
  bool overflow = false;
  for (int64_t d : shape) {
    if (d < 0) Fail(ErrorKind::kShape, what + ": expected non-negative dims, got " + ShapeString(shape));
    if (d != 0 && count > kLimit / static_cast<uint64_t>(d)) overflow = true;
    if (!overflow) count *= static_cast<uint64_t>(d);
  }
  bool hasZero = false;
  for (int64_t d : shape) hasZero = hasZero || d == 0;
  if (hasZero) return 0;
  if (overflow || (elementSize && count > kLimit / elementSize))
    Fail(ErrorKind::kShape, what + ": shape " + ShapeString(shape) + " is too large (over 2^53 bytes)");
  return static_cast<size_t>(count);
}

}  // namespace tfcv
