// The one base of tfcv's JS-visible native handles (Tensor, Mat, Model): a JS object that
// holds one shared reference (`Held`: TensorRef, MatRef, ModelRef) to a native owner. It is
// written once here so the three handles cannot drift apart in the parts that keep the
// process safe:
// - construction: JS cannot build a handle (`new NativeTensor()` is an ArgumentError); native
//   code hands the reference to the constructor through a thread-local slot (NewHandle);
// - recognition: every handle is type-tagged (docs/design.md, practice 13) and FromValue checks the
//   tag before unwrapping, so a spoofed prototype is an ArgumentError, not a crash;
// - lifetime: Ref() throws DisposedError with the reason (disposed, or moved into another
//   object); MoveOut() hands the reference over; dispose() releases it at once while work in
//   flight keeps its own reference;
// - memory: native bytes are reported to V8 through one ExternalMemoryTicket, returned
//   exactly once (at dispose/move, or deferred from the finalizer).
// A derived class supplies `kKind` (its NativeKind), `kTypeName` ("Tensor") and
// `kConstructHint` (the factories a user should call instead of `new`).
#pragma once

#include <napi.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/env_state.h"
#include "common/errors.h"
#include "common/external_memory.h"
#include "common/type_tags.h"

namespace tfcv {

template <typename Derived, typename Held>
class HandleWrap : public Napi::ObjectWrap<Derived> {
 public:
  // What NewHandle passes to the constructor.
  struct Adoption {
    Held held;
    int64_t reportBytes = 0;    // native bytes to report to V8 for as long as the handle holds them
    bool sharesMemory = false;  // the memory is visible to another owner (a Mat, a JS buffer)
  };

  // Type-checked unwrap: anything but a live-or-disposed handle of this kind is an
  // ArgumentError naming `argName`.
  static Derived& FromValue(const Napi::Value& value, const std::string& argName) {
    if (!HasTag(value, Derived::kKind)) Fail(ErrorKind::kArgument, argName + ": expected a " + Derived::kTypeName);
    return *Napi::ObjectWrap<Derived>::Unwrap(value.As<Napi::Object>());
  }

  // The live reference, or DisposedError naming `argName` and why the handle is empty.
  const Held& Ref(const std::string& argName) const {
    if (!held_) Fail(ErrorKind::kDisposed, argName + ": the " + Derived::kTypeName + " was " + disposedReason_);
    return held_;
  }

  // Hands the reference over (mode 'move'): this handle becomes disposed with `reason`.
  Held MoveOut(Napi::Env env, const std::string& reason) {
    Held out = Ref(argNameOfSelf());
    Release(env, reason);
    return out;
  }

  bool sharesMemory() const { return sharesMemory_; }

 protected:
  explicit HandleWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Derived>(info) {
    Guarded(info.Env(), [&] {
      if (!pending())
        Fail(ErrorKind::kArgument,
             std::string(Derived::kTypeName) + ": not constructible directly; use " + Derived::kConstructHint);
      Adoption taken = std::move(*pending());
      pending().reset();
      sharesMemory_ = taken.sharesMemory;
      Reset(info.Env(), std::move(taken.held), taken.reportBytes);
      TagObject(info.Env(), info.This().As<Napi::Object>(), Derived::kKind);
    });
  }

  // The class with the members every handle has (`disposed`, `dispose()`), its constructor
  // kept in the environment's state for NewHandle.
  static Napi::Function DefineHandleClass(Napi::Env env, const char* className,
                                          std::vector<typename Napi::ObjectWrap<Derived>::PropertyDescriptor> members) {
    using Member = Napi::Value (Derived::*)(const Napi::CallbackInfo&);
    members.push_back(
        Napi::ObjectWrap<Derived>::InstanceAccessor("disposed", static_cast<Member>(&HandleWrap::Disposed), nullptr));
    members.push_back(Napi::ObjectWrap<Derived>::InstanceMethod("dispose", static_cast<Member>(&HandleWrap::Dispose)));
    Napi::Function ctor = Napi::ObjectWrap<Derived>::DefineClass(env, className, members);
    EnvState::Get(env).HandleConstructor(Derived::kKind) = Napi::Persistent(ctor);
    return ctor;
  }

  // A new JS handle adopting `adoption` (JS thread).
  static Napi::Object NewHandle(Napi::Env env, Adoption adoption) {
    struct ClearSlot {
      ~ClearSlot() { pending().reset(); }  // taken by the constructor; never left for a later `new`
    } clear;
    pending() = std::move(adoption);
    return EnvState::Get(env).HandleConstructor(Derived::kKind).New({});
  }

  // Replaces the held reference (copy-on-write), reporting the new memory instead of the old.
  void Reset(Napi::Env env, Held held, int64_t reportBytes) {
    ticket_.ReleaseNow(env);
    held_ = std::move(held);
    if (reportBytes > 0) ticket_ = ExternalMemoryTicket(env, reportBytes);
  }

  const Held& held() const { return held_; }
  // True when the handle still holds its reference and nobody else does.
  bool HeldUniquely() const { return held_ && held_.use_count() == 1; }
  int64_t reportedBytes() const { return ticket_.bytes(); }

 private:
  static std::optional<Adoption>& pending() {
    thread_local std::optional<Adoption> slot;
    return slot;
  }

  static std::string argNameOfSelf() {
    std::string name = Derived::kTypeName;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
  }

  void Release(Napi::Env env, const std::string& reason) {
    held_.reset();
    ticket_.ReleaseNow(env);
    disposedReason_ = reason;
  }

  Napi::Value Disposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), !held_); }

  // Work in flight keeps its own reference, so this only ends the handle's share.
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    if (held_) Release(info.Env(), "disposed");
    return info.Env().Undefined();
  }

  Held held_;
  ExternalMemoryTicket ticket_;
  std::string disposedReason_;
  bool sharesMemory_ = false;
};

}  // namespace tfcv
