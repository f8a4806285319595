// Node-API type tags of tfcv's native objects (docs/design.md, practice 13). A tag is attached
// when a wrap is constructed and checked before anything is unwrapped: an object that only
// looks like a Tensor or Mat (Object.create(NativeTensor.prototype), a prototype swapped
// with setPrototypeOf) passes `instanceof` but carries no tag, and is refused with an
// ArgumentError instead of reaching napi_unwrap's untyped "Invalid argument".
#pragma once

#include <napi.h>

#include <cstddef>

namespace tfcv {

enum class NativeKind { kTensor, kMat, kModel };
inline constexpr size_t kNativeKindCount = 3;

// Tags `object` as a native object of `kind` (JS thread; once per object).
void TagObject(Napi::Env env, const Napi::Object& object, NativeKind kind);

// True when `value` is an object tagged as `kind`. Never throws.
bool HasTag(const Napi::Value& value, NativeKind kind);

}  // namespace tfcv
