// Runs a per-image kernel over a batch on OpenCV's thread pool. Images are independent, so
// each writes only its own slot of the output and the result does not depend on the
// schedule. A failure is reported for the lowest failing image index (the same error
// whatever the thread count), as the typed error it was, not as OpenCV's wrapped
// "exception in parallel_for() body".
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>

#include "common/errors.h"

namespace tfcv {

template <typename PerImage>
void ParallelForImages(size_t count, PerImage&& perImage) {
  if (count == 0) return;
  std::mutex mutex;
  std::optional<std::pair<size_t, Failure>> first;
  auto body = [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (first && first->first < static_cast<size_t>(i)) return;  // a lower index already failed
      }
      try {
        perImage(static_cast<size_t>(i));
      } catch (...) {
        Failure failure = CurrentFailure();
        std::lock_guard<std::mutex> lock(mutex);
        if (!first || static_cast<size_t>(i) < first->first) first.emplace(static_cast<size_t>(i), std::move(failure));
        return;
      }
    }
  };
  if (count == 1)
    body(cv::Range(0, 1));
  else
    cv::parallel_for_(cv::Range(0, static_cast<int>(count)), body);
  if (first) throw TypedError(std::move(first->second));
}

}  // namespace tfcv
