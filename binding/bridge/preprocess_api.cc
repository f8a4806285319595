// Native entry points of preprocess (sync and async through ExportOp): the JS thread reads
// the spec and the images (encoded bytes are copied, Mats pinned by their headers) into
// plain values; bridge/preprocess does the rest on the libuv pool.
#include "bridge/preprocess_api.h"

#include <climits>
#include <cmath>

#include "common/js_bytes.h"
#include "bridge/preprocess.h"
#include "common/env_state.h"
#include "common/errors.h"
#include "common/type_tags.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/image_decoder.h"
#include "cv/mat_wrap.h"
#include "cv/resize_budget.h"
#include "tf/tensor_wrap.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

constexpr uint32_t kMaxBatch = 65536;

std::vector<double> PerChannel(const Napi::Object& spec, const char* field, int channels) {
  const std::string name = std::string("spec.") + field;
  Napi::Value value = spec.Get(field);
  if (!value.IsArray() || value.As<Napi::Array>().Length() != static_cast<uint32_t>(channels))
    Fail(ErrorKind::kArgument, name + ": expected " + std::to_string(channels) + " numbers (one per output channel)");
  cv::Scalar s = ScalarArg(value, name);
  return std::vector<double>(s.val, s.val + channels);
}

PreprocessSpec SpecArg(const Napi::Value& value) {
  Napi::Object o = ObjectArg(value, "spec");
  PreprocessSpec spec;
  spec.size =
      cv::Size(IntArg(o.Get("width"), "spec.width", 1, INT_MAX), IntArg(o.Get("height"), "spec.height", 1, INT_MAX));
  CheckOutputPixels(spec.size.width, spec.size.height, "spec size");
  spec.fit = ChoiceArg<FitMode>(
      o.Get("resize"), "spec.resize",
      {{"stretch", FitMode::kStretch}, {"letterbox", FitMode::kLetterbox}, {"center-crop", FitMode::kCenterCrop}});
  spec.interpolation = InterpolationArg(o.Get("interpolation"), "spec.interpolation");
  spec.channels = IntArg(o.Get("channels"), "spec.channels", 1, 3);
  if (spec.channels == 2) Fail(ErrorKind::kArgument, "spec.channels: expected 1 | 3, got 2");
  spec.rgb = ChoiceArg<bool>(o.Get("channelOrder"), "spec.channelOrder", {{"RGB", true}, {"BGR", false}});
  const DType& dtype = DTypeArg(o.Get("dtype"), "spec.dtype");
  if (std::string(dtype.name) != "float32" && std::string(dtype.name) != "uint8")
    Fail(ErrorKind::kDType, "spec.dtype: expected 'float32' | 'uint8', got '" + std::string(dtype.name) + "'");
  spec.dtype = &dtype;
  // Each image is resized to (at most) the spec size with up to 4 channels before it is
  // written into its row: that intermediate and OpenCV's tables come on top of the batch.
  CheckResizeAllocation(cv::Size(1, 1), spec.size, 4, spec.interpolation,
                        static_cast<uint64_t>(spec.size.width) * static_cast<uint64_t>(spec.size.height) * 16,
                        "preprocess");
  // The rules between fields (std non-zero, uint8 output keeps scale / mean / std at their
  // defaults) are lib/preprocess_spec.ts's; what is read here cannot make the write unsafe.
  const double scale = NumberArg(o.Get("scale"), "spec.scale");
  std::vector<double> mean = PerChannel(o, "mean", spec.channels), std = PerChannel(o, "std", spec.channels);
  for (int c = 0; c < spec.channels; ++c) {
    // (x * scale - mean) / std, as one multiply-add with coefficients computed in double.
    spec.scale.push_back(scale / std[c]);
    spec.shift.push_back(-mean[c] / std[c]);
  }
  spec.fill = PerChannel(o, "fill", spec.channels);
  spec.channelsFirst = ChoiceArg<bool>(o.Get("layout"), "spec.layout", {{"NHWC", false}, {"NCHW", true}});
  spec.reducedDecode = ChoiceArg<bool>(o.Get("decodeScale"), "spec.decodeScale", {{"auto", true}, {"full", false}});
  spec.maxPixels = IntArg(o.Get("maxPixels"), "spec.maxPixels", 1, static_cast<int>(kMaxMaxPixels));
  // Internal to evaluate() (not in the public spec): absent for preprocess().
  if (!o.Get("divisor").IsUndefined()) {
    spec.divisor = static_cast<float>(NumberArg(o.Get("divisor"), "spec.divisor"));
    if (!(spec.divisor > 0) || !std::isfinite(spec.divisor))
      Fail(ErrorKind::kArgument, "spec.divisor: expected a finite number > 0");
  }
  if (!o.Get("shrinkInterpolation").IsUndefined())
    spec.shrinkInterpolation = InterpolationArg(o.Get("shrinkInterpolation"), "spec.shrinkInterpolation");
  return spec;
}

