// Image dimensions read from the first bytes of an encoded image, before any pixel is
// decoded, so that a decode limit (maxPixels) refuses a decompression bomb without
// allocating it. OpenCV 4.6 has no public header-only API, so the formats its system
// build decodes are parsed here: JPEG, PNG, BMP, WebP, TIFF, PNM/PAM/PFM, Sun raster and
// Radiance HDR. Anything else is checked after decoding (and capped by OpenCV's own limit).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tfcv {

struct ImageHeader {
  const char* format = nullptr;  // "jpeg", "png", ...; nullptr when not recognised
  int64_t width = 0;
  int64_t height = 0;
  // The data ends before the image does (PNG without its IEND chunk, uncompressed BMP
  // shorter than its pixel array): refused before the codec sees it, which would only fail
  // later, and loudly on stderr.
  bool truncated = false;
  bool known() const { return format != nullptr && width > 0 && height > 0; }
};

// Never reads outside [data, data + size); a truncated or odd header gives known() == false.
ImageHeader ReadImageHeader(const uint8_t* data, size_t size);

}  // namespace tfcv
