// See mat_wrap.h.
#include "cv/mat_wrap.h"

#include <opencv2/imgproc.hpp>

#include "common/external_view.h"
#include "common/errors.h"
#include "common/stats.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/foreign_allocator.h"
#include "common/dtype.h"

namespace tfcv {
namespace {

int64_t MatBytes(const cv::Mat& m) { return static_cast<int64_t>(m.total() * m.elemSize()); }

}  // namespace

OnShared OnSharedArg(const Napi::Value& value, const std::string& name) {
  return ChoiceArg<OnShared>(value, name, {{"throw", OnShared::kThrow}, {"copy", OnShared::kCopy}});
}

Napi::Function MatWrap::Init(Napi::Env env) {
  return DefineHandleClass(env, "NativeMat",
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
                               InstanceMethod<&MatWrap::Data>("data"),
                               InstanceMethod<&MatWrap::Clone>("clone"),
                               InstanceMethod<&MatWrap::Roi>("roi"),
                               InstanceMethod<&MatWrap::SetTo>("setTo"),
                               InstanceMethod<&MatWrap::Threshold>("threshold"),
                               InstanceMethod<&MatWrap::MakeWritable>("makeWritable"),
                           });
}

// A view of memory already counted elsewhere (a pinned JS buffer) is not reported again.
int64_t ReportedBytes(const cv::Mat& mat, bool reportsExternal) {
  return reportsExternal && !IsForeignView(mat) ? MatBytes(mat) : 0;
}

Napi::Object MatWrap::Wrap(Napi::Env env, cv::Mat mat, bool reportsExternal) {
  const int64_t bytes = ReportedBytes(mat, reportsExternal);
  return NewHandle(env, Adoption{MakeMatRef(std::move(mat)), bytes});
}

void MatWrap::Hold(Napi::Env env, cv::Mat mat) {
  const int64_t bytes = ReportedBytes(mat, true);
  Reset(env, MakeMatRef(std::move(mat)), bytes);
}

bool MatWrap::Exclusive() const { return HeldUniquely() && IsExclusive(held()->mat); }

void MatWrap::PrepareInPlaceWrite(Napi::Env env, OnShared onShared, const std::string& what) {
  const MatRef& ref = Ref("mat");
  // Views (data()) share our MatRef; they see the write by design, so only other owners
  // of the buffer (Mats, tensors, foreign memory) make it read-only.
  if (IsExclusive(ref->mat)) return;
  if (onShared == OnShared::kCopy) {
    cv::Mat copy = ref->mat.clone();
    Stats::Get().RecordCopy(MatBytes(copy));
    Hold(env, std::move(copy));
    return;
  }
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

Napi::Value MatWrap::Data(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    const MatRef& ref = Ref("mat");
    const cv::Mat& m = ref->mat;
    if (!m.isContinuous()) {
      // Rows with gaps cannot be one flat view: hand out a packed copy (documented).
      cv::Mat packed = m.clone();
      return CopyToArrayBuffer(info.Env(), packed.data, static_cast<size_t>(MatBytes(packed)));
    }
    return MakeExternalView(info.Env(), m.data, static_cast<size_t>(MatBytes(m)), ref, reportedBytes() != 0).buffer;
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
    const int x = IntArg(info[0], "x", INT32_MIN, INT32_MAX), y = IntArg(info[1], "y", INT32_MIN, INT32_MAX);
    const int w = IntArg(info[2], "width", INT32_MIN, INT32_MAX), h = IntArg(info[3], "height", INT32_MIN, INT32_MAX);
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
    const cv::Scalar value = ScalarArg(info[0], "value");
    PrepareInPlaceWrite(info.Env(), OnSharedArg(info[1], "options.onShared"), "setTo");
    Ref("mat")->mat.setTo(value);
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
    PrepareInPlaceWrite(info.Env(), OnSharedArg(info[4], "options.onShared"), "threshold");
    cv::Mat& own = Ref("mat")->mat;
    cv::threshold(own, own, thresh, maxval, type);
    return info.This();
  });
}

Napi::Value MatWrap::MakeWritable(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    PrepareInPlaceWrite(info.Env(), OnShared::kCopy, "makeWritable");
    return info.This();
  });
}

}  // namespace tfcv
