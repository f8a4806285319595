// See mat_holder.h.
#include "cv/mat_holder.h"

#include "common/stats.h"

namespace tfcv {

MatHolder::MatHolder(cv::Mat m) : mat(std::move(m)) { Stats::Get().liveMats.fetch_add(1, std::memory_order_relaxed); }

MatHolder::~MatHolder() { Stats::Get().liveMats.fetch_sub(1, std::memory_order_relaxed); }

}  // namespace tfcv
