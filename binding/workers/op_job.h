// The one way a native operation gets its sync/async twins: one definition, two entry
// points, named as the facade names its methods: `name` returns a Promise and runs the
// work on the libuv pool, `nameSync` runs it inline on the JS thread. A `prepare`
// function reads and validates the JS arguments into plain values captured by `work`
// (cv::Mat headers, TensorRefs, copies of JS bytes: the inputs stay pinned until the job
// is gone), so both twins share the same checks and the same native code and cannot
// drift apart. Operations on a native object (a Model's run) are ops too: the object is
// their first argument, unwrapped by its type tag.
#pragma once

#include <napi.h>

#include <functional>
#include <string>
#include <utility>

#include "common/errors.h"
#include "workers/promise_worker.h"

namespace tfcv {

template <typename Result>
struct OpJob {
  std::function<Result()> work;                           // touches no Napi value
  std::function<Napi::Value(Napi::Env, Result&)> finish;  // JS thread: builds the result
};

template <typename Result>
using OpPrepare = OpJob<Result> (*)(const Napi::CallbackInfo&);

template <typename Result>
void ExportOp(Napi::Env env, Napi::Object exports, const std::string& name, OpPrepare<Result> prepare) {
  const std::string syncName = name + "Sync";
  exports.Set(name, Napi::Function::New(
                        env,
                        [prepare, name](const Napi::CallbackInfo& info) -> Napi::Value {
                          return Guarded(info.Env(), [&]() -> Napi::Value {
                            OpJob<Result> job = prepare(info);
                            return PromiseWorker<Result>::Start(info.Env(), name.c_str(), std::move(job.work),
                                                                std::move(job.finish));
                          });
                        },
                        name));
  exports.Set(syncName, Napi::Function::New(
                            env,
                            [prepare](const Napi::CallbackInfo& info) -> Napi::Value {
                              return Guarded(info.Env(), [&]() -> Napi::Value {
                                OpJob<Result> job = prepare(info);
                                Result result = job.work();
                                return job.finish(info.Env(), result);
                              });
                            },
                            syncName));
}

}  // namespace tfcv
