// See image_ops.h: the one call addon.cc makes for all image operations.
#include "cv/image_ops.h"

namespace tfcv {

void RegisterImageOps(Napi::Env env, Napi::Object exports) {
  RegisterEncodeOp(env, exports);
  RegisterGeometryOps(env, exports);
  RegisterColorOps(env, exports);
  RegisterContourOps(env, exports);
  RegisterAnalysisOps(env, exports);
  RegisterDrawOps(env, exports);
}

}  // namespace tfcv
