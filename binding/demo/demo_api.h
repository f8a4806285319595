// Registers the demo's native helpers: the synthetic shape set and report overlays.
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterDemoApi(Napi::Env env, Napi::Object exports);
}
