// The fused preprocess: encoded images or Mats in, one batch tensor out. For each image,
// one native pass: decode (a JPEG at a reduced DCT scale when allowed), fit to the target
// size (stretch, letterbox or center-crop) with OpenCV's resize, then a single loop that
// reorders channels, normalises and writes into that image's slot of a tensor allocated by
// TensorFlow (aligned), in NHWC or NCHW. No JS between steps, no buffer beyond what
// OpenCV's resize writes; uint8 NHWC output in source channel order is resized straight
// into the slot. Images of a batch run in parallel on OpenCV's thread pool. Free of
// Node-API: runs on the libuv pool.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/dtype.h"
#include "common/errors.h"
#include "tf/tensor_owner.h"

namespace tfcv {

enum class FitMode { kStretch, kLetterbox, kCenterCrop };

struct PreprocessSpec {
  cv::Size size;
  FitMode fit = FitMode::kStretch;
  int interpolation = 1;         // cv::INTER_LINEAR
  int channels = 3;              // 1 or 3
  bool rgb = true;               // output channel order when channels == 3
  const DType* dtype = nullptr;  // float32 or uint8
  // Per output channel: y = x * scale + shift (from scale, mean, std); float32 only.
  std::vector<double> scale, shift;
  std::vector<double> fill;  // letterbox padding per output channel, a pixel value
  // evaluate()'s Keras convention, float32 only: y = float(x) / divisor (an IEEE division,
  // as `image.astype(np.float32) / 255` computes it) instead of the multiply-add; 0 = off.
  float divisor = 0;
  // The interpolation for an image the fit shrinks in either direction (e.g. INTER_AREA,
  // as evaluate() resizes); -1 = `interpolation` for every image.
  int shrinkInterpolation = -1;
  bool channelsFirst = false;  // NCHW
  bool reducedDecode = false;  // decodeScale 'auto'
  int64_t maxPixels = 0;
};

// One image: encoded bytes (owned copy) or a Mat header (BGR, BGRA or gray uint8; pinned).
struct PreprocessInput {
  std::shared_ptr<const std::vector<uint8_t>> encoded;
  cv::Mat mat;
};

// The batch tensor [N,H,W,C] or [N,C,H,W]. Throws the first failing image's error, its
// message starting with "images[i]"; the partly written tensor is released.
TensorRef Preprocess(const std::vector<PreprocessInput>& inputs, const PreprocessSpec& spec);

// The batcher's variant: images into rows 0..n-1 of a tensor of `rows` >= n rows whose
// other rows (padding, and the rows of images that failed) are zeros. A failing image
// does not fail the batch: its failure is returned in its slot, for its caller alone.
struct PreprocessedRows {
  TensorRef tensor;
  std::vector<std::optional<Failure>> failures;
};
PreprocessedRows PreprocessRows(const std::vector<PreprocessInput>& inputs, const PreprocessSpec& spec, int64_t rows);

}  // namespace tfcv
