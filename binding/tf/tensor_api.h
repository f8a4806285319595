// Registers the Tensor-creating entry points on the addon's exports.
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterTensorApi(Napi::Env env, Napi::Object exports);
}
