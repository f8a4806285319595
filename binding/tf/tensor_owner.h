// Sole owner of one TF_Tensor. Everything that must keep tensor memory alive (the JS
// Tensor, zero-copy ArrayBuffer views, Mats sharing it) holds a TensorRef, so the
// TF_Tensor is deleted only when the last of them lets go, on whatever thread that is.
#pragma once

#include <tensorflow/c/tf_tensor.h>

#include <memory>

#include "common/shape.h"
#include "common/dtype.h"

namespace tfcv {

class TensorOwner {
 public:
  explicit TensorOwner(TF_Tensor* tensor);
  ~TensorOwner();
  TensorOwner(const TensorOwner&) = delete;
  TensorOwner& operator=(const TensorOwner&) = delete;

  TF_Tensor* get() const { return tensor_; }
  void* data() const { return TF_TensorData(tensor_); }
  size_t byteLength() const { return TF_TensorByteSize(tensor_); }
  const DType& dtype() const { return *dtype_; }
  Shape shape() const;
  size_t elementCount() const { return static_cast<size_t>(TF_TensorElementCount(tensor_)); }
  // True when TensorFlow holds no other reference to the buffer and owns the memory
  // (TF_TensorMaybeMove), so tfcv may hand it to a new owner that writes into it.
  bool IsUniquelyOwned();

 private:
  TF_Tensor* tensor_;
  const DType* dtype_;
};

using TensorRef = std::shared_ptr<TensorOwner>;

}  // namespace tfcv
