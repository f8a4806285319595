// Reading a metric input from JS: a Tensor (a batch: [N,H,W] or [N,H,W,C]; [H,W] is one
// image), one Mat, or an array of Mats, into an ImageBatch that pins the memory. The
// facade validates first and gives the friendly messages; this layer guarantees that a
// direct call with anything else is a typed error, never undefined behaviour.
#pragma once

#include <napi.h>

#include <string>

#include "metrics/image_batch.h"

namespace tfcv {

ImageBatch ReadImageBatch(const Napi::Value& value, const std::string& argName);

}  // namespace tfcv
