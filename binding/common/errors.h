// Typed failures raised anywhere in native code (any thread) and turned into the
// facade's error classes (lib/errors.ts) on the JS thread. Native code never throws a
// bare message: every failure carries the kind the JS side maps to a stable `code`.
#pragma once

#include <napi.h>

#include <exception>
#include <string>

namespace tfcv {

// Order and names mirror lib/errors.ts (ERROR_KINDS); the facade registers one
// constructor per kind at load time.
enum class ErrorKind : int {
  kArgument = 0,  // wrong type / missing argument / bad option value
  kShape,         // rank, dims, sizes, buffer length
  kDType,         // dtype unsupported or mismatched
  kDecode,        // image could not be decoded
  kDisposed,      // object used after dispose() or move
  kLimit,         // a configured limit was exceeded
  kReadOnly,      // in-place write on memory another owner can see
  kZeroCopy,      // a share/move could not be honoured and fallback was 'throw'
  kTf,            // TensorFlow returned a non-OK TF_Status
  kCv,            // OpenCV threw cv::Exception
  kInternal,      // allocation failure or a bug: never expected
  kBusy,          // a bounded queue (the batcher's) is full: retry later
  kCount
};

struct Failure {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  std::string tfCode;  // kTf: TF code name, e.g. INVALID_ARGUMENT
  int cvCode = 0;      // kCv: cv::Error::Code
  std::string cvFunc;  // kCv: OpenCV function that failed
};

// The one exception type native code throws for expected failures.
class TypedError : public std::exception {
 public:
  explicit TypedError(Failure failure) : failure_(std::move(failure)) {}
  TypedError(ErrorKind kind, std::string message) {
    failure_.kind = kind;
    failure_.message = std::move(message);
  }
  const char* what() const noexcept override { return failure_.message.c_str(); }
  const Failure& failure() const { return failure_; }

 private:
  Failure failure_;
};

[[noreturn]] inline void Fail(ErrorKind kind, std::string message) { throw TypedError(kind, std::move(message)); }

// Converts the exception being handled (call only inside a catch block) into a Failure:
// TypedError, cv::Exception, std::bad_alloc and any std::exception are recognised.
Failure CurrentFailure();

// Builds the JS error object (facade class when registered) for a failure.
Napi::Error MakeJsError(Napi::Env env, const Failure& failure);

// Runs `body` and converts every C++ exception into a thrown JS error, so no exception
// ever crosses the Node-API boundary. Napi::Error passes through untouched.
template <typename Body>
auto Guarded(Napi::Env env, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw MakeJsError(env, CurrentFailure());
  }
}

}  // namespace tfcv
