// See external_memory.h.
#include "common/external_memory.h"

#include "common/env_state.h"
#include "common/stats.h"

namespace tfcv {

ExternalMemoryTicket::ExternalMemoryTicket(Napi::Env env, int64_t bytes) : bytes_(bytes) {
  EnvState& state = EnvState::Get(env);
  queue_ = state.deferred();
  state.AdjustExternalNow(env, bytes);
}

ExternalMemoryTicket::ExternalMemoryTicket(ExternalMemoryTicket&& other) noexcept
    : queue_(std::move(other.queue_)), bytes_(other.bytes_) {
  other.bytes_ = 0;
}

ExternalMemoryTicket& ExternalMemoryTicket::operator=(ExternalMemoryTicket&& other) noexcept {
  if (this != &other) {
    ReleaseLater();
    queue_ = std::move(other.queue_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

ExternalMemoryTicket::~ExternalMemoryTicket() { ReleaseLater(); }

void ExternalMemoryTicket::ReleaseNow(Napi::Env env) {
  if (bytes_ == 0) return;
  EnvState::Get(env).AdjustExternalNow(env, -bytes_);
  bytes_ = 0;
}

void ExternalMemoryTicket::ReleaseLater() {
  if (bytes_ == 0 || !queue_) return;
  Stats::Get().externalBytes.fetch_sub(bytes_, std::memory_order_relaxed);
  queue_->AdjustExternalLater(-bytes_);
  bytes_ = 0;
}

}  // namespace tfcv
