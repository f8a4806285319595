// A strict integrity check of PNG data before cv::imdecode decodes it. OpenCV's PNG decoder
// installs no warning handler, so libpng's "benign" errors (an incorrect zlib data check,
// too much or too little image data, extra compressed data, a CRC error in a chunk) are
// printed to stderr and the image is returned anyway: corrupt pixels or a partial image
// without an error. This check walks the chunks (CRCs), inflates the IDAT stream into a
// small scratch buffer (checksum, exact raw size for the IHDR geometry, Adam7 included) and
// throws DecodeError on any of them. Free of Node-API: runs on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tfcv {

// DecodeError naming `argName` when `data` (starting with the PNG signature) is corrupt.
void CheckPngIntegrity(const uint8_t* data, size_t size, const std::string& argName);

}  // namespace tfcv
