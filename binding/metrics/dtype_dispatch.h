// Calls a generic lambda with a value of the C++ element type of a tensor dtype, so that a
// kernel is written once as a template and instantiated per dtype (bool reads as uint8,
// float16 as cv::float16_t). Strings have no element type: a DTypeError.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>

#include "common/errors.h"
#include "common/dtype.h"

namespace tfcv {

template <typename Fn>
decltype(auto) DispatchDType(const DType& dtype, const std::string& argName, Fn&& fn) {
  switch (dtype.tf) {
    case TF_FLOAT:
      return fn(float{});
    case TF_DOUBLE:
      return fn(double{});
    case TF_HALF:
      return fn(cv::float16_t{});
    case TF_INT8:
      return fn(int8_t{});
    case TF_INT16:
      return fn(int16_t{});
    case TF_INT32:
      return fn(int32_t{});
    case TF_INT64:
      return fn(int64_t{});
    case TF_UINT8:
      return fn(uint8_t{});
    case TF_BOOL:
      return fn(uint8_t{});
    case TF_UINT16:
      return fn(uint16_t{});
    case TF_UINT32:
      return fn(uint32_t{});
    case TF_UINT64:
      return fn(uint64_t{});
    default:
      Fail(ErrorKind::kDType, argName + ": expected a numeric dtype, got " + std::string(dtype.name));
  }
}

// Element value as a double (float16 through float).
template <typename T>
inline double AsDouble(T v) {
  if constexpr (std::is_same_v<T, cv::float16_t>)
    return static_cast<double>(static_cast<float>(v));
  else
    return static_cast<double>(v);
}

template <typename T>
constexpr bool kIsFloat = std::is_floating_point_v<T> || std::is_same_v<T, cv::float16_t>;

}  // namespace tfcv
