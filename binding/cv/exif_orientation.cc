// See exif_orientation.h. Only IFD0's Orientation entry is read; every offset is checked
// against the segment, so a malformed Exif block means "no orientation", never a bad read.
#include "cv/exif_orientation.h"

#include <cstring>

namespace tfcv {
namespace {

constexpr uint16_t kOrientationTag = 0x0112;

int OrientationFromTiff(const uint8_t* tiff, size_t size) {
  if (size < 8) return 1;
  bool le;
  if (std::memcmp(tiff, "II*\0", 4) == 0)
    le = true;
  else if (std::memcmp(tiff, "MM\0*", 4) == 0)
    le = false;
  else
    return 1;
  auto u16 = [&](size_t o) -> uint32_t { return le ? tiff[o] | (tiff[o + 1] << 8) : (tiff[o] << 8) | tiff[o + 1]; };
  auto u32 = [&](size_t o) -> uint32_t { return le ? u16(o) | (u16(o + 2) << 16) : (u16(o) << 16) | u16(o + 2); };
  size_t ifd = u32(4);
  if (ifd > size - 2) return 1;
  size_t count = u16(ifd);
  for (size_t i = 0; i < count; ++i) {
    size_t e = ifd + 2 + i * 12;
    if (e > size - 12) return 1;
    if (u16(e) == kOrientationTag) {
      uint32_t value = u16(e + 8);  // SHORT, left-justified in the value field
      return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
    }
  }
  return 1;
}

}  // namespace

int ReadJpegOrientation(const uint8_t* data, size_t size) {
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return 1;
  size_t o = 2;
  while (o + 4 <= size) {
    if (data[o] != 0xFF) return 1;
    uint8_t marker = data[o + 1];
    if (marker == 0xFF) {
      ++o;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return 1;  // image data begins: no Exif before it
    size_t length = (size_t{data[o + 2]} << 8) | data[o + 3];
    if (length < 2 || length > size - o - 2) return 1;
    if (marker == 0xE1 && length >= 8 && std::memcmp(data + o + 4, "Exif\0\0", 6) == 0)
      return OrientationFromTiff(data + o + 10, length - 8);
    o += 2 + length;
  }
  return 1;
}

cv::Mat ApplyOrientation(const cv::Mat& mat, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(mat, out, 1);
      return out;
    case 3:
      cv::flip(mat, out, -1);
      return out;
    case 4:
      cv::flip(mat, out, 0);
      return out;
    case 5:
      cv::transpose(mat, out);
      return out;
    case 6:
      cv::transpose(mat, out);
      cv::flip(out, out, 1);
      return out;
    case 7:
      cv::transpose(mat, out);
      cv::flip(out, out, -1);
      return out;
    case 8:
      cv::transpose(mat, out);
      cv::flip(out, out, 0);
      return out;
    default:
      return mat;
  }
}

}  // namespace tfcv
