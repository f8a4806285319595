// The JS-visible native Mat: a handle on a MatRef. Writes through OpenCV (setTo, in-place
// ops) are allowed only when the buffer is exclusive (IsExclusive); otherwise they throw
// ReadOnlyError or, when asked, copy first (copy-on-write) so the other owner never changes.
#pragma once

#include <napi.h>

#include <string>

#include "common/external_memory.h"
#include "cv/mat_holder.h"

namespace tfcv {

class MatWrap : public Napi::ObjectWrap<MatWrap> {
 public:
  static Napi::Function Init(Napi::Env env);
  // `reportsExternal`: the memory is native (not a pinned JS buffer).
  static Napi::Object Wrap(Napi::Env env, cv::Mat mat, bool reportsExternal = true);
  static MatWrap& FromValue(const Napi::Value& value, const std::string& argName);

  explicit MatWrap(const Napi::CallbackInfo& info);

  const MatRef& Ref(const std::string& argName) const;
  // Hands the Mat over (mode 'move'); this handle becomes disposed with that reason.
  cv::Mat MoveOut(Napi::Env env, const std::string& reason);
  // True when tfcv may write into this Mat's buffer without anyone else seeing it.
  bool Exclusive() const;
  // Makes the buffer exclusive by copying when needed ('copy'), or throws ('throw').
  void PrepareInPlaceWrite(Napi::Env env, const std::string& onShared, const std::string& what);

 private:
  Napi::Value Rows(const Napi::CallbackInfo& info);
  Napi::Value Cols(const Napi::CallbackInfo& info);
  Napi::Value Channels(const Napi::CallbackInfo& info);
  Napi::Value DType(const Napi::CallbackInfo& info);
  Napi::Value Type(const Napi::CallbackInfo& info);
  Napi::Value Step(const Napi::CallbackInfo& info);
  Napi::Value ByteLength(const Napi::CallbackInfo& info);
  Napi::Value IsContinuous(const Napi::CallbackInfo& info);
  Napi::Value ReadOnly(const Napi::CallbackInfo& info);
  Napi::Value Disposed(const Napi::CallbackInfo& info);
  Napi::Value Data(const Napi::CallbackInfo& info);
  Napi::Value Clone(const Napi::CallbackInfo& info);
  Napi::Value Roi(const Napi::CallbackInfo& info);
  Napi::Value SetTo(const Napi::CallbackInfo& info);
  Napi::Value Threshold(const Napi::CallbackInfo& info);
  Napi::Value MakeWritable(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  void Reset(Napi::Env env, cv::Mat mat, bool reportsExternal);

  MatRef mat_;
  ExternalMemoryTicket ticket_;
  std::string disposedReason_;
};

}  // namespace tfcv
