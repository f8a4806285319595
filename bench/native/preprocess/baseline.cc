// The floor for bench/preprocess.js: JPEG bytes -> 224x224 RGB float32 NHWC, normalised
// with ImageNet mean / std, written the way a C++ engineer would with OpenCV and nothing
// else: imdecode, resize, cvtColor, convertTo, subtract, divide, one image after another
// into one output buffer. `reduced` decodes with OpenCV's IMREAD_REDUCED_COLOR_{2,4,8},
// the same scale tfcv's decodeScale 'auto' picks, to compare like with like.
//
// run(buffers: Buffer[], width, height, reduce: 1 | 2 | 4 | 8) -> ArrayBuffer (float32), on
// the calling thread; runAsync(...) -> Promise<ArrayBuffer>, the same loop on the libuv
// pool (napi_async_work), so the thread hop tfcv pays is paid here too.
#include <node_api.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

napi_value Throw(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

int ReducedFlag(int reduce) {
  switch (reduce) {
    case 2:
      return cv::IMREAD_REDUCED_COLOR_2;
    case 4:
      return cv::IMREAD_REDUCED_COLOR_4;
    case 8:
      return cv::IMREAD_REDUCED_COLOR_8;
    default:
      return cv::IMREAD_COLOR;
  }
}

struct Job {
  std::vector<std::pair<const uint8_t*, size_t>> images;  // pinned by `refs` while the job runs
  std::vector<napi_ref> refs;
  int width = 0, height = 0, reduce = 1;
  float* out = nullptr;
  napi_ref outRef = nullptr;
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;
  std::string error;
};

// The steps themselves: plain OpenCV, one image after another.
void Preprocess(Job& job) {
  const size_t slot = static_cast<size_t>(job.width) * job.height * 3;
  const cv::Scalar mean(0.485, 0.456, 0.406), stddev(0.229, 0.224, 0.225);
  try {
    for (size_t i = 0; i < job.images.size(); ++i) {
      const auto& [data, length] = job.images[i];
      cv::Mat bgr = cv::imdecode(cv::Mat(1, static_cast<int>(length), CV_8U, const_cast<uint8_t*>(data)),
                                 ReducedFlag(job.reduce));
      if (bgr.empty()) {
        job.error = "undecodable image";
        return;
      }
      cv::Mat resized, rgb;
      cv::resize(bgr, resized, cv::Size(job.width, job.height), 0, 0, cv::INTER_LINEAR);
      cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
      cv::Mat tensor(job.height, job.width, CV_32FC3, job.out + i * slot);
      rgb.convertTo(tensor, CV_32F, 1.0 / 255);
      cv::subtract(tensor, mean, tensor);
      cv::divide(tensor, stddev, tensor);
    }
  } catch (const cv::Exception& e) {
    job.error = e.what();
  }
}

// Reads (buffers, width, height, reduce) and allocates the output; returns it, or nullptr
// after throwing.
napi_value Prepare(napi_env env, napi_callback_info info, Job& job, bool pin) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  uint32_t count = 0;
  if (napi_get_array_length(env, argv[0], &count) != napi_ok ||
      napi_get_value_int32(env, argv[1], &job.width) != napi_ok ||
      napi_get_value_int32(env, argv[2], &job.height) != napi_ok ||
      napi_get_value_int32(env, argv[3], &job.reduce) != napi_ok)
    return Throw(env, "run(buffers, width, height, reduce)");
  for (uint32_t i = 0; i < count; ++i) {
    napi_value item;
    void* data = nullptr;
    size_t length = 0;
    napi_get_element(env, argv[0], i, &item);
    if (napi_get_buffer_info(env, item, &data, &length) != napi_ok) return Throw(env, "buffers: expected Buffers");
    job.images.emplace_back(static_cast<const uint8_t*>(data), length);
    if (pin) {
      napi_ref ref;
      napi_create_reference(env, item, 1, &ref);
      job.refs.push_back(ref);
    }
  }
  void* out = nullptr;
  napi_value result;
  napi_create_arraybuffer(env, static_cast<size_t>(job.width) * job.height * 3 * count * sizeof(float), &out, &result);
  job.out = static_cast<float*>(out);
  return result;
}

napi_value Run(napi_env env, napi_callback_info info) {
  Job job;
  napi_value result = Prepare(env, info, job, false);
  if (result == nullptr) return nullptr;
  Preprocess(job);
  if (!job.error.empty()) return Throw(env, job.error.c_str());
  return result;
}

napi_value RunAsync(napi_env env, napi_callback_info info) {
  auto* job = new Job();
  napi_value result = Prepare(env, info, *job, true);
  if (result == nullptr) {
    for (napi_ref ref : job->refs) napi_delete_reference(env, ref);
    delete job;
    return nullptr;
  }
  napi_create_reference(env, result, 1, &job->outRef);
  napi_value promise, name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "baseline", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(
      env, nullptr, name, [](napi_env, void* data) { Preprocess(*static_cast<Job*>(data)); },
      [](napi_env env, napi_status, void* data) {
        auto* job = static_cast<Job*>(data);
        napi_value out;
        napi_get_reference_value(env, job->outRef, &out);
        if (job->error.empty()) {
          napi_resolve_deferred(env, job->deferred, out);
        } else {
          napi_value message, error;
          napi_create_string_utf8(env, job->error.c_str(), NAPI_AUTO_LENGTH, &message);
          napi_create_error(env, nullptr, message, &error);
          napi_reject_deferred(env, job->deferred, error);
        }
        for (napi_ref ref : job->refs) napi_delete_reference(env, ref);
        napi_delete_reference(env, job->outRef);
        napi_delete_async_work(env, job->work);
        delete job;
      },
      job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, Run, nullptr, &fn);
  napi_set_named_property(env, exports, "run", fn);
  napi_create_function(env, "runAsync", NAPI_AUTO_LENGTH, RunAsync, nullptr, &fn);
  napi_set_named_property(env, exports, "runAsync", fn);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
