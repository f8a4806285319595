// Native entry points of object detection: NMS, COCO matching and accumulation, and
// drawing detections. The facade (lib/detection/) validates and packs the arguments.
#pragma once

#include <napi.h>

namespace tfcv {

void RegisterDetectionApi(Napi::Env env, Napi::Object exports);

}  // namespace tfcv
