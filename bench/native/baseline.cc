// The floor for bench/preprocess.js: JPEG bytes -> 224x224 RGB float32 NHWC, normalised
// with ImageNet mean / std, written the way a C++ engineer would with OpenCV and nothing
// else: imdecode, resize, cvtColor, convertTo, subtract, divide, one image after another
// into one output buffer. `reduced` decodes with OpenCV's IMREAD_REDUCED_COLOR_{2,4,8},
// the same scale tfcv's decodeScale 'auto' picks, to compare like with like.
//
// run(buffers: Buffer[], width, height, reduce: 1 | 2 | 4 | 8) -> ArrayBuffer (float32)
#include <node_api.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace {

napi_value Throw(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

int ReducedFlag(int reduce) {
  switch (reduce) {
    case 2: return cv::IMREAD_REDUCED_COLOR_2;
    case 4: return cv::IMREAD_REDUCED_COLOR_4;
    case 8: return cv::IMREAD_REDUCED_COLOR_8;
    default: return cv::IMREAD_COLOR;
  }
}

napi_value Run(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint32_t count = 0;
  int32_t width = 0, height = 0, reduce = 1;
  if (napi_get_array_length(env, argv[0], &count) != napi_ok || napi_get_value_int32(env, argv[1], &width) != napi_ok ||
      napi_get_value_int32(env, argv[2], &height) != napi_ok || napi_get_value_int32(env, argv[3], &reduce) != napi_ok)
    return Throw(env, "run(buffers, width, height, reduce)");

  const size_t slot = static_cast<size_t>(width) * height * 3;
  void* out = nullptr;
  napi_value result;
  napi_create_arraybuffer(env, slot * count * sizeof(float), &out, &result);
  const cv::Scalar mean(0.485, 0.456, 0.406), stddev(0.229, 0.224, 0.225);
  try {
    for (uint32_t i = 0; i < count; ++i) {
      napi_value item;
      void* data = nullptr;
      size_t length = 0;
      napi_get_element(env, argv[0], i, &item);
      if (napi_get_buffer_info(env, item, &data, &length) != napi_ok) return Throw(env, "buffers: expected Buffers");
      cv::Mat bgr = cv::imdecode(cv::Mat(1, static_cast<int>(length), CV_8U, data), ReducedFlag(reduce));
      if (bgr.empty()) return Throw(env, "undecodable image");
      cv::Mat resized, rgb;
      cv::resize(bgr, resized, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
      cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
      cv::Mat tensor(height, width, CV_32FC3, static_cast<float*>(out) + i * slot);
      rgb.convertTo(tensor, CV_32F, 1.0 / 255);
      cv::subtract(tensor, mean, tensor);
      cv::divide(tensor, stddev, tensor);
    }
  } catch (const cv::Exception& e) {
    return Throw(env, e.what());
  }
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, Run, nullptr, &fn);
  napi_set_named_property(env, exports, "run", fn);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
