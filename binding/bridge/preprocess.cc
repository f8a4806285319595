// See preprocess.h. The order of steps is the documented chain of single operations
// (decode, crop, resize, letterbox padding, cvtColor, convertTo, toTensor), so results
// match that chain exactly; only the loop that writes the slot is hand-written, because
// fusing the channel order, the normalisation and the layout into the tensor write is
// the point.
#include "bridge/preprocess.h"

#include <cstring>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <functional>
#include <optional>
#include <string>
#include <type_traits>

#include "common/errors.h"
#include "cv/channel_affine.h"
#include "cv/fit_geometry.h"
#include "cv/image_decoder.h"
#include "tf/tensor_factory.h"

namespace tfcv {
namespace {

// Where the fitted image goes in the target (the whole target except for letterbox).
struct Fitted {
  cv::Mat pixels;  // uint8, 1, 3 or 4 channels
  cv::Rect placement;
};

// What the scaled JPEG decode must keep so that the final resize still only shrinks.
std::function<bool(cv::Size)> ReducedSizeRule(const PreprocessSpec& spec) {
  const cv::Size target = spec.size;
  if (spec.fit == FitMode::kLetterbox)
    return [target](cv::Size s) { return s.width >= target.width || s.height >= target.height; };
  return [target](cv::Size s) { return s.width >= target.width && s.height >= target.height; };
}

cv::Mat SourceImage(const PreprocessInput& input, const PreprocessSpec& spec, const std::string& argName) {
  if (input.encoded) {
    DecodeRequest request;
    request.mode = spec.channels == 1 ? DecodeMode::kGrayscale : DecodeMode::kColor;
    request.maxPixels = spec.maxPixels;
    if (spec.reducedDecode) request.acceptsReducedSize = ReducedSizeRule(spec);
    return DecodeImage(input.encoded->data(), input.encoded->size(), request, argName).mat;
  }
  // A weighted gray sum does not commute with resizing: convert first, as the chain does.
  if (spec.channels == 1 && input.mat.channels() != 1) {
    cv::Mat gray;
    cv::cvtColor(input.mat, gray, input.mat.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return gray;
  }
  return input.mat;
}

// The resized pixels and where they go. `into`, when given, is a uint8 slot header that
// the resize writes directly (the identity fast path).
Fitted Fit(const cv::Mat& src, const PreprocessSpec& spec, cv::Mat* into) {
  Fitted out;
  out.placement = cv::Rect(cv::Point(0, 0), spec.size);
  cv::Mat region = src;
  if (spec.fit == FitMode::kCenterCrop) region = src(CenterCropRect(src.size(), spec.size));
  if (spec.fit == FitMode::kLetterbox) {
    LetterboxFit fit = FitLetterbox(src.size(), spec.size);
    out.placement = cv::Rect(fit.offset, fit.inner);
  }
  if (into != nullptr) out.pixels = (*into)(out.placement);  // a header: resize fills the slot
  const bool shrinking = region.rows > out.placement.height || region.cols > out.placement.width;
  const int interpolation = shrinking && spec.shrinkInterpolation >= 0 ? spec.shrinkInterpolation : spec.interpolation;
  cv::resize(region, out.pixels, out.placement.size(), 0, 0, interpolation);
  return out;
}

// Output channel k reads source channel map[k].
std::vector<int> ChannelMap(int sourceChannels, const PreprocessSpec& spec) {
  if (spec.channels == 1) return {0};
  if (sourceChannels == 1) return {0, 0, 0};
  return spec.rgb ? std::vector<int>{2, 1, 0} : std::vector<int>{0, 1, 2};
}

// Writes one image's slot: the fitted pixels inside `placement`, the fill value around it.
template <typename Out>
void WriteSlot(const Fitted& fitted, const PreprocessSpec& spec, const std::vector<int>& map, Out* slot) {
  const int H = spec.size.height, W = spec.size.width, C = spec.channels;
  const int cin = fitted.pixels.channels();
  const cv::Rect& p = fitted.placement;
  constexpr bool kFloat = std::is_same<Out, float>::value;
  // The output value of each uint8 input value, per channel: the same arithmetic per pixel
  // as computing it in the loop, done 256 times instead of H x W times.
  Out table[3][256];
  Out border[3];
  for (int k = 0; k < C; ++k) {
    const float a = static_cast<float>(spec.scale[k]), b = static_cast<float>(spec.shift[k]);
    for (int v = 0; v < 256; ++v) {
      if constexpr (kFloat)
        table[k][v] =
            spec.divisor > 0 ? static_cast<float>(v) / spec.divisor : AffineValue(static_cast<float>(v), a, b);
      else
        table[k][v] = static_cast<Out>(v);
    }
    border[k] = table[k][cv::saturate_cast<uint8_t>(spec.fill[k])];
  }
  // Element (y, x, k) lives at base + y*rowStep + x*pixelStep + k*channelStep.
  const size_t channelStep = spec.channelsFirst ? static_cast<size_t>(H) * W : 1;
  const size_t pixelStep = spec.channelsFirst ? 1 : C;
  const size_t rowStep = pixelStep * W;
  for (int y = 0; y < H; ++y) {
    Out* row = slot + y * rowStep;
    const bool inside = y >= p.y && y < p.y + p.height;
    const uint8_t* src = inside ? fitted.pixels.ptr<uint8_t>(y - p.y) : nullptr;
    for (int k = 0; k < C; ++k) {
      Out* out = row + k * channelStep;
      const int from = map[k];
      const int x0 = inside ? p.x : W, x1 = inside ? p.x + p.width : W;
      for (int x = 0; x < x0; ++x) out[x * pixelStep] = border[k];
      const Out* lookup = table[k];
      for (int x = x0; x < x1; ++x) out[x * pixelStep] = lookup[src[(x - p.x) * cin + from]];
      for (int x = x1; x < W; ++x) out[x * pixelStep] = border[k];
    }
  }
}

void PreprocessOne(const PreprocessInput& input, const PreprocessSpec& spec, uint8_t* slot,
                   const std::string& argName) {
  cv::Mat src = SourceImage(input, spec, argName);
  const bool isFloat = spec.dtype->cvDepth == CV_32F;
  const bool identity = spec.channels == src.channels() && (spec.channels == 1 || !spec.rgb);
  if (!isFloat && identity && !spec.channelsFirst) {
    cv::Mat slotMat(spec.size, CV_MAKETYPE(CV_8U, spec.channels), slot);
    if (spec.fit == FitMode::kLetterbox)
      slotMat.setTo(
          cv::Scalar(spec.fill[0], spec.channels > 1 ? spec.fill[1] : 0, spec.channels > 2 ? spec.fill[2] : 0));
    Fit(src, spec, &slotMat);
    return;
  }
  Fitted fitted = Fit(src, spec, nullptr);
  std::vector<int> map = ChannelMap(src.channels(), spec);
  if (isFloat)
    WriteSlot(fitted, spec, map, reinterpret_cast<float*>(slot));
  else
    WriteSlot(fitted, spec, map, slot);
}

}  // namespace

PreprocessedRows PreprocessRows(const std::vector<PreprocessInput>& inputs, const PreprocessSpec& spec, int64_t rows) {
  const int64_t n = static_cast<int64_t>(inputs.size());
  const int64_t H = spec.size.height, W = spec.size.width, C = spec.channels;
  Shape shape = spec.channelsFirst ? Shape{rows, C, H, W} : Shape{rows, H, W, C};
  PreprocessedRows out{AllocTensor(*spec.dtype, shape), std::vector<std::optional<Failure>>(inputs.size())};
  const size_t slotBytes = static_cast<size_t>(H * W * C) * spec.dtype->size;
  auto* base = static_cast<uint8_t*>(out.tensor->data());
  if (rows > n) std::memset(base + n * slotBytes, 0, static_cast<size_t>(rows - n) * slotBytes);

  cv::parallel_for_(cv::Range(0, static_cast<int>(n)), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      const std::string argName = "images[" + std::to_string(i) + "]";
      try {
        PreprocessOne(inputs[i], spec, base + i * slotBytes, argName);
      } catch (...) {
        Failure f = CurrentFailure();
        if (f.message.rfind(argName, 0) != 0) f.message = argName + ": " + f.message;
        out.failures[i] = std::move(f);
        // A half-written row would still be computed on; zeros keep the batch defined.
        std::memset(base + i * slotBytes, 0, slotBytes);
      }
    }
  });
  return out;
}

TensorRef Preprocess(const std::vector<PreprocessInput>& inputs, const PreprocessSpec& spec) {
  PreprocessedRows out = PreprocessRows(inputs, spec, static_cast<int64_t>(inputs.size()));
  // The first failing image decides; the tensor is released with this scope.
  for (auto& f : out.failures)
    if (f) throw TypedError(std::move(*f));
  return std::move(out.tensor);
}

}  // namespace tfcv
