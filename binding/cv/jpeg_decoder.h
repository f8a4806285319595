// JPEG decoding through libjpeg-turbo's TurboJPEG API rather than cv::imdecode. Why:
// - it is faster for the same libjpeg-turbo (one call into a preallocated Mat, no
//   per-scanline round trips through OpenCV's decoder), with identical pixels: the same
//   accurate integer IDCT and "fancy" upsampling that OpenCV asks libjpeg for;
// - it decodes at 1/2, 1/4 or 1/8 scale in the DCT domain (the factors OpenCV's
//   IMREAD_REDUCED_* flags use), which preprocess uses when the target is much smaller;
// - it is strict: libjpeg warnings (truncated data, corrupt entropy-coded segments) are
//   errors, where cv::imdecode returns a partly grey image.
// CMYK/YCCK JPEGs are left to cv::imdecode (its CMYK->BGR conversion) by the caller, but
// only after Validate() has decoded them strictly once: cv::imdecode prints libjpeg's
// warnings and returns a partial image. A JPEG whose header TurboJPEG cannot read is a
// DecodeError: no other path may decode it more leniently.
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

  enum class Header { kOk, kCmyk, kInvalid };
  // Reads the frame header of `data` (kept by pointer: it must outlive Decode). kCmyk: the
  // image is CMYK/YCCK (dimensions are set; Decode cannot make BGR of it, Validate can
  // check it). kInvalid: no readable JPEG header; error() says why.
  Header ReadHeader(const uint8_t* data, size_t size);
  std::string error() const;
  int width() const { return width_; }
  int height() const { return height_; }
  bool grayscale() const { return grayscale_; }

  // Decodes at 1/scaleDenom (1, 2, 4 or 8) of the full size, rounding up like libjpeg.
  // Throws DecodeError naming `argName` on any libjpeg error or warning.
  cv::Mat Decode(JpegPixels pixels, int scaleDenom, const std::string& argName);

  // Decodes a kCmyk image strictly into scratch memory; DecodeError on any libjpeg
  // error or warning.
  void Validate(const std::string& argName);

  static int ScaledDim(int dim, int scaleDenom) { return (dim + scaleDenom - 1) / scaleDenom; }

 private:
  void* handle_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  int width_ = 0, height_ = 0;
  bool grayscale_ = false;
};

}  // namespace tfcv
