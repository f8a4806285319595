// JPEG decoding through libjpeg-turbo's TurboJPEG API rather than cv::imdecode. Why:
// - it is faster for the same libjpeg-turbo (one call into a preallocated Mat, no
//   per-scanline round trips through OpenCV's decoder), with identical pixels: the same
//   accurate integer IDCT and "fancy" upsampling that OpenCV asks libjpeg for;
// - it decodes at 1/2, 1/4 or 1/8 scale in the DCT domain (the factors OpenCV's
//   IMREAD_REDUCED_* flags use), which preprocess uses when the target is much smaller;
// - it is strict: libjpeg warnings (truncated data, corrupt entropy-coded segments) are
//   errors, where cv::imdecode returns a partly grey image.
// JPEGs TurboJPEG does not decode to BGR (CMYK/YCCK, 12-bit, odd sampling) are left to
// cv::imdecode by the caller (ReadHeader returns false).
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tfcv {

enum class JpegPixels { kBgr, kGray };

class JpegDecoder {
 public:
  JpegDecoder();
  ~JpegDecoder();
  JpegDecoder(const JpegDecoder&) = delete;
  JpegDecoder& operator=(const JpegDecoder&) = delete;

  // Reads the frame header of `data` (kept by pointer: it must outlive Decode). False when
  // this decoder cannot decode the image to BGR or gray; the caller falls back.
  bool ReadHeader(const uint8_t* data, size_t size);
  int width() const { return width_; }
  int height() const { return height_; }
  bool grayscale() const { return grayscale_; }

  // Decodes at 1/scaleDenom (1, 2, 4 or 8) of the full size, rounding up like libjpeg.
  // Throws DecodeError naming `argName` on any libjpeg error or warning.
  cv::Mat Decode(JpegPixels pixels, int scaleDenom, const std::string& argName);

  static int ScaledDim(int dim, int scaleDenom) { return (dim + scaleDenom - 1) / scaleDenom; }

 private:
  void* handle_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  int width_ = 0, height_ = 0;
  bool grayscale_ = false;
};

}  // namespace tfcv
