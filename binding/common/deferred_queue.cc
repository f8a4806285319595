// See deferred_queue.h: the JS-thread hand-off for work triggered in GC or on foreign threads.
#include "common/deferred_queue.h"

namespace tfcv {

std::shared_ptr<DeferredQueue> DeferredQueue::Create(napi_env env) {
  std::shared_ptr<DeferredQueue> queue(new DeferredQueue());
  napi_value name;
  napi_create_string_utf8(env, "tfcv.deferred", NAPI_AUTO_LENGTH, &name);
  napi_status status =
      napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, queue.get(), &DeferredQueue::Finalize,
                                      queue.get(), &DeferredQueue::CallJs, &queue->tsfn_);
  if (status != napi_ok) {
    queue->tsfn_ = nullptr;
    return queue;
  }
  queue->self_ = queue;
  // Pending releases must never keep the event loop (or a worker) alive.
  napi_unref_threadsafe_function(env, queue->tsfn_);
  return queue;
}

void DeferredQueue::AdjustExternalLater(int64_t delta) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;
  pending_external_ += delta;
  ScheduleLocked();
}

void DeferredQueue::ReleaseReferenceLater(napi_ref ref) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!open_) return;  // the environment is gone and has freed its references
  pending_refs_.push_back(ref);
  ScheduleLocked();
}

void DeferredQueue::ScheduleLocked() {
  if (scheduled_ || tsfn_ == nullptr) return;
  // napi_call_threadsafe_function only locks a mutex and signals libuv: safe in GC.
  if (napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking) == napi_ok) {
    scheduled_ = true;
  }
}

void DeferredQueue::Flush(napi_env env) {
  int64_t external;
  std::vector<napi_ref> refs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    external = pending_external_;
    pending_external_ = 0;
    refs.swap(pending_refs_);
    scheduled_ = false;
  }
  if (external != 0) {
    int64_t ignored;
    napi_adjust_external_memory(env, external, &ignored);
  }
  for (napi_ref ref : refs) napi_delete_reference(env, ref);
}

void DeferredQueue::Close(napi_env env) {
  Flush(env);
  napi_threadsafe_function tsfn;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = false;
    tsfn = tsfn_;
  }
  if (tsfn != nullptr) napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
}

void DeferredQueue::CallJs(napi_env env, napi_value, void* context, void*) {
  if (env == nullptr) return;  // aborted during teardown
  static_cast<DeferredQueue*>(context)->Flush(env);
}

void DeferredQueue::Finalize(napi_env, void* data, void*) {
  // The thread-safe function is gone: drop the self-reference taken in Create(). Holders
  // on other threads keep the queue alive; they find it closed and drop their work.
  auto* queue = static_cast<DeferredQueue*>(data);
  std::shared_ptr<DeferredQueue> self;
  {
    std::lock_guard<std::mutex> lock(queue->mutex_);
    queue->tsfn_ = nullptr;
    self.swap(queue->self_);
  }
}

}  // namespace tfcv
