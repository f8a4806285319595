// The one async shape of tfcv (docs/design.md, practice 1): arguments are read and validated on
// the JS thread into plain C++ values captured by `work`; `work` runs on the libuv pool
// and touches no Napi value; `finish` builds the result on the JS thread. Whatever `work`
// captures (TensorRefs, MatRefs, JS pins) stays alive until the worker is destroyed.
#pragma once

#include <napi.h>

#include <functional>
#include <optional>
#include <utility>

#include "common/errors.h"

namespace tfcv {

template <typename Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<Result()>;
  using Finish = std::function<Napi::Value(Napi::Env, Result&)>;

  static Napi::Promise Start(Napi::Env env, const char* name, Work work, Finish finish) {
    auto* worker = new PromiseWorker(env, name, std::move(work), std::move(finish));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Napi::AsyncWorker::Queue();  // Napi::AsyncWorker deletes itself after OnOK/OnError
    return promise;
  }

 protected:
  void Execute() override {
    try {
      result_.emplace(work_());
    } catch (...) {
      failure_ = CurrentFailure();
    }
  }

  void OnOK() override {
    // When the environment is being torn down (a worker terminated with this job in flight),
    // nothing can be created or settled any more and node-addon-api throws from Resolve /
    // Reject; an exception leaving OnOK would abort the whole process. Nobody can observe the
    // promise then, so the result is dropped.
    try {
      Settle();
    } catch (...) {
    }
  }

 private:
  void Settle() {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (failure_) {
      deferred_.Reject(MakeJsError(env, *failure_).Value());
      return;
    }
    try {
      deferred_.Resolve(finish_(env, *result_));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    } catch (...) {
      deferred_.Reject(MakeJsError(env, CurrentFailure()).Value());
    }
  }

  PromiseWorker(Napi::Env env, const char* name, Work work, Finish finish)
      : Napi::AsyncWorker(env, name),
        deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)),
        finish_(std::move(finish)) {}

  Napi::Promise::Deferred deferred_;
  Work work_;
  Finish finish_;
  std::optional<Result> result_;
  std::optional<Failure> failure_;
};

}  // namespace tfcv
