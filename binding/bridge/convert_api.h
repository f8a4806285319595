// Registers the Mat <-> Tensor conversion entry points (sync and async).
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterConvertApi(Napi::Env env, Napi::Object exports);
}
