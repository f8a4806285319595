// The ownership modes of every conversion (DESIGN.md): copy, share (zero-copy, the new
// object keeps the old owner alive) and move (ownership handed over, the source becomes
// unusable), and what to do when a zero-copy request cannot be honoured.
#pragma once

#include <string>

namespace tfcv {

enum class TransferMode { kCopy, kShare, kMove };
enum class Fallback { kCopy, kThrow };

TransferMode ParseTransferMode(const std::string& name, const std::string& argName);
Fallback ParseFallback(const std::string& name, const std::string& argName);

}  // namespace tfcv
