// See transfer_mode.h.
#include "bridge/transfer_mode.h"

#include "common/errors.h"

namespace tfcv {

TransferMode ParseTransferMode(const std::string& name, const std::string& argName) {
  if (name == "copy") return TransferMode::kCopy;
  if (name == "share") return TransferMode::kShare;
  if (name == "move") return TransferMode::kMove;
  Fail(ErrorKind::kArgument, argName + ": expected 'copy' | 'share' | 'move', got '" + name + "'");
}

Fallback ParseFallback(const std::string& name, const std::string& argName) {
  if (name == "copy") return Fallback::kCopy;
  if (name == "throw") return Fallback::kThrow;
  Fail(ErrorKind::kArgument, argName + ": expected 'copy' | 'throw', got '" + name + "'");
}

}  // namespace tfcv
