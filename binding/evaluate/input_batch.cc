// See input_batch.h. uint8 -> float32 goes through a 256-entry table of float(v) / divisor,
// the same IEEE division `image.astype(np.float32) / 255` performs in Python, so tfcv feeds
// a model bit-identical inputs to the ones a Python pipeline computes.
#include "evaluate/input_batch.h"

#include <opencv2/imgproc.hpp>

#include <array>

#include "common/errors.h"
#include "common/parallel_images.h"
#include "tf/tensor_factory.h"

namespace tfcv {
namespace {

cv::Mat ToChannels(const cv::Mat& src, int channels, bool rgb, size_t index) {
  cv::Mat out;
  const int in = src.channels();
  if (channels == 1) {
    if (in == 1) out = src;
    else if (in == 3) cv::cvtColor(src, out, cv::COLOR_BGR2GRAY);
    else if (in == 4) cv::cvtColor(src, out, cv::COLOR_BGRA2GRAY);
  } else {
    if (in == 1) cv::cvtColor(src, out, rgb ? cv::COLOR_GRAY2RGB : cv::COLOR_GRAY2BGR);
    else if (in == 3) {
      if (rgb) cv::cvtColor(src, out, cv::COLOR_BGR2RGB);
      else out = src;
    } else if (in == 4) cv::cvtColor(src, out, rgb ? cv::COLOR_BGRA2RGB : cv::COLOR_BGRA2BGR);
  }
  if (out.empty())
    Fail(ErrorKind::kShape, "images[" + std::to_string(index) + "]: expected 1, 3 or 4 channels, got " + std::to_string(in));
  return out;
}

}  // namespace

TensorRef MakeInputBatch(const std::vector<cv::Mat>& images, const InputBatchSpec& spec) {
  if (spec.height < 1 || spec.width < 1) Fail(ErrorKind::kShape, "spec: height and width must be >= 1");
  if (spec.channels != 1 && spec.channels != 3) Fail(ErrorKind::kShape, "spec.channels: expected 1 or 3");
  for (size_t i = 0; i < images.size(); ++i)
    if (images[i].depth() != CV_8U)
      Fail(ErrorKind::kDType, "images[" + std::to_string(i) + "]: expected uint8 pixels (a decoded image), got OpenCV depth " +
                                  std::to_string(images[i].depth()));
  const DType& dtype = *DTypeByName(spec.asFloat ? "float32" : "uint8");
  TensorRef tensor = AllocTensor(dtype, {static_cast<int64_t>(images.size()), spec.height, spec.width, spec.channels});
  std::array<float, 256> table{};
  for (int v = 0; v < 256; ++v) table[v] = static_cast<float>(v) / spec.divisor;
  const size_t imageBytes = static_cast<size_t>(spec.height) * spec.width * spec.channels * dtype.size;
  auto* base = static_cast<uint8_t*>(tensor->data());
  ParallelForImages(images.size(), [&](size_t i) {
    cv::Mat pixels = ToChannels(images[i], spec.channels, spec.rgb, i);
    if (pixels.rows != spec.height || pixels.cols != spec.width) {
      cv::Mat resized;
      const bool shrinking = pixels.rows > spec.height || pixels.cols > spec.width;
      cv::resize(pixels, resized, cv::Size(spec.width, spec.height), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
      pixels = resized;
    }
    uint8_t* dst = base + imageBytes * i;
    if (!spec.asFloat) {
      pixels.copyTo(cv::Mat(spec.height, spec.width, CV_8UC(spec.channels), dst));
      return;
    }
    auto* out = reinterpret_cast<float*>(dst);
    const int perRow = spec.width * spec.channels;
    for (int r = 0; r < spec.height; ++r) {
      const uint8_t* row = pixels.ptr<uint8_t>(r);
      for (int c = 0; c < perRow; ++c) out[static_cast<size_t>(r) * perRow + c] = table[row[c]];
    }
  });
  return tensor;
}

}  // namespace tfcv
