// See pixel_sum.h.
#include "metrics/pixel_sum.h"

#include <cmath>

#include "common/errors.h"
#include "metrics/dtype_dispatch.h"
#include "common/parallel_images.h"

namespace tfcv {
namespace {

template <typename T>
PixelSum SumImage(const ImageView& v, const std::string& label) {
  const size_t perRow = static_cast<size_t>(v.cols) * v.channels;
  PixelSum out;
  out.count = static_cast<double>(perRow) * v.rows;
  if constexpr (kIsFloat<T>) {
    double sum = 0;
    for (int r = 0; r < v.rows; ++r) {
      const T* row = reinterpret_cast<const T*>(v.data + v.step * r);
      double rowSum = 0;
      for (size_t c = 0; c < perRow; ++c) rowSum += AsDouble(row[c]);
      if (std::isnan(rowSum)) {
        for (size_t c = 0; c < perRow; ++c)
          if (std::isnan(AsDouble(row[c])))
            Fail(ErrorKind::kArgument, label + ": NaN at row " + std::to_string(r) + ", col " +
                                           std::to_string(c / v.channels) + "; pixel values must be numbers");
      }
      sum += rowSum;
    }
    out.sum = sum;
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    double sum = 0;  // beyond int64: exactness is not possible anyway
    for (int r = 0; r < v.rows; ++r) {
      const T* row = reinterpret_cast<const T*>(v.data + v.step * r);
      for (size_t c = 0; c < perRow; ++c) sum += static_cast<double>(row[c]);
    }
    out.sum = sum;
  } else {
    int64_t sum = 0;
    for (int r = 0; r < v.rows; ++r) {
      const T* row = reinterpret_cast<const T*>(v.data + v.step * r);
      int64_t rowSum = 0;
      for (size_t c = 0; c < perRow; ++c) rowSum += static_cast<int64_t>(row[c]);
      sum += rowSum;
    }
    out.sum = static_cast<double>(sum);
  }
  return out;
}

}  // namespace

std::vector<PixelSum> SumPixels(const ImageBatch& batch) {
  std::vector<PixelSum> out(batch.size());
  DispatchDType(*batch.dtype, batch.name, [&](auto tag) {
    using T = decltype(tag);
    ParallelForImages(batch.size(), [&](size_t i) { out[i] = SumImage<T>(batch.images[i], batch.Label(i)); });
  });
  return out;
}

}  // namespace tfcv
