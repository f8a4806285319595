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
  bool sixteenBit;  // also holds uint16
  bool floats;      // also holds float32 / float64
};

const Format kFormats[] = {
    {"jpeg", ".jpg", false, false},  {"png", ".png", true, false},  {"bmp", ".bmp", false, false},
    {"webp", ".webp", false, false}, {"tiff", ".tiff", true, true},
};

const Format& FormatArg(const Napi::Value& value) {
  std::string s = StringArg(value, "format");
  for (const Format& f : kFormats)
    if (s == f.name) return f;
  Fail(ErrorKind::kArgument, "format: expected 'jpeg' | 'png' | 'bmp' | 'webp' | 'tiff', got '" + s + "'");
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
    if (std::string(format.name) == "jpeg")
      params = {cv::IMWRITE_JPEG_QUALITY, quality};
    else if (std::string(format.name) == "webp")
      params = {cv::IMWRITE_WEBP_QUALITY, quality};
    else
      Fail(ErrorKind::kArgument,
           "options.quality: only for 'jpeg' and 'webp', got format '" + std::string(format.name) + "'");
  }
  if (!info[3].IsUndefined()) {
    int level = IntArg(info[3], "options.compression", 0, 9);
    if (std::string(format.name) != "png")
      Fail(ErrorKind::kArgument, "options.compression: only for 'png', got format '" + std::string(format.name) + "'");
    params = {cv::IMWRITE_PNG_COMPRESSION, level};
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
