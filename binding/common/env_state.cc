// Per-environment instance data; see env_state.h.
#include "common/env_state.h"

#include "common/stats.h"

namespace tfcv {

EnvState& EnvState::Create(Napi::Env env) {
  auto* state = new EnvState();
  state->env_ = env;
  state->deferred_ = DeferredQueue::Create(env);
  env.SetInstanceData<EnvState>(state);  // deleted by Node-API at environment teardown
  napi_add_env_cleanup_hook(env, &EnvState::Cleanup, state);
  return *state;
}

EnvState* EnvState::Find(Napi::Env env) { return env.GetInstanceData<EnvState>(); }

EnvState& EnvState::Get(Napi::Env env) {
  EnvState* state = Find(env);
  if (state == nullptr) Fail(ErrorKind::kInternal, "tfcv addon used before initialisation");
  return *state;
}

Napi::FunctionReference* EnvState::ErrorConstructor(ErrorKind kind) { return &errors_[static_cast<size_t>(kind)]; }

void EnvState::SetErrorConstructor(ErrorKind kind, Napi::Function ctor) {
  errors_[static_cast<size_t>(kind)] = Napi::Persistent(ctor);
}

void EnvState::AdjustExternalNow(Napi::Env env, int64_t delta) {
  if (delta == 0) return;
  Stats::Get().externalBytes.fetch_add(delta, std::memory_order_relaxed);
  Napi::MemoryManagement::AdjustExternalMemory(env, delta);
}

void EnvState::Cleanup(void* arg) {
  auto* state = static_cast<EnvState*>(arg);
  state->deferred_->Close(state->env_);
}

}  // namespace tfcv
