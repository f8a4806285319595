// The dtype table; see dtype.h.
#include "common/dtype.h"

#include <tensorflow/c/tf_tstring.h>

#include <opencv2/core.hpp>

namespace tfcv {
namespace {

const DType kDTypes[] = {
    {"float32", TF_FLOAT, 4, CV_32F},
    {"float64", TF_DOUBLE, 8, CV_64F},
    {"float16", TF_HALF, 2, CV_16F},
    {"int8", TF_INT8, 1, CV_8S},
    {"int16", TF_INT16, 2, CV_16S},
    {"int32", TF_INT32, 4, CV_32S},
    {"int64", TF_INT64, 8, kNoCvDepth},
    {"uint8", TF_UINT8, 1, CV_8U},
    {"uint16", TF_UINT16, 2, CV_16U},
    {"uint32", TF_UINT32, 4, kNoCvDepth},
    {"uint64", TF_UINT64, 8, kNoCvDepth},
    {"bool", TF_BOOL, 1, kNoCvDepth},
    {"string", TF_STRING, sizeof(TF_TString), kNoCvDepth},
};

}  // namespace

const DType* DTypeByName(const std::string& name) {
  for (const DType& d : kDTypes)
    if (name == d.name) return &d;
  return nullptr;
}

const DType* DTypeByTf(TF_DataType tf) {
  for (const DType& d : kDTypes)
    if (d.tf == tf) return &d;
  return nullptr;
}

const DType* DTypeByCvDepth(int depth) {
  for (const DType& d : kDTypes)
    if (d.cvDepth == depth) return &d;
  return nullptr;
}

std::string DTypeList() {
  std::string out;
  for (const DType& d : kDTypes) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out;
}

}  // namespace tfcv
