// RAII over TF_Status and the one helper that turns a non-OK status into a TfError
// carrying TensorFlow's code name (INVALID_ARGUMENT, NOT_FOUND, ...).
#pragma once

#include <tensorflow/c/tf_status.h>

#include <memory>
#include <string>

namespace tfcv {

using StatusPtr = std::unique_ptr<TF_Status, decltype(&TF_DeleteStatus)>;

inline StatusPtr NewStatus() { return StatusPtr(TF_NewStatus(), &TF_DeleteStatus); }

const char* TfCodeName(TF_Code code);

// Throws TypedError(kTf) when `status` is not OK; `context` says what was being done.
void CheckStatus(const TF_Status* status, const std::string& context);

}  // namespace tfcv
