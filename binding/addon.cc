// Addon entry point. Context-aware: every environment (main thread, each worker_thread)
// gets its own EnvState; process-wide state is limited to the atomic Stats counters.
#include <napi.h>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <tensorflow/c/c_api.h>

#include <cstdlib>
#include <mutex>

#include "bridge/convert_api.h"
#include "bridge/preprocess_api.h"
#include "common/env_state.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "common/limits.h"
#include "common/type_tags.h"
#include "common/stats.h"
#include "cv/image_ops.h"
#include "cv/limited_allocator.h"
#include "cv/mat_api.h"
#include "cv/mat_wrap.h"
#include "demo/demo_api.h"
#include "detection/detection_api.h"
#include "evaluate/evaluate_api.h"
#include "metrics/metrics_api.h"
#include "tf/model_api.h"
#include "tf/tensor_api.h"
#include "tf/tensor_wrap.h"

namespace tfcv {
namespace {

Napi::Value StatsSnapshot(const Napi::CallbackInfo& info) {
  Stats& s = Stats::Get();
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  auto num = [&](int64_t v) { return Napi::Number::New(env, static_cast<double>(v)); };
  out.Set("copies", num(s.copies.load()));
  out.Set("bytesCopied", num(s.bytesCopied.load()));
  out.Set("zeroCopies", num(s.zeroCopies.load()));
  out.Set("liveTensors", num(s.liveTensors.load()));
  out.Set("liveMats", num(s.liveMats.load()));
  out.Set("externalBytes", num(s.externalBytes.load()));
  return out;
}

// Applies deferred external-memory reports and pin releases now (tests, shutdown).
Napi::Value FlushDeferred(const Napi::CallbackInfo& info) {
  EnvState::Get(info.Env()).deferred()->Flush(info.Env());
  return info.Env().Undefined();
}

Napi::Value Versions(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("tensorflow", Napi::String::New(info.Env(), TF_Version()));
  out.Set("opencv", Napi::String::New(info.Env(), CV_VERSION));
  return out;
}

// isNative(value, 'tensor' | 'mat' | 'model'): the facade's constructors check the type tag,
// which a spoofed prototype does not carry (instanceof would pass).
Napi::Value IsNative(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const NativeKind kind = ChoiceArg<NativeKind>(
        info[1], "kind", {{"tensor", NativeKind::kTensor}, {"mat", NativeKind::kMat}, {"model", NativeKind::kModel}});
    return Napi::Boolean::New(info.Env(), HasTag(info[0], kind));
  });
}

// setMaxAllocationBytes(n): lib/limits.ts has validated n (a safe integer >= 0).
Napi::Value SetAllocationLimit(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsNumber()) Fail(ErrorKind::kArgument, "maxAllocationBytes: expected a number");
    const double n = info[0].As<Napi::Number>().DoubleValue();
    if (!(n >= 0 && n <= 9007199254740991.0)) Fail(ErrorKind::kArgument, "maxAllocationBytes: expected 0..2^53-1");
    SetMaxAllocationBytes(static_cast<uint64_t>(n));
    return Napi::Number::New(info.Env(), static_cast<double>(MaxAllocationBytes()));
  });
}

Napi::Value AllocationLimit(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(MaxAllocationBytes()));
}

// registerErrors([ArgumentError, ShapeError, ...]) in ErrorKind order (lib/errors.ts).
Napi::Value RegisterErrors(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsArray()) Fail(ErrorKind::kArgument, "registerErrors: expected an array of constructors");
    Napi::Array ctors = info[0].As<Napi::Array>();
    EnvState& state = EnvState::Get(info.Env());
    for (uint32_t i = 0; i < ctors.Length() && i < static_cast<uint32_t>(ErrorKind::kCount); ++i) {
      Napi::Value c = ctors.Get(i);
      if (!c.IsFunction())
        Fail(ErrorKind::kArgument, "registerErrors: entry " + std::to_string(i) + " is not a constructor");
      state.SetErrorConstructor(static_cast<ErrorKind>(i), c.As<Napi::Function>());
    }
    return info.Env().Undefined();
  });
}

// Process-wide library setup, once for all environments. OpenCV logs a warning to stderr
// for every undecodable image; tfcv reports those as DecodeError instead, so OpenCV's own
// log is limited to errors unless the user chose a level with OPENCV_LOG_LEVEL.
void InitLibrariesOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("OPENCV_LOG_LEVEL") == nullptr)
      cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
    InstallLimitedAllocator();
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InitLibrariesOnce();
  EnvState::Create(env);
  exports.Set("NativeTensor", TensorWrap::Init(env));
  exports.Set("NativeMat", MatWrap::Init(env));
  RegisterTensorApi(env, exports);
  RegisterMatApi(env, exports);
  RegisterConvertApi(env, exports);
  RegisterModelApi(env, exports);
  RegisterImageOps(env, exports);
  RegisterPreprocessApi(env, exports);
  RegisterMetricsApi(env, exports);
  RegisterEvaluateApi(env, exports);
  RegisterDemoApi(env, exports);
  RegisterDetectionApi(env, exports);
  exports.Set("stats", Napi::Function::New<StatsSnapshot>(env, "stats"));
  exports.Set("flushDeferred", Napi::Function::New<FlushDeferred>(env, "flushDeferred"));
  exports.Set("versions", Napi::Function::New<Versions>(env, "versions"));
  exports.Set("isNative", Napi::Function::New<IsNative>(env, "isNative"));
  exports.Set("setMaxAllocationBytes", Napi::Function::New<SetAllocationLimit>(env, "setMaxAllocationBytes"));
  exports.Set("maxAllocationBytes", Napi::Function::New<AllocationLimit>(env, "maxAllocationBytes"));
  exports.Set("registerErrors", Napi::Function::New<RegisterErrors>(env, "registerErrors"));
  exports.Set("errorKindCount", Napi::Number::New(env, static_cast<int>(ErrorKind::kCount)));
  return exports;
}

}  // namespace
}  // namespace tfcv

static Napi::Object InitTfcv(Napi::Env env, Napi::Object exports) { return tfcv::Init(env, exports); }

NODE_API_MODULE(tfcv, InitTfcv)
