// See external_view.h.
#include "common/external_view.h"

#include <cstring>

#include "common/external_memory.h"
#include "common/stats.h"

namespace tfcv {
namespace {

struct ViewHint {
  std::shared_ptr<void> owner;
  ExternalMemoryTicket ticket;
};

// May run inside garbage collection: only drops native references and defers the
// external-memory report (ExternalMemoryTicket's destructor).
void FinalizeView(napi_env, void*, void* hint) { delete static_cast<ViewHint*>(hint); }

}  // namespace

Napi::ArrayBuffer CopyToArrayBuffer(Napi::Env env, const void* data, size_t length) {
  auto ab = Napi::ArrayBuffer::New(env, length);
  if (length) std::memcpy(ab.Data(), data, length);
  Stats::Get().RecordCopy(static_cast<int64_t>(length));
  return ab;
}

ExternalView MakeExternalView(Napi::Env env, void* data, size_t length, std::shared_ptr<void> owner,
                              bool reportExternal) {
  if (length == 0 || data == nullptr) return {Napi::ArrayBuffer::New(env, 0), true};
  auto* hint =
      new ViewHint{std::move(owner), ExternalMemoryTicket(env, reportExternal ? static_cast<int64_t>(length) : 0)};
  napi_value result;
  napi_status status = napi_create_external_arraybuffer(env, data, length, &FinalizeView, hint, &result);
  if (status != napi_ok) {
    // napi_no_external_buffers_allowed (or any failure): fall back to a copy.
    hint->ticket.ReleaseNow(env);
    delete hint;
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
    return {CopyToArrayBuffer(env, data, length), false};
  }
  return {Napi::ArrayBuffer(env, result), true};
}

}  // namespace tfcv
