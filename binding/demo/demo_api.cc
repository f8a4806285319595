// Native entry points for `tfcv demo` (and the report of `tfcv evaluate`): drawing the
// synthetic inspection set and encoding overlay PNGs. Both are small and synchronous.
#include "demo/demo_api.h"

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
#include "demo/overlay.h"
#include "demo/synthetic_shapes.h"
#include "metrics/batch_args.h"

namespace tfcv {
namespace {

// demoShapes(count, size, seed, maskOnly?): [{ image, mask, kind }], kinds cycling circle,
// ellipse, square (image is null with maskOnly).
Napi::Value DemoShapes(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const int count = IntArg(info[0], "count", 0, 100000);
    const int size = IntArg(info[1], "options.size", 32, 4096);
    const double seed = NumberArg(info[2], "options.seed");
    if (!(seed >= 0 && seed <= 4294967295.0) || seed != static_cast<double>(static_cast<uint64_t>(seed)))
      Fail(ErrorKind::kArgument, "options.seed: expected an integer in 0..2^32-1");
    // Refuse sizes that would need gigabytes before drawing anything.
    if (static_cast<double>(count) * size * size * 4 > 8.0e9)
      Fail(ErrorKind::kLimit, "count x size: the set would need more than 8 GB");
    const bool maskOnly = info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value();
    cv::RNG rng(static_cast<uint64_t>(seed) + 1);  // cv::RNG(0) would be a fixed default state
    Napi::Array out = Napi::Array::New(env, count);
    for (int i = 0; i < count; ++i) {
      SyntheticSample s = DrawSyntheticSample(rng, size, static_cast<ShapeKind>(i % 3), maskOnly);
      Napi::Object item = Napi::Object::New(env);
      item.Set("image", maskOnly ? env.Null() : MatWrap::Wrap(env, std::move(s.image)));
      item.Set("mask", MatWrap::Wrap(env, std::move(s.mask)));
      item.Set("kind", Napi::String::New(env, ShapeKindName(s.kind)));
      out.Set(static_cast<uint32_t>(i), item);
    }
    return out;
  });
}

cv::Mat PickImage(const Napi::Value& value, const Napi::Value& index, const std::string& argName) {
  ImageBatch batch = ReadImageBatch(value, argName);
  const int i = IntArg(index, argName + " index", 0, INT32_MAX);
  if (static_cast<size_t>(i) >= batch.size())
    Fail(ErrorKind::kArgument,
         argName + " index: " + std::to_string(i) + " is outside a batch of " + std::to_string(batch.size()));
  // A copy: the PNG is made now, but the pins go away with `batch`.
  return batch.Header(static_cast<size_t>(i), "an overlay").clone();
}

// demoOverlayPng(image, imageIndex, predicted, predictedIndex, truth | null, truthIndex, threshold, scale): Buffer
Napi::Value DemoOverlayPng(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    OverlayInput in;
    in.image = PickImage(info[0], info[1], "image");
    in.predicted = PickImage(info[2], info[3], "prediction");
    if (!info[4].IsNull() && !info[4].IsUndefined()) in.truth = PickImage(info[4], info[5], "truth");
    in.threshold = NumberArg(info[6], "options.threshold");
    in.scale = IntArg(info[7], "options.scale", 1, 32);
    std::vector<uint8_t> png = OverlayPng(in);
    return Napi::Buffer<uint8_t>::Copy(info.Env(), png.data(), png.size());
  });
}

}  // namespace

void RegisterDemoApi(Napi::Env env, Napi::Object exports) {
  exports.Set("demoShapes", Napi::Function::New<DemoShapes>(env, "demoShapes"));
  exports.Set("demoOverlayPng", Napi::Function::New<DemoOverlayPng>(env, "demoOverlayPng"));
}

}  // namespace tfcv
