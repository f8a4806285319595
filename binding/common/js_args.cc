// See js_args.h.
#include "common/js_args.h"

#include <cmath>

#include "common/errors.h"

namespace tfcv {

std::string StringArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsString()) Fail(ErrorKind::kArgument, name + ": expected a string");
  return v.As<Napi::String>().Utf8Value();
}

double NumberArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsNumber()) Fail(ErrorKind::kArgument, name + ": expected a number");
  return v.As<Napi::Number>().DoubleValue();
}

int IntArg(const Napi::Value& v, const std::string& name, int min, int max) {
  double d = NumberArg(v, name);
  if (!std::isfinite(d) || std::floor(d) != d || d < min || d > max)
    Fail(ErrorKind::kArgument, name + ": expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                                   ", got " + std::to_string(d));
  return static_cast<int>(d);
}

bool BoolArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsBoolean()) Fail(ErrorKind::kArgument, name + ": expected a boolean");
  return v.As<Napi::Boolean>().Value();
}

Napi::Object ObjectArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsObject()) Fail(ErrorKind::kArgument, name + ": expected an object");
  return v.As<Napi::Object>();
}

std::vector<std::string> StringListArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsArray()) Fail(ErrorKind::kArgument, name + ": expected an array of strings");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < a.Length(); ++i) out.push_back(StringArg(a.Get(i), name + "[" + std::to_string(i) + "]"));
  return out;
}

const DType& DTypeArg(const Napi::Value& v, const std::string& name) {
  std::string s = StringArg(v, name);
  const DType* d = DTypeByName(s);
  if (d == nullptr) Fail(ErrorKind::kDType, name + ": expected one of " + DTypeList() + ", got '" + s + "'");
  return *d;
}

Shape ShapeArg(const Napi::Value& v, const std::string& name) {
  if (!v.IsArray()) Fail(ErrorKind::kShape, name + ": expected an array of non-negative integers");
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() > kMaxRank)
    Fail(ErrorKind::kShape,
         name + ": expected rank <= " + std::to_string(kMaxRank) + ", got " + std::to_string(a.Length()));
  Shape shape;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1;
    if (!e.IsNumber() || !std::isfinite(d) || std::floor(d) != d || d < 0 || d > 9007199254740991.0)
      Fail(ErrorKind::kShape,
           name + ": expected non-negative integer dims, got a bad value at index " + std::to_string(i));
    shape.push_back(static_cast<int64_t>(d));
  }
  return shape;
}

int ChoiceArg(const Napi::Value& v, const std::string& name,
              std::initializer_list<std::pair<const char*, int>> choices) {
  return ChoiceArg<int>(v, name, choices);
}

}  // namespace tfcv
