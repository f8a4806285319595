// An amount of native memory reported to V8 (napi_adjust_external_memory) on behalf of
// one JS object, returned exactly once: right away when the object is released from an
// ordinary JS call, or through the deferred queue when its finalizer runs (possibly inside
// garbage collection, where calling into V8 is not allowed). Keeps the accounting symmetric.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>

#include "common/deferred_queue.h"

namespace tfcv {

class ExternalMemoryTicket {
 public:
  ExternalMemoryTicket() = default;
  ExternalMemoryTicket(Napi::Env env, int64_t bytes);
  ExternalMemoryTicket(const ExternalMemoryTicket&) = delete;
  ExternalMemoryTicket& operator=(const ExternalMemoryTicket&) = delete;
  ExternalMemoryTicket(ExternalMemoryTicket&& other) noexcept;
  ExternalMemoryTicket& operator=(ExternalMemoryTicket&& other) noexcept;
  // From a finalizer or a foreign thread: the decrease is deferred.
  ~ExternalMemoryTicket();

  // On the JS thread outside GC: the decrease is reported now.
  void ReleaseNow(Napi::Env env);
  int64_t bytes() const { return bytes_; }

 private:
  void ReleaseLater();
  std::shared_ptr<DeferredQueue> queue_;
  int64_t bytes_ = 0;
};

}  // namespace tfcv
