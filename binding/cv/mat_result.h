// The shared tail of image operations that return a new Mat: the Mat owns fresh memory
// from OpenCV's allocator and is reported to V8 as external memory.
#pragma once

#include <napi.h>

#include <opencv2/core.hpp>

#include <functional>
#include <utility>

#include "cv/mat_wrap.h"
#include "workers/op_job.h"

namespace tfcv {

inline Napi::Value WrapNewMat(Napi::Env env, cv::Mat& mat) { return MatWrap::Wrap(env, std::move(mat)); }

inline OpJob<cv::Mat> MatJob(std::function<cv::Mat()> work) { return OpJob<cv::Mat>{std::move(work), WrapNewMat}; }

}  // namespace tfcv
