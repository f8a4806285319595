// Zero-copy JS views over native memory: an external ArrayBuffer whose finalizer drops
// the native owner (a TensorRef or MatRef) and returns its external-memory report
// through the deferred queue. Where the runtime forbids external buffers (Electron's
// sandbox), the bytes are copied into a V8-owned ArrayBuffer instead.
#pragma once

#include <napi.h>

#include <memory>

namespace tfcv {

struct ExternalView {
  Napi::ArrayBuffer buffer;
  bool zeroCopy;
};

// `reportExternal`: tell V8 about `length` native bytes while the view lives (false when
// the memory is itself a JS buffer that V8 already counts).
ExternalView MakeExternalView(Napi::Env env, void* data, size_t length, std::shared_ptr<void> owner,
                              bool reportExternal = true);

// A V8-owned copy (transferable, independent of native memory).
Napi::ArrayBuffer CopyToArrayBuffer(Napi::Env env, const void* data, size_t length);

}  // namespace tfcv
