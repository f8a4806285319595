// One definition per native operation, two entry points: `name` runs inline on the JS
// thread and `nameAsync` returns a Promise and runs the work on the libuv pool. A
// `prepare` function reads and validates the JS arguments into plain values captured by
// `work` (cv::Mat headers, TensorRefs: the inputs stay pinned until the job is gone), so
// both twins share the same checks and the same OpenCV code and cannot drift apart.
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
  exports.Set(name, Napi::Function::New(
                        env,
                        [prepare](const Napi::CallbackInfo& info) -> Napi::Value {
                          return Guarded(info.Env(), [&]() -> Napi::Value {
                            OpJob<Result> job = prepare(info);
                            Result result = job.work();
                            return job.finish(info.Env(), result);
                          });
                        },
                        name));
  const std::string asyncName = name + "Async";
  exports.Set(asyncName, Napi::Function::New(
                             env,
                             [prepare, asyncName](const Napi::CallbackInfo& info) -> Napi::Value {
                               return Guarded(info.Env(), [&]() -> Napi::Value {
                                 OpJob<Result> job = prepare(info);
                                 return PromiseWorker<Result>::Start(info.Env(), asyncName.c_str(), std::move(job.work),
                                                                     std::move(job.finish));
                               });
                             },
                             asyncName));
}

}  // namespace tfcv
