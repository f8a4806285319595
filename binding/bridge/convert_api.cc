// Native entry points of the bridge: matToTensor / tensorToMat, each async and sync (ExportOp). The
// JS thread reads options, decides whether the source may be moved and, for 'move', takes
// the source away from its JS handle at once; the conversion itself (bridge/mat_tensor)
// runs on the libuv pool or inline with the source pinned by native refcounts.
#include "bridge/convert_api.h"

#include "bridge/mat_tensor.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
#include "tf/tensor_wrap.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

MatToTensorOptions ReadMatToTensorOptions(const Napi::Value& value) {
  Napi::Object o = ObjectArg(value, "options");
  MatToTensorOptions out;
  out.mode = ParseTransferMode(o.Get("mode"), "options.mode");
  out.fallback = ParseFallback(o.Get("fallback"), "options.fallback");
  Napi::Value dtype = o.Get("dtype");
  if (!dtype.IsUndefined() && !dtype.IsNull()) out.dtype = &DTypeArg(dtype, "options.dtype");
  out.channelsFirst = BoolArg(o.Get("channelsFirst"), "options.channelsFirst");
  out.batch = BoolArg(o.Get("batch"), "options.batch");
  return out;
}

struct MatSource {
  cv::Mat mat;
  MatToTensorOptions options;
};

// Reads the source Mat; for 'move' the JS handle is emptied now so that no JS code can
// touch the buffer while (or after) it becomes the tensor's.
MatSource TakeMatSource(const Napi::CallbackInfo& info) {
  MatWrap& wrap = MatWrap::FromValue(info[0], "mat");
  MatSource src{cv::Mat(), ReadMatToTensorOptions(info[1])};
  if (src.options.mode == TransferMode::kMove) {
    // Decided before any new header exists: a header would count as another owner.
    src.options.sourceExclusive = wrap.Exclusive();
    src.mat = wrap.MoveOut(info.Env(), "moved into a Tensor (toTensor mode 'move')")->mat;
  } else {
    src.mat = wrap.Ref("mat")->mat;
  }
  return src;
}

Napi::Value WrapTensorResult(Napi::Env env, TensorResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("tensor", TensorWrap::Wrap(env, r.tensor, r.zeroCopy));
  out.Set("zeroCopy", Napi::Boolean::New(env, r.zeroCopy));
  out.Set("copyReason", r.copyReason.empty() ? env.Null() : Napi::String::New(env, r.copyReason));
  return out;
}

// matToTensor(mat, options)
OpJob<TensorResult> PrepareMatToTensor(const Napi::CallbackInfo& info) {
  auto src = std::make_shared<MatSource>(TakeMatSource(info));
  return {[src] {
            TensorResult r = MatToTensor(src->mat, src->options);
            src->mat.release();  // the job's pin is no longer needed
            return r;
          },
          WrapTensorResult};
}

struct TensorSource {
  TensorRef tensor;
  TensorToMatOptions options;
};

TensorSource TakeTensorSource(const Napi::CallbackInfo& info) {
  TensorWrap& wrap = TensorWrap::FromValue(info[0], "tensor");
  Napi::Object o = ObjectArg(info[1], "options");
  TensorSource src{wrap.Ref("tensor"), {}};
  src.options.mode = ParseTransferMode(o.Get("mode"), "options.mode");
  src.options.fallback = ParseFallback(o.Get("fallback"), "options.fallback");
  if (src.options.mode == TransferMode::kMove) {
    // Only the JS handle holds the tensor (no view, no Mat) and TensorFlow has no other
    // reference to the buffer: then the new Mat may write into it without anyone seeing.
    src.options.sourceExclusive = src.tensor.use_count() == 2 && !wrap.sharesMemory() && src.tensor->IsUniquelyOwned();
    src.tensor = wrap.MoveOut(info.Env(), "moved into a Mat (toMat mode 'move')");
  }
  return src;
}

Napi::Value WrapMatResult(Napi::Env env, MatResult& r) {
  Napi::Object out = Napi::Object::New(env);
  // A shared Mat over tensor memory is not reported again: the tensor already is.
  out.Set("mat", MatWrap::Wrap(env, std::move(r.mat), !r.zeroCopy));
  out.Set("zeroCopy", Napi::Boolean::New(env, r.zeroCopy));
  out.Set("copyReason", r.copyReason.empty() ? env.Null() : Napi::String::New(env, r.copyReason));
  return out;
}

// tensorToMat(tensor, options)
OpJob<MatResult> PrepareTensorToMat(const Napi::CallbackInfo& info) {
  auto src = std::make_shared<TensorSource>(TakeTensorSource(info));
  return {[src] { return TensorToMat(src->tensor, src->options); }, WrapMatResult};
}

}  // namespace

void RegisterConvertApi(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "matToTensor", &PrepareMatToTensor);
  ExportOp(env, exports, "tensorToMat", &PrepareTensorToMat);
}

}  // namespace tfcv
