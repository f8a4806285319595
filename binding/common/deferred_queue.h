// Work that must happen on the JS thread but is triggered where Node-API may not be
// called: from a finalizer running inside garbage collection, from a TensorFlow
// deallocator or an OpenCV release on a foreign thread. Two kinds of work exist:
// external-memory adjustments (so V8 keeps an accurate view of native memory) and the
// release of references that pin JS buffers. Both are recorded under a mutex and applied
// later by a thread-safe function on the JS thread of the environment that owns them.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace tfcv {

class DeferredQueue {
 public:
  // Creates the queue and its (unref'd) thread-safe function; call on the JS thread.
  static std::shared_ptr<DeferredQueue> Create(napi_env env);

  // Any thread, any moment (GC included): no Node-API call is made here.
  void AdjustExternalLater(int64_t delta);
  void ReleaseReferenceLater(napi_ref ref);

  // JS thread, outside GC: applies pending work now.
  void Flush(napi_env env);

  // Environment teardown (cleanup hook): flush, then stop accepting work. Afterwards the
  // environment is gone, so late work is dropped (the runtime frees its references).
  void Close(napi_env env);

 private:
  DeferredQueue() = default;
  void ScheduleLocked();
  static void CallJs(napi_env env, napi_value js_cb, void* context, void* data);
  static void Finalize(napi_env env, void* data, void* hint);

  std::mutex mutex_;
  bool open_ = true;
  bool scheduled_ = false;
  int64_t pending_external_ = 0;
  std::vector<napi_ref> pending_refs_;
  napi_threadsafe_function tsfn_ = nullptr;
  // Keeps this object alive until the thread-safe function has been finalized.
  std::shared_ptr<DeferredQueue> self_;
};

}  // namespace tfcv