PreprocessInput InputArg(Napi::Env env, const Napi::Value& value, const std::string& name) {
  PreprocessInput input;
  if (HasTag(value, NativeKind::kMat)) {
    input.mat = MatArg(value, name);
    RequireDepth(input.mat, {CV_8U}, name);
    RequireChannels(input.mat, {1, 3, 4}, name);
    return input;
  }
  if (!value.IsTypedArray() && !value.IsArrayBuffer() && !value.IsDataView())
    Fail(ErrorKind::kArgument, name + ": expected a Buffer (an encoded image) or a Mat");
  JsBytes bytes = ReadJsBytes(value, name);
  // Copied: cheap next to decoding, and nothing the caller does to its buffer meanwhile
  // (overwrite, transfer, detach) can reach the worker.
  input.encoded = std::make_shared<const std::vector<uint8_t>>(bytes.data, bytes.data + bytes.length);
  return input;
}

// The images argument of preprocess and preprocessRows: a non-empty array of at most kMaxBatch.
Napi::Array ImageListArg(const Napi::Value& value) {
  if (!value.IsArray()) Fail(ErrorKind::kArgument, "images: expected an array of Buffers or Mats");
  Napi::Array images = value.As<Napi::Array>();
  if (images.Length() == 0 || images.Length() > kMaxBatch)
    Fail(ErrorKind::kArgument,
         "images: expected 1.." + std::to_string(kMaxBatch) + " images, got " + std::to_string(images.Length()));
  return images;
}

// Every image read (and pinned or copied) for the worker, in order.
std::shared_ptr<std::vector<PreprocessInput>> InputsArg(Napi::Env env, const Napi::Array& images) {
  auto inputs = std::make_shared<std::vector<PreprocessInput>>();
  inputs->reserve(images.Length());
  for (uint32_t i = 0; i < images.Length(); ++i)
    inputs->push_back(InputArg(env, images.Get(i), "images[" + std::to_string(i) + "]"));
  return inputs;
}

// preprocess(images: Array<Buffer | NativeMat>, spec)
OpJob<TensorRef> PreparePreprocess(const Napi::CallbackInfo& info) {
  Napi::Array images = ImageListArg(info[0]);
  PreprocessSpec spec = SpecArg(info[1]);
  auto inputs = InputsArg(info.Env(), images);
  return {[inputs, spec] {
            TensorRef tensor = Preprocess(*inputs, spec);
            inputs->clear();  // unpin the Mats and free the encoded copies now
            return tensor;
          },
          [](Napi::Env env, TensorRef& tensor) -> Napi::Value { return TensorWrap::Wrap(env, tensor, false); }};
}

// preprocessRows(images, spec, rows) -> { tensor, failures: Array<Error | null> }: the
// batcher's variant (PreprocessRows): padding rows are zeros, a failing image fails alone.
OpJob<PreprocessedRows> PreparePreprocessRows(const Napi::CallbackInfo& info) {
  Napi::Array images = ImageListArg(info[0]);
  PreprocessSpec spec = SpecArg(info[1]);
  const int rows = IntArg(info[2], "rows", static_cast<int>(images.Length()), static_cast<int>(kMaxBatch));
  auto inputs = InputsArg(info.Env(), images);
  return {[inputs, spec, rows] {
            PreprocessedRows out = PreprocessRows(*inputs, spec, rows);
            inputs->clear();
            return out;
          },
          [](Napi::Env env, PreprocessedRows& out) -> Napi::Value {
            Napi::Object result = Napi::Object::New(env);
            result.Set("tensor", TensorWrap::Wrap(env, out.tensor, false));
            Napi::Array failures = Napi::Array::New(env, out.failures.size());
            for (size_t i = 0; i < out.failures.size(); ++i)
              failures.Set(static_cast<uint32_t>(i),
                           out.failures[i] ? MakeJsError(env, *out.failures[i]).Value() : env.Null());
            result.Set("failures", failures);
            return result;
          }};
}

}  // namespace

void RegisterPreprocessApi(Napi::Env env, Napi::Object exports) {
  ExportOp(env, exports, "preprocess", &PreparePreprocess);
  ExportOp(env, exports, "preprocessRows", &PreparePreprocessRows);
}

}  // namespace tfcv
