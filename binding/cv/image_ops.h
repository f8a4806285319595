// Registration of the image operations on Mats (one file per family of operations).
// Every operation is exported twice through ExportOp: `name` (async) and `nameSync`.
#pragma once

#include <napi.h>

namespace tfcv {

void RegisterEncodeOp(Napi::Env env, Napi::Object exports);     // cv/encode_op.cc
void RegisterGeometryOps(Napi::Env env, Napi::Object exports);  // cv/geometry_ops.cc
void RegisterColorOps(Napi::Env env, Napi::Object exports);     // cv/color_ops.cc
void RegisterContourOps(Napi::Env env, Napi::Object exports);   // cv/contours.cc
void RegisterAnalysisOps(Napi::Env env, Napi::Object exports);  // cv/analysis_ops.cc
void RegisterDrawOps(Napi::Env env, Napi::Object exports);      // cv/draw_ops.cc

// All of the above.
void RegisterImageOps(Napi::Env env, Napi::Object exports);

}  // namespace tfcv
