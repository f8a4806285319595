// Conversion of native failures into the facade's typed JS errors.
#include "common/errors.h"

#include <opencv2/core.hpp>

#include <new>

#include "common/env_state.h"

namespace tfcv {

Failure CurrentFailure() {
  try {
    throw;
  } catch (const TypedError& e) {
    return e.failure();
  } catch (const cv::Exception& e) {
    Failure f;
    if (e.code == cv::Error::StsNoMem) {
      f.kind = ErrorKind::kLimit;
      // The allocation limit's own message says which limit; anything else is a real OOM.
      f.message = e.err.find("allocation limit") != std::string::npos
                      ? "OpenCV " + (e.func.empty() ? std::string("call") : e.func) + ": " + e.err
                      : "out of memory: OpenCV could not allocate (" + e.func + ")";
      return f;
    }
    f.kind = ErrorKind::kCv;
    f.cvCode = e.code;
    f.cvFunc = e.func;
    f.message = "OpenCV " + (e.func.empty() ? std::string("call") : e.func) + ": " + e.err;
    return f;
  } catch (const std::bad_alloc&) {
    Failure f;
    f.kind = ErrorKind::kLimit;
    f.message = "out of memory: a native allocation failed";
    return f;
  } catch (const std::exception& e) {
    Failure f;
    f.kind = ErrorKind::kInternal;
    f.message = std::string("internal error: ") + e.what();
    return f;
  } catch (...) {
    Failure f;
    f.kind = ErrorKind::kInternal;
    f.message = "internal error: unknown native exception";
    return f;
  }
}

Napi::Error MakeJsError(Napi::Env env, const Failure& failure) {
  Napi::EscapableHandleScope scope(env);
  Napi::Object error;
  EnvState* state = EnvState::Find(env);
  Napi::FunctionReference* ctor = state ? state->ErrorConstructor(failure.kind) : nullptr;
  if (ctor != nullptr && !ctor->IsEmpty()) {
    error = ctor->New({Napi::String::New(env, failure.message)});
  } else {
    // Facade not loaded (the raw binding used directly): still a coded Error.
    error = Napi::Error::New(env, failure.message).Value();
    error.Set("code", Napi::String::New(env, "ERR_TFCV_NATIVE"));
  }
  if (failure.kind == ErrorKind::kTf) {
    error.Set("tfCode", Napi::String::New(env, failure.tfCode));
  } else if (failure.kind == ErrorKind::kCv) {
    error.Set("cvCode", Napi::Number::New(env, failure.cvCode));
    error.Set("func", Napi::String::New(env, failure.cvFunc));
  }
  return Napi::Error(env, scope.Escape(error));
}

}  // namespace tfcv
