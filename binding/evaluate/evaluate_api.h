// Registers the batch builders of evaluate() (model inputs and truth masks).
#pragma once

#include <napi.h>

namespace tfcv {
void RegisterEvaluateApi(Napi::Env env, Napi::Object exports);
}
