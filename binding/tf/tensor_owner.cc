// See tensor_owner.h.
#include "tf/tensor_owner.h"

#include "common/errors.h"
#include "common/stats.h"

#include <cstdint>

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

TensorOwner::TensorOwner(std::unique_ptr<RowSlice> view, const DType* dtype) : dtype_(dtype), view_(std::move(view)) {
  Stats::Get().liveTensors.fetch_add(1, std::memory_order_relaxed);
}

TensorOwner::~TensorOwner() {
  if (tensor_ != nullptr) TF_DeleteTensor(tensor_);
  Stats::Get().liveTensors.fetch_sub(1, std::memory_order_relaxed);
}

std::shared_ptr<TensorOwner> TensorOwner::RowView(const std::shared_ptr<TensorOwner>& parent, int64_t firstRow,
                                                  int64_t rowCount) {
  if (parent->dtype().tf == TF_STRING)
    Fail(ErrorKind::kDType, "tensor: string tensors have no row views (their elements are not flat memory)");
  Shape shape = parent->shape();
  if (shape.empty()) Fail(ErrorKind::kShape, "tensor: a scalar has no rows");
  if (firstRow < 0 || rowCount < 0 || firstRow > shape[0] || rowCount > shape[0] - firstRow)
    Fail(ErrorKind::kShape, "rows: [" + std::to_string(firstRow) + ", " + std::to_string(firstRow + rowCount) +
                                ") is outside the tensor's " + std::to_string(shape[0]) + " rows");
  const size_t rowBytes = shape[0] == 0 ? 0 : parent->byteLength() / static_cast<size_t>(shape[0]);
  auto slice = std::make_unique<RowSlice>();
  // A view of a view points at the root: chains of parents never form.
  slice->parent = parent->view_ ? parent->view_->parent : parent;
  slice->data = static_cast<uint8_t*>(parent->data()) + static_cast<size_t>(firstRow) * rowBytes;
  slice->byteLength = static_cast<size_t>(rowCount) * rowBytes;
  shape[0] = rowCount;
  slice->shape = std::move(shape);
  return std::shared_ptr<TensorOwner>(new TensorOwner(std::move(slice), &parent->dtype()));
}

TF_Tensor* TensorOwner::get() const {
  if (view_) Fail(ErrorKind::kInternal, "tensor: a row view has no TF_Tensor of its own");
  return tensor_;
}

size_t TensorOwner::elementCount() const {
  if (!view_) return static_cast<size_t>(TF_TensorElementCount(tensor_));
  size_t n = 1;
  for (int64_t d : view_->shape) n *= static_cast<size_t>(d);
  return n;
}

bool TensorOwner::IsUniquelyOwned() {
  if (view_) return false;
  // TF_TensorMaybeMove deletes its argument on success and returns a handle over the same
  // buffer; on failure it leaves the argument untouched.
  TF_Tensor* moved = TF_TensorMaybeMove(tensor_);
  if (moved == nullptr) return false;
  tensor_ = moved;
  return true;
}

Shape TensorOwner::shape() const {
  if (view_) return view_->shape;
  Shape shape(TF_NumDims(tensor_));
  for (size_t i = 0; i < shape.size(); ++i) shape[i] = TF_Dim(tensor_, static_cast<int>(i));
  return shape;
}

}  // namespace tfcv
