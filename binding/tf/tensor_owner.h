// Sole owner of one TF_Tensor. Everything that must keep tensor memory alive (the JS
// Tensor, zero-copy ArrayBuffer views, Mats sharing it) holds a TensorRef, so the
// TF_Tensor is deleted only when the last of them lets go, on whatever thread that is.
// A row view (the batcher's split of a batch output) owns no TF_Tensor of its own: it is a
// slice of rows of a parent it keeps alive, and becomes a TF_Tensor only when fed to a run
// (FeedableTensor in tensor_factory.h), because TensorFlow cannot alias part of a buffer.
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

  // Rows [firstRow, firstRow + rowCount) of dim 0 of `parent` (numeric, rank >= 1), zero
  // copy; the parent lives while the view does. Throws ArgumentError/ShapeError when the
  // rows are out of range.
  static std::shared_ptr<TensorOwner> RowView(const std::shared_ptr<TensorOwner>& parent, int64_t firstRow,
                                              int64_t rowCount);

  // The TF_Tensor; InternalError for a row view (feed it through FeedableTensor).
  TF_Tensor* get() const;
  void* data() const { return view_ ? view_->data : TF_TensorData(tensor_); }
  size_t byteLength() const { return view_ ? view_->byteLength : TF_TensorByteSize(tensor_); }
  const DType& dtype() const { return *dtype_; }
  Shape shape() const;
  size_t elementCount() const;
  bool isRowView() const { return view_ != nullptr; }
  // True when TensorFlow holds no other reference to the buffer and owns the memory
  // (TF_TensorMaybeMove), so tfcv may hand it to a new owner that writes into it. Always
  // false for a row view (its memory belongs to the parent).
  bool IsUniquelyOwned();

 private:
  struct RowSlice {
    std::shared_ptr<TensorOwner> parent;
    void* data;
    size_t byteLength;
    Shape shape;
  };
  TensorOwner(std::unique_ptr<RowSlice> view, const DType* dtype);

  TF_Tensor* tensor_ = nullptr;
  const DType* dtype_;
  std::unique_ptr<RowSlice> view_;
};

using TensorRef = std::shared_ptr<TensorOwner>;

}  // namespace tfcv
