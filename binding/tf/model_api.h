// Registers the model-loading entry points and the NativeModel class.
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterModelApi(Napi::Env env, Napi::Object exports);
}
