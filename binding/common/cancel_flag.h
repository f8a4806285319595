// A cancellation flag shared by the JS thread and a job on the libuv pool: the facade
// passes a one-byte Uint8Array it owns, sets the byte when the caller's AbortSignal fires,
// and long native loops poll it (relaxed atomic read) to stop early. The ArrayBuffer is
// pinned for as long as the job holds the flag, so the byte outlives any garbage collection.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>

#include "common/js_bytes.h"

namespace tfcv {

class CancelFlag {
 public:
  CancelFlag() = default;
  // True once the JS side has set the byte. Safe from any thread.
  bool Cancelled() const { return byte_ != nullptr && __atomic_load_n(byte_, __ATOMIC_RELAXED) != 0; }

  // undefined / null: a flag that never fires. Otherwise a Uint8Array of length >= 1 (JS thread).
  static CancelFlag FromArg(const Napi::Value& value, const std::string& name);

 private:
  const uint8_t* byte_ = nullptr;
  std::shared_ptr<JsPin> pin_;
};

}  // namespace tfcv
