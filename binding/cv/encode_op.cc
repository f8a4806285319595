// encode(mat, format, quality, compression): a Mat to an encoded image in a Node Buffer,
// through cv::imencode. Depths a format cannot hold are refused instead of letting
// imencode convert them to uint8 silently (a float image in 0..1 would become black).
#include <opencv2/imgcodecs.hpp>

#include <vector>

#include "common/errors.h"
#include "common/js_args.h"
#include "cv/cv_args.h"
#include "cv/image_ops.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

struct Format {
  const char* name;
  const char* extension;
  bool sixteenBit;       // also holds uint16
  bool floats;           // also holds float32 / float64
  int qualityParam;      // the IMWRITE_ parameter options.quality sets, or -1
  int compressionParam;  // the IMWRITE_ parameter options.compression sets, or -1
};

const Format kJpeg{"jpeg", ".jpg", false, false, cv::IMWRITE_JPEG_QUALITY, -1};
const Format kPng{"png", ".png", true, false, -1, cv::IMWRITE_PNG_COMPRESSION};
const Format kBmp{"bmp", ".bmp", false, false, -1, -1};
const Format kWebp{"webp", ".webp", false, false, cv::IMWRITE_WEBP_QUALITY, -1};
const Format kTiff{"tiff", ".tiff", true, true, -1, -1};

const Format& FormatArg(const Napi::Value& value) {
  return *ChoiceArg<const Format*>(
      value, "format", {{"jpeg", &kJpeg}, {"png", &kPng}, {"bmp", &kBmp}, {"webp", &kWebp}, {"tiff", &kTiff}});
}

OpJob<std::vector<uchar>> PrepareEncode(const Napi::CallbackInfo& info) {
  cv::Mat src = MatArg(info[0], "mat");
  const Format& format = FormatArg(info[1]);
  RequireChannels(src, {1, 3, 4}, std::string("encode ") + format.name);
  if (format.floats)
    RequireDepth(src, {CV_8U, CV_16U, CV_32F, CV_64F}, std::string("encode ") + format.name);
  else if (format.sixteenBit)
    RequireDepth(src, {CV_8U, CV_16U}, std::string("encode ") + format.name);
  else
    RequireDepth(src, {CV_8U}, std::string("encode ") + format.name);
  std::vector<int> params;
  if (!info[2].IsUndefined()) {
    int quality = IntArg(info[2], "options.quality", 1, 100);
    if (format.qualityParam < 0)
      Fail(ErrorKind::kArgument,
           "options.quality: only for 'jpeg' and 'webp', got format '" + std::string(format.name) + "'");
    params = {format.qualityParam, quality};
  }
  if (!info[3].IsUndefined()) {
    int level = IntArg(info[3], "options.compression", 0, 9);
    if (format.compressionParam < 0)
      Fail(ErrorKind::kArgument, "options.compression: only for 'png', got format '" + std::string(format.name) + "'");
    params = {format.compressionParam, level};
  }
  const char* extension = format.extension;
  const char* name = format.name;
  return {[src, extension, name, params] {
            std::vector<uchar> out;
            if (!cv::imencode(extension, src, out, params))
              Fail(ErrorKind::kCv, std::string("encode: OpenCV could not encode the Mat as ") + name);
            return out;
          },
          [](Napi::Env env, std::vector<uchar>& bytes) -> Napi::Value {
            return Napi::Buffer<uchar>::Copy(env, bytes.data(), bytes.size());
          }};
}

}  // namespace

void RegisterEncodeOp(Napi::Env env, Napi::Object exports) { ExportOp(env, exports, "encode", &PrepareEncode); }

}  // namespace tfcv
