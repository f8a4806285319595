// See mat_tensor.h. Every path either aliases memory with the owner kept alive, or copies
// and records the copy in Stats; a zero-copy request that falls back says why.
#include "bridge/mat_tensor.h"

#include <climits>
#include <cstring>
#include <vector>

#include "common/errors.h"
#include "common/stats.h"
#include "cv/foreign_allocator.h"
#include "tf/tensor_factory.h"

namespace tfcv {
namespace {

// The reason a zero-copy Mat -> Tensor conversion is impossible, or empty.
std::string WhyMatCannotBeShared(const cv::Mat& mat, const MatToTensorOptions& o) {
  if (o.dtype != nullptr && o.dtype->cvDepth != mat.depth())
    return "dtype changes from " + std::string(DTypeByCvDepth(mat.depth())->name) + " to " + o.dtype->name;
  if (o.channelsFirst && mat.channels() > 1) return "layout changes from HWC to CHW";
  if (!mat.isContinuous()) return "the Mat is not continuous (an ROI or strided view)";
  if (!IsTensorAligned(mat.data)) return "the Mat's data is not 64-byte aligned";
  if (o.mode == TransferMode::kMove && !o.sourceExclusive)
    return "the Mat's buffer is shared with another Mat, tensor or view, so it cannot be moved";
  return "";
}

void CopyMatInto(const cv::Mat& mat, const TensorOwner& tensor, const MatToTensorOptions& o) {
  const int depth = tensor.dtype().cvDepth;
  const int channels = mat.channels();
  auto* base = static_cast<uint8_t*>(tensor.data());
  if (!o.channelsFirst || channels == 1) {
    cv::Mat dst(mat.rows, mat.cols, CV_MAKETYPE(depth, channels), base);
    if (depth == mat.depth())
      mat.copyTo(dst);
    else
      mat.convertTo(dst, depth);
  } else {
    const size_t planeBytes = static_cast<size_t>(mat.rows) * mat.cols * CV_ELEM_SIZE(depth);
    std::vector<cv::Mat> planes;
    for (int c = 0; c < channels; ++c)
      planes.emplace_back(mat.rows, mat.cols, CV_MAKETYPE(depth, 1), base + c * planeBytes);
    if (depth == mat.depth()) {
      cv::split(mat, planes.data());
    } else {
      cv::Mat converted;
      mat.convertTo(converted, depth);
      cv::split(converted, planes.data());
    }
  }
}

}  // namespace

TensorResult MatToTensor(const cv::Mat& mat, const MatToTensorOptions& o) {
  if (mat.empty() || mat.dims != 2) Fail(ErrorKind::kShape, "mat: expected a non-empty 2-D Mat");
  const DType* source = DTypeByCvDepth(mat.depth());
  if (source == nullptr)
    Fail(ErrorKind::kDType, "mat: OpenCV depth " + std::to_string(mat.depth()) + " has no tensor dtype");
  const DType& target = o.dtype ? *o.dtype : *source;
  if (target.cvDepth == kNoCvDepth)
    Fail(ErrorKind::kDType,
         "options.dtype: expected a dtype OpenCV can convert to (float32, float64, float16, int8, "
         "int16, int32, uint8, uint16), got " +
             std::string(target.name));

  Shape shape;
  if (o.batch) shape.push_back(1);
  if (o.channelsFirst)
    shape.insert(shape.end(), {mat.channels(), mat.rows, mat.cols});
  else
    shape.insert(shape.end(), {mat.rows, mat.cols, mat.channels()});

  TensorResult result;
  if (o.mode != TransferMode::kCopy) {
    result.copyReason = WhyMatCannotBeShared(mat, o);
    if (result.copyReason.empty()) {
      // The deallocator holds a cv::Mat header: the buffer lives as long as the tensor.
      auto keeper = std::make_shared<cv::Mat>(mat);
      ForeignTensor wrapped = WrapForeignMemory(target, shape, mat.data, mat.total() * mat.elemSize(), keeper);
      if (wrapped.zeroCopy) {
        Stats::Get().RecordZeroCopy();
        result.tensor = wrapped.tensor;
        result.zeroCopy = true;
        return result;
      }
      Stats::Get().RecordCopy(static_cast<int64_t>(wrapped.tensor->byteLength()));
      result.tensor = wrapped.tensor;
      result.copyReason = "TensorFlow copied the memory";
      return result;
    }
    if (o.fallback == Fallback::kThrow)
      Fail(ErrorKind::kZeroCopy, std::string("toTensor: mode '") + (o.mode == TransferMode::kMove ? "move" : "share") +
                                     "' cannot be honoured: " + result.copyReason + " (fallback: 'throw')");
  }
  result.tensor = AllocTensor(target, shape);
  CopyMatInto(mat, *result.tensor, o);
  Stats::Get().RecordCopy(static_cast<int64_t>(result.tensor->byteLength()));
  return result;
}

MatResult TensorToMat(const TensorRef& tensor, const TensorToMatOptions& o) {
  const DType& dtype = tensor->dtype();
  if (dtype.cvDepth == kNoCvDepth)
    Fail(ErrorKind::kDType,
         "tensor: expected a dtype OpenCV represents (float32, float64, float16, int8, int16, "
         "int32, uint8, uint16), got " +
             std::string(dtype.name));
  Shape shape = tensor->shape();
  int64_t rows, cols, channels;
  if (shape.size() == 2) {
    rows = shape[0];
    cols = shape[1];
    channels = 1;
  } else if (shape.size() == 3) {
    rows = shape[0];
    cols = shape[1];
    channels = shape[2];
  } else if (shape.size() == 4 && shape[0] == 1) {
    rows = shape[1];
    cols = shape[2];
    channels = shape[3];
  } else {
    Fail(ErrorKind::kShape, "tensor: expected shape [H,W], [H,W,C] or [1,H,W,C], got " + ShapeString(shape));
  }
  if (rows <= 0 || cols <= 0 || rows > INT_MAX || cols > INT_MAX)
    Fail(ErrorKind::kShape, "tensor: expected H and W in 1..2^31-1, got " + ShapeString(shape));
  if (channels < 1 || channels > CV_CN_MAX)
    Fail(ErrorKind::kShape,
         "tensor: expected 1.." + std::to_string(CV_CN_MAX) + " channels, got " + ShapeString(shape));
  const int type = CV_MAKETYPE(dtype.cvDepth, static_cast<int>(channels));
  const size_t step = static_cast<size_t>(cols) * channels * dtype.size;

  MatResult result;
  if (o.mode != TransferMode::kCopy) {
    if (o.mode == TransferMode::kMove && !o.sourceExclusive) {
      result.copyReason = "the tensor's memory is shared with a view, a Mat or TensorFlow, so it cannot be moved";
      if (o.fallback == Fallback::kThrow)
        Fail(ErrorKind::kZeroCopy,
             "toMat: mode 'move' cannot be honoured: " + result.copyReason + " (fallback: 'throw')");
    } else {
      result.mat = WrapForeignMat(static_cast<int>(rows), static_cast<int>(cols), type, tensor->data(), step, tensor,
                                  o.mode == TransferMode::kMove);
      result.zeroCopy = true;
      Stats::Get().RecordZeroCopy();
      return result;
    }
  }
  result.mat.create(static_cast<int>(rows), static_cast<int>(cols), type);
  std::memcpy(result.mat.data, tensor->data(), tensor->byteLength());
  Stats::Get().RecordCopy(static_cast<int64_t>(tensor->byteLength()));
  return result;
}

}  // namespace tfcv
