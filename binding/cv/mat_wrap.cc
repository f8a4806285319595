// See mat_wrap.h.
#include "cv/mat_wrap.h"

#include <opencv2/imgproc.hpp>

#include "common/external_view.h"
#include "common/env_state.h"
#include "common/errors.h"
#include "common/type_tags.h"
#include "common/stats.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/foreign_allocator.h"
#include "common/dtype.h"

namespace tfcv {
namespace {

struct PendingMat {
  cv::Mat mat;
  bool reportsExternal = true;
  bool set = false;
};
thread_local PendingMat pending;

int64_t MatBytes(const cv::Mat& m) { return static_cast<int64_t>(m.total() * m.elemSize()); }

}  // namespace

Napi::Function MatWrap::Init(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "NativeMat",
                                    {
                                        InstanceAccessor<&MatWrap::Rows>("rows"),
                                        InstanceAccessor<&MatWrap::Cols>("cols"),
                                        InstanceAccessor<&MatWrap::Channels>("channels"),
                                        InstanceAccessor<&MatWrap::DType>("dtype"),
                                        InstanceAccessor<&MatWrap::Type>("type"),
                                        InstanceAccessor<&MatWrap::Step>("step"),
                                        InstanceAccessor<&MatWrap::ByteLength>("byteLength"),
                                        InstanceAccessor<&MatWrap::IsContinuous>("isContinuous"),
                                        InstanceAccessor<&MatWrap::ReadOnly>("readOnly"),
                                        InstanceAccessor<&MatWrap::Disposed>("disposed"),
                                        InstanceMethod<&MatWrap::Data>("data"),
                                        InstanceMethod<&MatWrap::Clone>("clone"),
                                        InstanceMethod<&MatWrap::Roi>("roi"),
                                        InstanceMethod<&MatWrap::SetTo>("setTo"),
                                        InstanceMethod<&MatWrap::Threshold>("threshold"),
                                        InstanceMethod<&MatWrap::MakeWritable>("makeWritable"),
                                        InstanceMethod<&MatWrap::Dispose>("dispose"),
                                    });
  EnvState::Get(env).matConstructor = Napi::Persistent(ctor);
  return ctor;
}

Napi::Object MatWrap::Wrap(Napi::Env env, cv::Mat mat, bool reportsExternal) {
  pending = PendingMat{std::move(mat), reportsExternal, true};
  return EnvState::Get(env).matConstructor.New({});
}

MatWrap::MatWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MatWrap>(info) {
  Guarded(info.Env(), [&] {
    if (!pending.set)
      Fail(ErrorKind::kArgument, "Mat: not constructible directly; use Mat.fromBuffer(), Mat.decode() or toMat()");
    PendingMat taken = std::move(pending);
    pending = PendingMat{};
    Reset(info.Env(), std::move(taken.mat), taken.reportsExternal);
    TagObject(info.Env(), info.This().As<Napi::Object>(), NativeKind::kMat);
  });
}

void MatWrap::Reset(Napi::Env env, cv::Mat mat, bool reportsExternal) {
  ticket_.ReleaseNow(env);
  mat_ = MakeMatRef(std::move(mat));
  // A view of memory already counted elsewhere (a pinned JS buffer) is not reported again.
  if (reportsExternal && !IsForeignView(mat_->mat)) ticket_ = ExternalMemoryTicket(env, MatBytes(mat_->mat));
}

MatWrap& MatWrap::FromValue(const Napi::Value& value, const std::string& argName) {
  if (!HasTag(value, NativeKind::kMat)) Fail(ErrorKind::kArgument, argName + ": expected a Mat");
  return *Napi::ObjectWrap<MatWrap>::Unwrap(value.As<Napi::Object>());
}

const MatRef& MatWrap::Ref(const std::string& argName) const {
  if (!mat_) Fail(ErrorKind::kDisposed, argName + ": the Mat was " + disposedReason_);
  return mat_;
}

cv::Mat MatWrap::MoveOut(Napi::Env env, const std::string& reason) {
  cv::Mat out = Ref("mat")->mat;
  mat_.reset();
  ticket_.ReleaseNow(env);
  disposedReason_ = reason;
  return out;
}

bool MatWrap::Exclusive() const { return mat_ && mat_.use_count() == 1 && IsExclusive(mat_->mat); }

void MatWrap::PrepareInPlaceWrite(Napi::Env env, const std::string& onShared, const std::string& what) {
  const MatRef& ref = Ref("mat");
  // Views (data()) share our MatRef; they see the write by design, so only other owners
  // of the buffer (Mats, tensors, foreign memory) make it read-only.
  if (IsExclusive(ref->mat)) return;
  if (onShared == "copy") {
    cv::Mat copy = ref->mat.clone();
    Stats::Get().RecordCopy(MatBytes(copy));
    Reset(env, std::move(copy), true);
    return;
  }
  if (onShared != "throw")
    Fail(ErrorKind::kArgument, "options.onShared: expected 'throw' | 'copy', got '" + onShared + "'");
  Fail(ErrorKind::kReadOnly, what +
                                 ": the Mat's memory is shared with another owner (a tensor, a JS buffer or another "
                                 "Mat), so it is read-only; pass { onShared: 'copy' } or call makeWritable() first");
}

