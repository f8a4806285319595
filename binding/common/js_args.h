// Reading plain arguments from JS on the native side. The facade validates first and
// gives the friendly messages; these checks only guarantee that a direct call with
// garbage gets a typed error instead of undefined behaviour.
#pragma once

#include <napi.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "common/shape.h"
#include "common/dtype.h"
#include "common/errors.h"

namespace tfcv {

std::string StringArg(const Napi::Value& v, const std::string& name);
double NumberArg(const Napi::Value& v, const std::string& name);
int IntArg(const Napi::Value& v, const std::string& name, int min, int max);
bool BoolArg(const Napi::Value& v, const std::string& name);
Napi::Object ObjectArg(const Napi::Value& v, const std::string& name);
// An array of strings; an element that is not one is named as `name[i]`.
std::vector<std::string> StringListArg(const Napi::Value& v, const std::string& name);
const DType& DTypeArg(const Napi::Value& v, const std::string& name);
Shape ShapeArg(const Napi::Value& v, const std::string& name);

// A string option mapped to a value, e.g. {"minmax", cv::NORM_MINMAX}; anything else is an
// ArgumentError "name: expected 'a' | 'b', got 'x'" listing the choices in order. The one
// parser of string options: ChoiceArg<T> maps to any value type (enums, bools, OpenCV constants).
template <typename T>
T ChoiceArg(const Napi::Value& v, const std::string& name, std::initializer_list<std::pair<const char*, T>> choices) {
  std::string s = StringArg(v, name);
  std::string expected;
  for (const auto& [label, value] : choices) {
    if (s == label) return value;
    expected += (expected.empty() ? "'" : " | '") + std::string(label) + "'";
  }
  Fail(ErrorKind::kArgument, name + ": expected " + expected + ", got '" + s + "'");
}

int ChoiceArg(const Napi::Value& v, const std::string& name,
              std::initializer_list<std::pair<const char*, int>> choices);

}  // namespace tfcv
