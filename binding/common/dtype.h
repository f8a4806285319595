// The dtypes tfcv exposes, with their TensorFlow enum, element size and OpenCV depth.
// One table so that names, sizes and Mat mappings cannot drift apart.
#pragma once

#include <tensorflow/c/tf_datatype.h>

#include <cstddef>
#include <string>

namespace tfcv {

constexpr int kNoCvDepth = -1;

struct DType {
  const char* name;  // the facade's name: 'float32', 'uint8', ...
  TF_DataType tf;
  size_t size;  // bytes per element (sizeof(TF_TString) for string)
  int cvDepth;  // CV_8U ... or kNoCvDepth when OpenCV has no such depth
};

const DType* DTypeByName(const std::string& name);  // nullptr when unknown
const DType* DTypeByTf(TF_DataType tf);             // nullptr when unsupported
const DType* DTypeByCvDepth(int depth);             // nullptr when unsupported
std::string DTypeList();                            // "float32, float64, ..." for messages

}  // namespace tfcv
