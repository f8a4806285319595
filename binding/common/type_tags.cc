// See type_tags.h. The tags are random 128-bit values fixed for tfcv.
#include "common/type_tags.h"

namespace tfcv {
namespace {

const napi_type_tag* TagOf(NativeKind kind) {
  static const napi_type_tag kTensor = {0x7f3c1a9e52d84b61ULL, 0xa51e0c7d9b2f4e38ULL};
  static const napi_type_tag kMat = {0x2b9d6e41c0a7f583ULL, 0x94c1e7a3d25b0f6eULL};
  static const napi_type_tag kModel = {0xd1408f7b3e9c2a65ULL, 0x6e2a9f0c4b7d1e83ULL};
  switch (kind) {
    case NativeKind::kTensor:
      return &kTensor;
    case NativeKind::kMat:
      return &kMat;
    default:
      return &kModel;
  }
}

}  // namespace

void TagObject(Napi::Env env, const Napi::Object& object, NativeKind kind) {
  napi_type_tag_object(env, object, TagOf(kind));
}

bool HasTag(const Napi::Value& value, NativeKind kind) {
  if (value.IsEmpty() || !value.IsObject()) return false;
  bool result = false;
  if (napi_check_object_type_tag(value.Env(), value, TagOf(kind), &result) != napi_ok) return false;
  return result;
}

}  // namespace tfcv
