// See tensor_owner.h.
#include "tf/tensor_owner.h"

#include "common/errors.h"
#include "common/stats.h"

namespace tfcv {

TensorOwner::TensorOwner(TF_Tensor* tensor) : tensor_(tensor), dtype_(DTypeByTf(TF_TensorType(tensor))) {
  if (dtype_ == nullptr) {
    const int type = static_cast<int>(TF_TensorType(tensor));
    TF_DeleteTensor(tensor);
    Fail(ErrorKind::kDType, "tensor: TensorFlow dtype " + std::to_string(type) +
                                " is not supported by tfcv (supported: " + DTypeList() + ")");
  }
  Stats::Get().liveTensors.fetch_add(1, std::memory_order_relaxed);
}

TensorOwner::~TensorOwner() {
  TF_DeleteTensor(tensor_);
  Stats::Get().liveTensors.fetch_sub(1, std::memory_order_relaxed);
}

bool TensorOwner::IsUniquelyOwned() {
  // TF_TensorMaybeMove deletes its argument on success and returns a handle over the same
  // buffer; on failure it leaves the argument untouched.
  TF_Tensor* moved = TF_TensorMaybeMove(tensor_);
  if (moved == nullptr) return false;
  tensor_ = moved;
  return true;
}

Shape TensorOwner::shape() const {
  Shape shape(TF_NumDims(tensor_));
  for (size_t i = 0; i < shape.size(); ++i) shape[i] = TF_Dim(tensor_, static_cast<int>(i));
  return shape;
}

}  // namespace tfcv
