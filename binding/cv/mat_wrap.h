// The JS-visible native Mat: a handle (common/handle_wrap.h) on a MatRef. Writes through
// OpenCV (setTo, in-place ops) are allowed only when the buffer is exclusive (IsExclusive);
// otherwise they throw ReadOnlyError or, when asked, copy first (copy-on-write) so the
// other owner never changes.
#pragma once

#include <napi.h>

#include <string>

#include "common/handle_wrap.h"
#include "cv/mat_holder.h"

namespace tfcv {

// What an in-place write does when the Mat's memory has another owner (options.onShared).
enum class OnShared { kThrow, kCopy };
// 'throw' | 'copy'.
OnShared OnSharedArg(const Napi::Value& value, const std::string& name);

class MatWrap : public HandleWrap<MatWrap, MatRef> {
 public:
  static constexpr NativeKind kKind = NativeKind::kMat;
  static constexpr const char* kTypeName = "Mat";
  static constexpr const char* kConstructHint = "Mat.fromBuffer(), Mat.decode() or toMat()";

  static Napi::Function Init(Napi::Env env);
  // `reportsExternal`: the memory is native (not a pinned JS buffer).
  static Napi::Object Wrap(Napi::Env env, cv::Mat mat, bool reportsExternal = true);

  explicit MatWrap(const Napi::CallbackInfo& info) : HandleWrap(info) {}

  // True when tfcv may write into this Mat's buffer without anyone else seeing it.
  bool Exclusive() const;
  // Makes the buffer exclusive by copying when needed (OnShared::kCopy), or throws ReadOnlyError.
  void PrepareInPlaceWrite(Napi::Env env, OnShared onShared, const std::string& what);

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
  Napi::Value Data(const Napi::CallbackInfo& info);
  Napi::Value Clone(const Napi::CallbackInfo& info);
  Napi::Value Roi(const Napi::CallbackInfo& info);
  Napi::Value SetTo(const Napi::CallbackInfo& info);
  Napi::Value Threshold(const Napi::CallbackInfo& info);
  Napi::Value MakeWritable(const Napi::CallbackInfo& info);

  // Holds `mat` from now on, reporting it to V8 unless it is a view of memory counted elsewhere.
  void Hold(Napi::Env env, cv::Mat mat);
};

}  // namespace tfcv
