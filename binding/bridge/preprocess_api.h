// Registers preprocess / preprocessSync (bridge/preprocess_api.cc).
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterPreprocessApi(Napi::Env env, Napi::Object exports);
}
