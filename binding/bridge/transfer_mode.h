// The ownership modes of every conversion (docs/design.md, "Ownership"): copy, share (zero-copy, the new
// object keeps the old owner alive) and move (ownership handed over, the source becomes
// unusable), and what to do when a zero-copy request cannot be honoured.
#pragma once

#include <napi.h>

#include <string>

namespace tfcv {

enum class TransferMode { kCopy, kShare, kMove };
enum class Fallback { kCopy, kThrow };

TransferMode ParseTransferMode(const Napi::Value& value, const std::string& name);
Fallback ParseFallback(const Napi::Value& value, const std::string& name);

}  // namespace tfcv
