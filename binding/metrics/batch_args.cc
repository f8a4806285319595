// See batch_args.h.
#include "metrics/batch_args.h"

#include <climits>

#include "common/env_state.h"
#include "common/errors.h"
#include "common/type_tags.h"
#include "cv/mat_wrap.h"
#include "tf/tensor_wrap.h"

namespace tfcv {
namespace {

int Dim(int64_t d, const std::string& what, const Shape& shape, const std::string& argName) {
  if (d <= 0 || d > INT_MAX)
    Fail(ErrorKind::kShape, argName + ": expected " + what + " in 1..2^31-1, got shape " + ShapeString(shape));
  return static_cast<int>(d);
}

ImageBatch FromTensor(TensorWrap& wrap, const std::string& argName) {
  const TensorRef& tensor = wrap.Ref(argName);
  const DType& dtype = tensor->dtype();
  if (dtype.tf == TF_STRING) Fail(ErrorKind::kDType, argName + ": expected a numeric tensor, got a string tensor");
  const Shape shape = tensor->shape();
  int64_t n;
  int rows, cols, channels;
  if (shape.size() == 2) {
    n = 1;
    rows = Dim(shape[0], "H", shape, argName);
    cols = Dim(shape[1], "W", shape, argName);
    channels = 1;
  } else if (shape.size() == 3 || shape.size() == 4) {
    n = shape[0];
    rows = Dim(shape[1], "H", shape, argName);
    cols = Dim(shape[2], "W", shape, argName);
    channels = shape.size() == 4 ? Dim(shape[3], "C", shape, argName) : 1;
  } else {
    Fail(ErrorKind::kShape,
         argName + ": expected a batch [N,H,W] or [N,H,W,C] (or one image [H,W]), got shape " + ShapeString(shape));
  }
  ImageBatch batch;
  batch.name = argName;
  batch.dtype = &dtype;
  const size_t step = static_cast<size_t>(cols) * channels * dtype.size;
  const size_t imageBytes = step * rows;
  const auto* base = static_cast<const uint8_t*>(tensor->data());
  batch.images.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) batch.images.push_back({base + imageBytes * i, rows, cols, channels, step});
  batch.pins.push_back(tensor);
  return batch;
}

void AddMat(ImageBatch& batch, MatWrap& wrap, const std::string& label) {
  const MatRef& ref = wrap.Ref(label);
  const cv::Mat& m = ref->mat;
  if (m.dims != 2 || m.empty()) Fail(ErrorKind::kShape, label + ": expected a non-empty 2-D Mat");
  const DType* dtype = DTypeByCvDepth(m.depth());
  if (dtype == nullptr)
    Fail(ErrorKind::kDType, label + ": OpenCV depth " + std::to_string(m.depth()) + " is not supported");
  if (batch.dtype != nullptr && batch.dtype != dtype)
    Fail(ErrorKind::kDType, label + ": every Mat of a batch needs one dtype: expected " +
                                std::string(batch.dtype->name) + " (like " + batch.name + "[0]), got " + dtype->name);
  batch.dtype = dtype;
  batch.images.push_back({m.data, m.rows, m.cols, m.channels(), m.step[0]});
  batch.pins.push_back(ref);
}

}  // namespace

ImageBatch ReadImageBatch(const Napi::Value& value, const std::string& argName) {
  if (HasTag(value, NativeKind::kTensor)) return FromTensor(TensorWrap::FromValue(value, argName), argName);
  ImageBatch batch;
  batch.name = argName;
  if (HasTag(value, NativeKind::kMat)) {
    AddMat(batch, MatWrap::FromValue(value, argName), argName);
    return batch;
  }
  if (!value.IsArray()) Fail(ErrorKind::kArgument, argName + ": expected a Tensor, a Mat or an array of Mats");
  Napi::Array items = value.As<Napi::Array>();
  for (uint32_t i = 0; i < items.Length(); ++i) {
    const std::string label = argName + "[" + std::to_string(i) + "]";
    Napi::Value item = items.Get(i);
    if (!HasTag(item, NativeKind::kMat)) Fail(ErrorKind::kArgument, label + ": expected a Mat");
    AddMat(batch, MatWrap::FromValue(item, label), label);
  }
  if (batch.dtype == nullptr) batch.dtype = DTypeByName("uint8");  // an empty batch
  return batch;
}

}  // namespace tfcv