Napi::Value MatWrap::Rows(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value { return Napi::Number::New(info.Env(), Ref("mat")->mat.rows); });
}
Napi::Value MatWrap::Cols(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value { return Napi::Number::New(info.Env(), Ref("mat")->mat.cols); });
}
Napi::Value MatWrap::Channels(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(),
                 [&]() -> Napi::Value { return Napi::Number::New(info.Env(), Ref("mat")->mat.channels()); });
}
Napi::Value MatWrap::DType(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const tfcv::DType* d = DTypeByCvDepth(Ref("mat")->mat.depth());
    return Napi::String::New(info.Env(), d ? d->name : "unknown");
  });
}
Napi::Value MatWrap::Type(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value { return Napi::Number::New(info.Env(), Ref("mat")->mat.type()); });
}
Napi::Value MatWrap::Step(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    return Napi::Number::New(info.Env(), static_cast<double>(Ref("mat")->mat.step[0]));
  });
}
Napi::Value MatWrap::ByteLength(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    return Napi::Number::New(info.Env(), static_cast<double>(MatBytes(Ref("mat")->mat)));
  });
}
Napi::Value MatWrap::IsContinuous(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(),
                 [&]() -> Napi::Value { return Napi::Boolean::New(info.Env(), Ref("mat")->mat.isContinuous()); });
}
Napi::Value MatWrap::ReadOnly(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(),
                 [&]() -> Napi::Value { return Napi::Boolean::New(info.Env(), !IsExclusive(Ref("mat")->mat)); });
}
Napi::Value MatWrap::Disposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), !mat_); }

Napi::Value MatWrap::Data(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const MatRef& ref = Ref("mat");
    const cv::Mat& m = ref->mat;
    if (!m.isContinuous()) {
      // Rows with gaps cannot be one flat view: hand out a packed copy (documented).
      cv::Mat packed = m.clone();
      return CopyToArrayBuffer(info.Env(), packed.data, static_cast<size_t>(MatBytes(packed)));
    }
    return MakeExternalView(info.Env(), m.data, static_cast<size_t>(MatBytes(m)), ref, ticket_.bytes() != 0).buffer;
  });
}

Napi::Value MatWrap::Clone(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    cv::Mat copy = Ref("mat")->mat.clone();
    Stats::Get().RecordCopy(MatBytes(copy));
    return Wrap(info.Env(), std::move(copy));
  });
}

Napi::Value MatWrap::Roi(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const cv::Mat& m = Ref("mat")->mat;
    int x = info[0].As<Napi::Number>().Int32Value(), y = info[1].As<Napi::Number>().Int32Value();
    int w = info[2].As<Napi::Number>().Int32Value(), h = info[3].As<Napi::Number>().Int32Value();
    if (w <= 0 || h <= 0 || x < 0 || y < 0 || x > m.cols - w || y > m.rows - h)
      Fail(ErrorKind::kShape, "roi: expected a rectangle inside " + std::to_string(m.cols) + "x" +
                                  std::to_string(m.rows) + ", got x=" + std::to_string(x) + " y=" + std::to_string(y) +
                                  " width=" + std::to_string(w) + " height=" + std::to_string(h));
    // A view: it shares the buffer, so both it and its parent become read-only for
    // in-place OpenCV writes while both live. Memory is reported once, by the parent.
    return Wrap(info.Env(), m(cv::Rect(x, y, w, h)), false);
  });
}

Napi::Value MatWrap::SetTo(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Napi::Array values = info[0].As<Napi::Array>();
    std::string onShared = info[1].As<Napi::String>().Utf8Value();
    PrepareInPlaceWrite(info.Env(), onShared, "setTo");
    cv::Scalar s;
    for (uint32_t i = 0; i < values.Length() && i < 4; ++i) s[i] = values.Get(i).As<Napi::Number>().DoubleValue();
    mat_->mat.setTo(s);
    return info.This();
  });
}

Napi::Value MatWrap::Threshold(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    double thresh = NumberArg(info[0], "thresh");
    double maxval = NumberArg(info[1], "maxval");
    int type = ThresholdTypeArg(info[2], "options.type");
    bool inPlace = BoolArg(info[3], "options.inPlace");
    const cv::Mat& src = Ref("mat")->mat;
    if ((type & cv::THRESH_OTSU) && (src.type() != CV_8UC1 && src.type() != CV_16UC1))
      Fail(ErrorKind::kArgument, "threshold: Otsu needs a 1-channel uint8 or uint16 Mat");
    if (!inPlace) {
      cv::Mat dst;
      cv::threshold(src, dst, thresh, maxval, type);
      return Wrap(info.Env(), std::move(dst));
    }
    PrepareInPlaceWrite(info.Env(), StringArg(info[4], "options.onShared"), "threshold");
    cv::threshold(mat_->mat, mat_->mat, thresh, maxval, type);
    return info.This();
  });
}

Napi::Value MatWrap::MakeWritable(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    PrepareInPlaceWrite(info.Env(), "copy", "makeWritable");
    return info.This();
  });
}

Napi::Value MatWrap::Dispose(const Napi::CallbackInfo& info) {
  if (mat_) {
    mat_.reset();
    ticket_.ReleaseNow(info.Env());
    disposedReason_ = "disposed";
  }
  return info.Env().Undefined();
}

}  // namespace tfcv
