// The ways tfcv creates TF_Tensors: TensorFlow-allocated (aligned, for filling in place),
// string tensors (TF_TString elements initialised and destroyed by us), and tensors over
// memory somebody else owns (zero-copy, the owner kept alive by the deallocator).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/shape.h"
#include "common/dtype.h"
#include "tf/tensor_owner.h"

namespace tfcv {

// TensorFlow requires 64-byte alignment for zero-copy (TF_NewTensor copies otherwise).
constexpr size_t kTensorAlignment = 64;

inline bool IsTensorAligned(const void* p) { return reinterpret_cast<uintptr_t>(p) % kTensorAlignment == 0; }

// Uninitialised (numeric) tensor memory from TensorFlow's allocator; string tensors get
// empty strings.
TensorRef AllocTensor(const DType& dtype, const Shape& shape);

// A string tensor holding copies of `values` (row-major, count must match the shape).
TensorRef NewStringTensor(const Shape& shape, const std::vector<std::string>& values);

struct ForeignTensor {
  TensorRef tensor;
  bool zeroCopy;  // false when TensorFlow refused the memory and copied it
};

// A tensor over `data`, which stays valid while `owner` lives. `owner` is released when
// TensorFlow drops the memory, possibly on a TensorFlow thread: its destructor must not
// call Node-API. The caller checks alignment first; TensorFlow copying anyway is reported.
ForeignTensor WrapForeignMemory(const DType& dtype, const Shape& shape, void* data, size_t byteLength,
                                std::shared_ptr<void> owner);

// What a run feeds for `tensor`: the tensor itself, or for a row view a TF_Tensor over the
// view's memory (zero copy, keeping the view alive) when the view starts on a 64-byte
// boundary, else a counted copy (TensorFlow would copy it anyway).
TensorRef FeedableTensor(const TensorRef& tensor);

}  // namespace tfcv
