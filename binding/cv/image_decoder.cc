// See image_decoder.h.
#include "cv/image_decoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <climits>
#include <cstring>

#include "common/errors.h"
#include "common/js_args.h"
#include "common/limits.h"
#include "cv/exif_orientation.h"
#include "cv/image_header.h"
#include "cv/jpeg_decoder.h"
#include "cv/png_integrity.h"

namespace tfcv {
namespace {

void CheckPixels(int64_t width, int64_t height, const DecodeRequest& request, const std::string& argName,
                 const char* format) {
  // The decoded image (up to 4 channels of up to 2 bytes: 8 bytes a pixel at most; 3 for colour).
  if (width > 0 && height > 0)
    CheckAllocation(
        static_cast<uint64_t>(width) * static_cast<uint64_t>(height) * (request.mode == DecodeMode::kGrayscale ? 1 : 3),
        argName + ": the decoded " + format + " image");
  if (width * height <= request.maxPixels) return;
  Fail(ErrorKind::kLimit, argName + ": the " + format + " image is " + std::to_string(width) + "x" +
                              std::to_string(height) + " (" + std::to_string(width * height) +
                              " pixels), over maxPixels " + std::to_string(request.maxPixels));
}

int ImreadFlags(DecodeMode mode) {
  switch (mode) {
    case DecodeMode::kGrayscale:
      return cv::IMREAD_GRAYSCALE;
    case DecodeMode::kUnchanged:
      return cv::IMREAD_UNCHANGED;
    default:
      return cv::IMREAD_COLOR;
  }
}

// The TurboJPEG path for every JPEG (SOI marker): false only for a CMYK/YCCK JPEG, which it
// has decoded strictly once (any libjpeg warning is a DecodeError) and leaves to OpenCV's
// conversion. A header TurboJPEG cannot read is a DecodeError, never a lenient fallback:
// cv::imdecode prints "Corrupt JPEG data" and returns a partial image.
bool DecodeJpeg(const uint8_t* data, size_t size, const DecodeRequest& request, const std::string& argName,
                DecodedImage& out) {
  JpegDecoder decoder;
  const JpegDecoder::Header header = decoder.ReadHeader(data, size);
  if (header == JpegDecoder::Header::kInvalid)
    Fail(ErrorKind::kDecode, argName + ": not a decodable JPEG (libjpeg-turbo: " + decoder.error() + ")");
  CheckPixels(decoder.width(), decoder.height(), request, argName, "jpeg");
  if (header == JpegDecoder::Header::kCmyk) {
    decoder.Validate(argName);
    return false;
  }
  // cv::imdecode turns the image upright for the color and grayscale flags only.
  const int orientation = request.mode == DecodeMode::kUnchanged ? 1 : ReadJpegOrientation(data, size);
  if (request.reduce > 1) {
    out.scaleDenom = request.reduce;
  } else if (request.acceptsReducedSize) {
    for (int denom : {8, 4, 2}) {
      cv::Size scaled(JpegDecoder::ScaledDim(decoder.width(), denom), JpegDecoder::ScaledDim(decoder.height(), denom));
      if (OrientationSwapsAxes(orientation)) scaled = cv::Size(scaled.height, scaled.width);
      if (request.acceptsReducedSize(scaled)) {
        out.scaleDenom = denom;
        break;
      }
    }
  }
  const bool gray =
      request.mode == DecodeMode::kGrayscale || (request.mode == DecodeMode::kUnchanged && decoder.grayscale());
  out.mat = ApplyOrientation(decoder.Decode(gray ? JpegPixels::kGray : JpegPixels::kBgr, out.scaleDenom, argName),
                             orientation);
  return true;
}

}  // namespace

DecodeMode ParseDecodeMode(const Napi::Value& value, const std::string& name) {
  return ChoiceArg<DecodeMode>(
      value, name,
      {{"color", DecodeMode::kColor}, {"grayscale", DecodeMode::kGrayscale}, {"unchanged", DecodeMode::kUnchanged}});
}

DecodedImage DecodeImage(const uint8_t* data, size_t size, const DecodeRequest& request, const std::string& argName) {
  if (size == 0) Fail(ErrorKind::kDecode, argName + ": cannot decode an empty buffer");
  if (size > static_cast<size_t>(INT_MAX))
    Fail(ErrorKind::kLimit, argName + ": an encoded image of " + std::to_string(size) + " bytes is over 2^31-1 bytes");
  const ImageHeader header = ReadImageHeader(data, size);
  if (header.known()) CheckPixels(header.width, header.height, request, argName, header.format);
  if (header.truncated)
    Fail(ErrorKind::kDecode, argName + ": truncated " + header.format + " (" + std::to_string(size) +
                                 " bytes end before the image data does)");

  // By signature, not by header: a PNG whose IHDR our header reader cannot parse still goes through the check.
  if (size >= 8 && std::memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) CheckPngIntegrity(data, size, argName);

  DecodedImage out;
  const bool jpeg = size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
  if (jpeg && DecodeJpeg(data, size, request, argName, out)) return out;

  try {
    // A header over the caller's bytes: imdecode reads them in place.
    out.mat =
        cv::imdecode(cv::Mat(1, static_cast<int>(size), CV_8U, const_cast<uint8_t*>(data)), ImreadFlags(request.mode));
  } catch (const cv::Exception& e) {
    // OpenCV's own size cap (CV_IO_MAX_IMAGE_PIXELS) guards formats without a header reader here.
    if (e.err.find("CV_IO_MAX_IMAGE_PIXELS") != std::string::npos)
      Fail(ErrorKind::kLimit, argName + ": the image is larger than OpenCV's limit of 2^30 pixels");
    Fail(ErrorKind::kDecode, argName + ": OpenCV could not decode the image: " + e.err);
  }
  if (out.mat.empty())
    Fail(ErrorKind::kDecode, argName + ": not a decodable image (" + std::to_string(size) +
                                 " bytes; corrupt, truncated or an unsupported format)");
  // Formats without a header reader are checked now (memory was spent, the limit holds).
  CheckPixels(out.mat.cols, out.mat.rows, request, argName, header.known() ? header.format : "decoded");
  if (request.reduce > 1) {
    cv::Size reduced(out.mat.cols / request.reduce, out.mat.rows / request.reduce);
    if (reduced.empty())
      Fail(ErrorKind::kShape, argName + ": a " + std::to_string(out.mat.cols) + "x" + std::to_string(out.mat.rows) +
                                  " image reduced 1/" + std::to_string(request.reduce) + " is empty");
    cv::resize(out.mat, out.mat, reduced, 0, 0, cv::INTER_LINEAR_EXACT);
    out.scaleDenom = request.reduce;
  }
  return out;
}

}  // namespace tfcv
