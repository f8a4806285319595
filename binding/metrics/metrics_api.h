// Registers the native metric kernels (each with a sync and an off-the-event-loop form).
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterMetricsApi(Napi::Env env, Napi::Object exports);
}
