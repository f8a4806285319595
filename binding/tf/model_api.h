// Registers the model entry points (load, run: async and sync twins) and the NativeModel class.
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterModelApi(Napi::Env env, Napi::Object exports);
}
