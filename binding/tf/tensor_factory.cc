// Tensor creation; see tensor_factory.h.
#include "tf/tensor_factory.h"

#include <tensorflow/c/tf_tstring.h>

#include <cstdlib>
#include <cstring>

#include "common/limits.h"
#include "common/errors.h"
#include "common/stats.h"

namespace tfcv {
namespace {

// Deallocator of string tensors we build: every TF_TString was initialised by us, so
// it is destroyed by us (TensorFlow's buffer for foreign memory does not run element
// destructors), then the aligned block is freed.
void DeallocateStrings(void* data, size_t len, void*) {
  auto* strings = static_cast<TF_TString*>(data);
  for (size_t i = 0, n = len / sizeof(TF_TString); i < n; ++i) TF_TString_Dealloc(&strings[i]);
  std::free(data);
}

void ReleaseForeignOwner(void*, size_t, void* arg) { delete static_cast<std::shared_ptr<void>*>(arg); }

std::vector<int64_t> Dims(const Shape& shape) { return std::vector<int64_t>(shape.begin(), shape.end()); }

}  // namespace

TensorRef AllocTensor(const DType& dtype, const Shape& shape) {
  size_t count = CheckedElementCount(shape, dtype.size, "tensor");
  CheckAllocation(static_cast<uint64_t>(count) * dtype.size, "tensor " + ShapeString(shape));
  if (dtype.tf == TF_STRING) return NewStringTensor(shape, std::vector<std::string>(count));
  auto dims = Dims(shape);
  TF_Tensor* t = TF_AllocateTensor(dtype.tf, dims.data(), static_cast<int>(dims.size()), count * dtype.size);
  if (t == nullptr)
    Fail(ErrorKind::kLimit, "tensor: TensorFlow could not allocate " + std::to_string(count * dtype.size) + " bytes");
  return std::make_shared<TensorOwner>(t);
}

TensorRef NewStringTensor(const Shape& shape, const std::vector<std::string>& values) {
  size_t count = CheckedElementCount(shape, sizeof(TF_TString), "string tensor");
  CheckAllocation(static_cast<uint64_t>(count) * sizeof(TF_TString), "string tensor " + ShapeString(shape));
  if (values.size() != count)
    Fail(ErrorKind::kShape, "string tensor: shape " + ShapeString(shape) + " holds " + std::to_string(count) +
                                " strings, got " + std::to_string(values.size()));
  size_t bytes = count * sizeof(TF_TString);
  // aligned_alloc wants a multiple of the alignment; a zero-size block still gets one line.
  size_t padded = ((bytes + kTensorAlignment - 1) / kTensorAlignment) * kTensorAlignment;
  void* block = std::aligned_alloc(kTensorAlignment, padded ? padded : kTensorAlignment);
  if (block == nullptr) throw std::bad_alloc();
  auto* strings = static_cast<TF_TString*>(block);
  for (size_t i = 0; i < count; ++i) {
    TF_TString_Init(&strings[i]);
    TF_TString_Copy(&strings[i], values[i].data(), values[i].size());
  }
  auto dims = Dims(shape);
  TF_Tensor* t =
      TF_NewTensor(TF_STRING, dims.data(), static_cast<int>(dims.size()), block, bytes, &DeallocateStrings, nullptr);
  if (t == nullptr) {
    DeallocateStrings(block, bytes, nullptr);
    Fail(ErrorKind::kLimit, "string tensor: TensorFlow refused the allocation");
  }
  return std::make_shared<TensorOwner>(t);
}

ForeignTensor WrapForeignMemory(const DType& dtype, const Shape& shape, void* data, size_t byteLength,
                                std::shared_ptr<void> owner) {
  auto dims = Dims(shape);
  auto* arg = new std::shared_ptr<void>(std::move(owner));
  TF_Tensor* t =
      TF_NewTensor(dtype.tf, dims.data(), static_cast<int>(dims.size()), data, byteLength, &ReleaseForeignOwner, arg);
  if (t == nullptr) {
    delete arg;
    Fail(ErrorKind::kShape,
         "tensor: TensorFlow rejected " + std::to_string(byteLength) + " bytes for shape " + ShapeString(shape));
  }
  ForeignTensor out{std::make_shared<TensorOwner>(t), false};
  // When TensorFlow copies (it does for unaligned memory) it has already released `arg`.
  out.zeroCopy = byteLength == 0 || out.tensor->data() == data;
  return out;
}

TensorRef FeedableTensor(const TensorRef& tensor) {
  if (!tensor->isRowView()) return tensor;
  const size_t bytes = tensor->byteLength();
  if (IsTensorAligned(tensor->data())) {
    ForeignTensor wrapped = WrapForeignMemory(tensor->dtype(), tensor->shape(), tensor->data(), bytes, tensor);
    if (wrapped.zeroCopy) return wrapped.tensor;
    Stats::Get().RecordCopy(static_cast<int64_t>(bytes));
    return wrapped.tensor;
  }
  TensorRef copy = AllocTensor(tensor->dtype(), tensor->shape());
  if (bytes) std::memcpy(copy->data(), tensor->data(), bytes);
  Stats::Get().RecordCopy(static_cast<int64_t>(bytes));
  return copy;
}

}  // namespace tfcv
