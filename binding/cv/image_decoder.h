// Decoding encoded images (any format the system OpenCV reads) with tfcv's rules: a pixel
// limit checked from the header before decoding, strict errors (DecodeError, LimitError,
// never a partial image), JPEGs through TurboJPEG (optionally at a reduced DCT scale) and
// everything else through cv::imdecode. Free of Node-API: runs on any thread.
#pragma once

#include <napi.h>
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace tfcv {

// Default decode limit: 100 megapixels (documented in the README).
constexpr int64_t kDefaultMaxPixels = 100'000'000;
// The most a caller may allow: OpenCV's own CV_IO_MAX_IMAGE_PIXELS default.
constexpr int64_t kMaxMaxPixels = int64_t{1} << 30;

enum class DecodeMode { kColor, kGrayscale, kUnchanged };

// 'color' | 'grayscale' | 'unchanged'; ArgumentError naming `name` otherwise.
DecodeMode ParseDecodeMode(const Napi::Value& value, const std::string& name);

struct DecodeRequest {
  DecodeMode mode = DecodeMode::kColor;
  int64_t maxPixels = kDefaultMaxPixels;
  // Decode at 1/reduce of the size (1, 2, 4 or 8), like OpenCV's IMREAD_REDUCED_* flags:
  // JPEGs in the DCT domain (sizes rounded up), other formats decoded in full and then
  // resized to floor(size / reduce) with INTER_LINEAR_EXACT.
  int reduce = 1;
  // When set, a JPEG may be decoded at 1/2, 1/4 or 1/8 scale: the smallest one whose
  // upright size this accepts. Other formats are always decoded at full size.
  std::function<bool(cv::Size)> acceptsReducedSize;
};

struct DecodedImage {
  cv::Mat mat;
  int scaleDenom = 1;  // 1, 2, 4 or 8
};

// `argName` starts every error message ("data", "images[3]").
DecodedImage DecodeImage(const uint8_t* data, size_t size, const DecodeRequest& request, const std::string& argName);

}  // namespace tfcv
