// See transfer_mode.h.
#include "bridge/transfer_mode.h"

#include "common/js_args.h"

namespace tfcv {

TransferMode ParseTransferMode(const Napi::Value& value, const std::string& name) {
  return ChoiceArg<TransferMode>(
      value, name, {{"copy", TransferMode::kCopy}, {"share", TransferMode::kShare}, {"move", TransferMode::kMove}});
}

Fallback ParseFallback(const Napi::Value& value, const std::string& name) {
  return ChoiceArg<Fallback>(value, name, {{"copy", Fallback::kCopy}, {"throw", Fallback::kThrow}});
}

}  // namespace tfcv
