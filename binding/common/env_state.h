// Per-environment state (main thread and each worker_thread get their own): class
// constructors, the facade's error constructors and the deferred-work queue. Stored as
// Node-API instance data so the addon is context-aware and cleans up on worker exit.
#pragma once

#include <napi.h>

#include <array>
#include <memory>

#include "common/deferred_queue.h"
#include "common/errors.h"
#include "common/type_tags.h"

namespace tfcv {

class EnvState {
 public:
  static EnvState& Create(Napi::Env env);
  static EnvState* Find(Napi::Env env);
  static EnvState& Get(Napi::Env env);

  // The constructor of each native handle class (common/handle_wrap.h).
  Napi::FunctionReference& HandleConstructor(NativeKind kind) { return handles_[static_cast<size_t>(kind)]; }

  Napi::FunctionReference* ErrorConstructor(ErrorKind kind);
  void SetErrorConstructor(ErrorKind kind, Napi::Function ctor);

  const std::shared_ptr<DeferredQueue>& deferred() const { return deferred_; }

  // External memory is reported to V8 right away from ordinary calls on the JS thread;
  // finalizers and foreign threads must use deferred()->AdjustExternalLater instead.
  void AdjustExternalNow(Napi::Env env, int64_t delta);

 private:
  static void Cleanup(void* arg);
  napi_env env_ = nullptr;
  std::array<Napi::FunctionReference, static_cast<size_t>(ErrorKind::kCount)> errors_;
  std::array<Napi::FunctionReference, kNativeKindCount> handles_;
  std::shared_ptr<DeferredQueue> deferred_;
};

}  // namespace tfcv
