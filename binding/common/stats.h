// Process-wide counters behind tfcv.stats(): how many copies the bridge made, how many
// bytes they moved, how many native tensors / Mats are alive and how much native memory
// is reported to V8. Atomics, because tensors and Mats die on any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace tfcv {

struct Stats {
  std::atomic<int64_t> copies{0};
  std::atomic<int64_t> bytesCopied{0};
  std::atomic<int64_t> zeroCopies{0};
  std::atomic<int64_t> liveTensors{0};
  std::atomic<int64_t> liveMats{0};
  std::atomic<int64_t> externalBytes{0};

  static Stats& Get() {
    static Stats stats;
    return stats;
  }
  void RecordCopy(int64_t bytes) {
    copies.fetch_add(1, std::memory_order_relaxed);
    bytesCopied.fetch_add(bytes, std::memory_order_relaxed);
  }
  void RecordZeroCopy() { zeroCopies.fetch_add(1, std::memory_order_relaxed); }
};

}  // namespace tfcv
