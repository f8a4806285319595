// Registers the Mat-creating entry points (from bytes, zeros, image decode).
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterMatApi(Napi::Env env, Napi::Object exports);
}
