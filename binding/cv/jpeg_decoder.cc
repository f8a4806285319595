// See jpeg_decoder.h.
#include "cv/jpeg_decoder.h"

#include <turbojpeg.h>

#include <climits>
#include <new>

#include "common/errors.h"

namespace tfcv {

JpegDecoder::JpegDecoder() : handle_(tjInitDecompress()) {
  if (handle_ == nullptr) throw std::bad_alloc();
}

JpegDecoder::~JpegDecoder() { tjDestroy(static_cast<tjhandle>(handle_)); }

JpegDecoder::Header JpegDecoder::ReadHeader(const uint8_t* data, size_t size) {
  if (size > static_cast<size_t>(ULONG_MAX)) return Header::kInvalid;
  int subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(static_cast<tjhandle>(handle_), data, static_cast<unsigned long>(size), &width_, &height_,
                          &subsampling, &colorspace) != 0)
    return Header::kInvalid;
  if (width_ <= 0 || height_ <= 0) return Header::kInvalid;
  data_ = data;
  size_ = size;
  grayscale_ = subsampling == TJSAMP_GRAY;
  // CMYK / YCCK need a conversion to BGR libjpeg does not do; cv::imdecode does it.
  if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) return Header::kCmyk;
  return Header::kOk;
}

std::string JpegDecoder::error() const { return tjGetErrorStr2(static_cast<tjhandle>(handle_)); }

void JpegDecoder::Validate(const std::string& argName) {
  cv::Mat scratch(height_, width_, CV_8UC4);
  const int flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
  auto* handle = static_cast<tjhandle>(handle_);
  if (tjDecompress2(handle, data_, static_cast<unsigned long>(size_), scratch.data, width_,
                    static_cast<int>(scratch.step[0]), height_, TJPF_CMYK, flags) != 0) {
    const bool warning = tjGetErrorCode(handle) == TJERR_WARNING;
    Fail(ErrorKind::kDecode, argName + ": " + (warning ? "corrupt or truncated JPEG" : "undecodable JPEG") +
                                 " (libjpeg-turbo: " + tjGetErrorStr2(handle) + ")");
  }
}

cv::Mat JpegDecoder::Decode(JpegPixels pixels, int scaleDenom, const std::string& argName) {
  const int w = ScaledDim(width_, scaleDenom), h = ScaledDim(height_, scaleDenom);
  const bool gray = pixels == JpegPixels::kGray;
  cv::Mat out(h, w, gray ? CV_8UC1 : CV_8UC3);
  // Accurate DCT and fancy upsampling are TurboJPEG's decode defaults and what OpenCV uses;
  // ACCURATEDCT states it. LIMITSCANS refuses progressive JPEGs built to take minutes.
  const int flags = TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
  auto* handle = static_cast<tjhandle>(handle_);
  if (tjDecompress2(handle, data_, static_cast<unsigned long>(size_), out.data, w, static_cast<int>(out.step[0]), h,
                    gray ? TJPF_GRAY : TJPF_BGR, flags) != 0) {
    const bool warning = tjGetErrorCode(handle) == TJERR_WARNING;
    Fail(ErrorKind::kDecode, argName + ": " + (warning ? "corrupt or truncated JPEG" : "undecodable JPEG") +
                                 " (libjpeg-turbo: " + tjGetErrorStr2(handle) + ")");
  }
  return out;
}

}  // namespace tfcv
