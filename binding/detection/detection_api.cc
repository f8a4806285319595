// See detection_api.h. Inputs arrive as typed arrays packed by the facade and are copied
// into native vectors while the JS thread still owns them (a few bytes per box), so the
// work that runs on the libuv pool reads nothing JS can detach or change meanwhile.
#include "detection/detection_api.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/cancel_flag.h"
#include "common/errors.h"
#include "common/js_args.h"
#include "cv/mat_wrap.h"
#include "detection/coco_accumulate.h"
#include "detection/coco_curves.h"
#include "detection/coco_match.h"
#include "detection/coco_params.h"
#include "detection/nms.h"
#include "workers/op_job.h"

namespace tfcv {
namespace {

template <typename T>
std::vector<T> CopyTyped(const Napi::Value& value, napi_typedarray_type type, const char* typeName,
                         const std::string& name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type)
    Fail(ErrorKind::kArgument, name + ": expected a " + typeName);
  Napi::TypedArrayOf<T> array = value.As<Napi::TypedArrayOf<T>>();
  std::vector<T> out(array.ElementLength());
  if (!out.empty()) std::memcpy(out.data(), array.Data(), out.size() * sizeof(T));
  return out;
}

std::vector<double> Float64s(const Napi::Value& v, const std::string& name) {
  return CopyTyped<double>(v, napi_float64_array, "Float64Array", name);
}
std::vector<float> Float32s(const Napi::Value& v, const std::string& name) {
  return CopyTyped<float>(v, napi_float32_array, "Float32Array", name);
}
std::vector<int32_t> Int32s(const Napi::Value& v, const std::string& name) {
  return CopyTyped<int32_t>(v, napi_int32_array, "Int32Array", name);
}
std::vector<uint32_t> Uint32s(const Napi::Value& v, const std::string& name) {
  return CopyTyped<uint32_t>(v, napi_uint32_array, "Uint32Array", name);
}
std::vector<uint8_t> Uint8s(const Napi::Value& v, const std::string& name) {
  return CopyTyped<uint8_t>(v, napi_uint8_array, "Uint8Array", name);
}

void NeedLength(size_t actual, size_t expected, const std::string& name) {
  if (actual != expected)
    Fail(ErrorKind::kShape, name + ": expected " + std::to_string(expected) + " values, got " + std::to_string(actual));
}

Napi::Value Int32Result(Napi::Env env, std::vector<int32_t>& values) {
  Napi::Int32Array out = Napi::Int32Array::New(env, values.size());
  if (!values.empty()) std::memcpy(out.Data(), values.data(), values.size() * sizeof(int32_t));
  return out;
}

Napi::Value Float64Result(Napi::Env env, const std::vector<double>& values) {
  Napi::Float64Array out = Napi::Float64Array::New(env, values.size());
  if (!values.empty()) std::memcpy(out.Data(), values.data(), values.size() * sizeof(double));
  return out;
}

// detectionNms(boxes: Float64Array xywh, scores: Float32Array, classes: Int32Array | null,
//              scoreThreshold, iouThreshold, eta, topK, maxComparisons, cancel: Uint8Array | undefined)
//              -> Int32Array of kept indices.
OpJob<std::vector<int32_t>> PrepareNms(const Napi::CallbackInfo& info) {
  auto boxes = std::make_shared<std::vector<double>>(Float64s(info[0], "boxes"));
  auto scores = std::make_shared<std::vector<float>>(Float32s(info[1], "scores"));
  NeedLength(boxes->size(), scores->size() * 4, "boxes");
  std::shared_ptr<std::vector<int32_t>> classes;
  if (!info[2].IsNull() && !info[2].IsUndefined()) {
    classes = std::make_shared<std::vector<int32_t>>(Int32s(info[2], "options.classes"));
    NeedLength(classes->size(), scores->size(), "options.classes");
  }
  NmsOptions options;
  options.scoreThreshold = static_cast<float>(NumberArg(info[3], "options.scoreThreshold"));
  options.iouThreshold = static_cast<float>(NumberArg(info[4], "options.iouThreshold"));
  options.eta = static_cast<float>(NumberArg(info[5], "options.eta"));
  options.topK = IntArg(info[6], "options.topK", 0, INT32_MAX);
  const double maxComparisons = NumberArg(info[7], "options.maxComparisons");
  if (!(maxComparisons >= 0) || maxComparisons > 9007199254740991.0 || std::floor(maxComparisons) != maxComparisons)
    Fail(ErrorKind::kArgument, "options.maxComparisons: expected an integer >= 0");
  options.maxComparisons = static_cast<uint64_t>(maxComparisons);
  auto cancel = std::make_shared<CancelFlag>(CancelFlag::FromArg(info[8], "cancel"));
  options.cancelled = [cancel] { return cancel->Cancelled(); };
  if (!(options.eta > 0) || !std::isfinite(options.iouThreshold) || !std::isfinite(options.scoreThreshold))
    Fail(ErrorKind::kArgument, "nms: thresholds must be finite and eta > 0");
  return {[boxes, scores, classes, options] {
            return NonMaximumSuppression(*boxes, *scores, classes ? classes->data() : nullptr, options);
          },
          Int32Result};
}

struct MatchInput {
  std::vector<double> tBoxes, tArea, pBoxes, pScores;
  std::vector<int32_t> tClasses, pClasses;
  std::vector<uint8_t> tCrowd;
  std::vector<uint32_t> tOffsets, pOffsets;
  int maxDet = coco::kMaxDetLargest;
};

struct MatchOutput {
  std::vector<double> records;
  std::vector<double> imageAp;
};

void CheckOffsets(const std::vector<uint32_t>& offsets, size_t total, size_t images, const std::string& name) {
  NeedLength(offsets.size(), images + 1, name);
  if (offsets.front() != 0 || offsets.back() != total)
    Fail(ErrorKind::kShape, name + ": offsets do not cover the boxes");
  for (size_t i = 1; i < offsets.size(); ++i)
    if (offsets[i] < offsets[i - 1]) Fail(ErrorKind::kShape, name + ": offsets must not decrease");
}

// cocoMatch(truth { boxes, classes, crowd, area, offsets }, predictions { boxes, classes,
// scores, offsets }) -> Float64Array: N per-image APs, then the images' match records.
OpJob<MatchOutput> PrepareCocoMatch(const Napi::CallbackInfo& info) {
  auto in = std::make_shared<MatchInput>();
  Napi::Object t = ObjectArg(info[0], "yTrue"), p = ObjectArg(info[1], "yPred");
  in->tBoxes = Float64s(t.Get("boxes"), "yTrue.boxes");
  in->tClasses = Int32s(t.Get("classes"), "yTrue.classes");
  in->tCrowd = Uint8s(t.Get("crowd"), "yTrue.crowd");
  in->tArea = Float64s(t.Get("area"), "yTrue.area");
  in->tOffsets = Uint32s(t.Get("offsets"), "yTrue.offsets");
  in->pBoxes = Float64s(p.Get("boxes"), "yPred.boxes");
  in->pClasses = Int32s(p.Get("classes"), "yPred.classes");
  in->pScores = Float64s(p.Get("scores"), "yPred.scores");
  in->pOffsets = Uint32s(p.Get("offsets"), "yPred.offsets");
  const size_t G = in->tClasses.size(), D = in->pClasses.size();
  NeedLength(in->tBoxes.size(), 4 * G, "yTrue.boxes");
  NeedLength(in->tCrowd.size(), G, "yTrue.crowd");
  NeedLength(in->tArea.size(), G, "yTrue.area");
  NeedLength(in->pBoxes.size(), 4 * D, "yPred.boxes");
  NeedLength(in->pScores.size(), D, "yPred.scores");
  if (in->tOffsets.empty()) Fail(ErrorKind::kShape, "yTrue.offsets: expected at least one value");
  const size_t images = in->tOffsets.size() - 1;
  CheckOffsets(in->tOffsets, G, images, "yTrue.offsets");
  CheckOffsets(in->pOffsets, D, images, "yPred.offsets");
  return {[in] {
            MatchOutput out;
            const size_t images = in->tOffsets.size() - 1;
            std::vector<std::vector<double>> perImage(images);
            out.imageAp.resize(images);
            cv::parallel_for_(cv::Range(0, static_cast<int>(images)), [&](const cv::Range& range) {
              for (int i = range.start; i < range.end; ++i) {
                coco::ImageBoxes truth, pred;
                const size_t t0 = in->tOffsets[i], p0 = in->pOffsets[i];
                truth.count = in->tOffsets[i + 1] - t0;
                truth.boxes = in->tBoxes.data() + 4 * t0;
                truth.classes = in->tClasses.data() + t0;
                truth.crowd = in->tCrowd.data() + t0;
                truth.area = in->tArea.data() + t0;
                pred.count = in->pOffsets[i + 1] - p0;
                pred.boxes = in->pBoxes.data() + 4 * p0;
                pred.classes = in->pClasses.data() + p0;
                pred.scores = in->pScores.data() + p0;
                coco::MatchImage(truth, pred, in->maxDet, perImage[i]);
                out.imageAp[i] = coco::ImageAveragePrecision(perImage[i].data(), perImage[i].size());
              }
            });
            size_t total = 0;
            for (const auto& r : perImage) total += r.size();
            out.records.reserve(total);
            for (const auto& r : perImage) out.records.insert(out.records.end(), r.begin(), r.end());
            return out;
          },
          [](Napi::Env env, MatchOutput& out) -> Napi::Value {
            Napi::Float64Array all = Napi::Float64Array::New(env, out.imageAp.size() + out.records.size());
            std::copy(out.imageAp.begin(), out.imageAp.end(), all.Data());
            std::copy(out.records.begin(), out.records.end(), all.Data() + out.imageAp.size());
            return all;
          }};
}

// The record spans of a records argument (an array of Float64Arrays); `arrays` keeps them alive.
std::vector<coco::RecordSpan> RecordSpans(const Napi::Value& value, std::vector<Napi::Float64Array>& arrays) {
  if (!value.IsArray()) Fail(ErrorKind::kArgument, "records: expected an array of Float64Arrays");
  Napi::Array list = value.As<Napi::Array>();
  std::vector<coco::RecordSpan> spans;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
      Fail(ErrorKind::kArgument, "records[" + std::to_string(i) + "]: expected a Float64Array");
    arrays.push_back(v.As<Napi::Float64Array>());
    spans.push_back({arrays.back().Data(), arrays.back().ElementLength()});
  }
  return spans;
}

// cocoAccumulate(records: Float64Array[]) -> Float64Array: the 12 stats, then per class
// [classId, 12 stats].
Napi::Value CocoAccumulate(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    std::vector<Napi::Float64Array> arrays;
    coco::Summary s = coco::Accumulate(RecordSpans(info[0], arrays));
    std::vector<double> out(s.stats, s.stats + coco::kStats);
    for (const auto& c : s.classes) {
      out.push_back(c.classId);
      out.insert(out.end(), c.stats, c.stats + coco::kStats);
    }
    return Float64Result(info.Env(), out);
  });
}

// cocoCurves(records: Float64Array[]) -> Float64Array: [classes, truth, best score, best tp,
// best fp], then per class [classId, truth, best score, best tp, best fp, precision (10 x 101),
// tp (1001), fp (1001)] (coco_curves.h).
Napi::Value CocoCurves(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    std::vector<Napi::Float64Array> arrays;
    const coco::Curves c = coco::ComputeCurves(RecordSpans(info[0], arrays));
    constexpr size_t kPerClass = 5 + coco::kThresholds * coco::kRecallPoints + 2 * coco::kConfidencePoints;
    Napi::Float64Array out = Napi::Float64Array::New(info.Env(), 5 + c.classes.size() * kPerClass);
    double* p = out.Data();
    *p++ = static_cast<double>(c.classes.size());
    *p++ = c.truth;
    *p++ = c.best.score;
    *p++ = c.best.tp;
    *p++ = c.best.fp;
    for (const coco::ClassCurves& k : c.classes) {
      *p++ = k.classId;
      *p++ = k.truth;
      *p++ = k.best.score;
      *p++ = k.best.tp;
      *p++ = k.best.fp;
      p = std::copy(std::begin(k.precision), std::end(k.precision), p);
      p = std::copy(std::begin(k.tp), std::end(k.tp), p);
      p = std::copy(std::begin(k.fp), std::end(k.fp), p);
    }
    return out;
  });
}

// drawDetections(mat, boxes: Float64Array xywh, labels: (string | null)[], colors:
// Float64Array (4 per box), thickness, fontScale, onShared): boxes with a filled label tag.
Napi::Value DrawDetections(const Napi::CallbackInfo& info) {
  return Guarded(info.Env(), [&]() -> Napi::Value {
    MatWrap& wrap = MatWrap::FromValue(info[0], "mat");
    const cv::Mat& current = wrap.Ref("mat")->mat;
    if (current.depth() != CV_8U || (current.channels() != 1 && current.channels() != 3 && current.channels() != 4))
      Fail(ErrorKind::kDType, "mat: drawDetections expects a uint8 Mat with 1, 3 or 4 channels");
    std::vector<double> boxes = Float64s(info[1], "boxes");
    if (boxes.size() % 4 != 0) Fail(ErrorKind::kShape, "boxes: expected rows of 4 values");
    const size_t n = boxes.size() / 4;
    if (!info[2].IsArray()) Fail(ErrorKind::kArgument, "options.labels: expected an array");
    Napi::Array labelList = info[2].As<Napi::Array>();
    NeedLength(labelList.Length(), n, "options.labels");
    std::vector<std::string> labels(n);
    for (size_t i = 0; i < n; ++i) {
      Napi::Value l = labelList.Get(static_cast<uint32_t>(i));
      if (l.IsString()) labels[i] = l.As<Napi::String>().Utf8Value();
      if (labels[i].size() > 1000) Fail(ErrorKind::kLimit, "options.labels: at most 1000 bytes per label");
    }
    std::vector<double> colors = Float64s(info[3], "options.colors");
    NeedLength(colors.size(), 4 * n, "options.colors");
    const int thickness = IntArg(info[4], "options.thickness", 1, 1000);
    const double fontScale = NumberArg(info[5], "options.fontScale");
    if (!(fontScale > 0 && fontScale <= 100))
      Fail(ErrorKind::kArgument, "options.fontScale: expected a number in (0, 100]");
    for (double b : boxes)
      if (!std::isfinite(b) || std::fabs(b) > 1e9)
        Fail(ErrorKind::kArgument, "boxes: expected finite coordinates within 1e9");
    wrap.PrepareInPlaceWrite(info.Env(), OnSharedArg(info[6], "options.onShared"), "drawDetections");
    cv::Mat& m = wrap.Ref("mat")->mat;
    const int font = cv::FONT_HERSHEY_SIMPLEX;
    const int textThickness = std::max(1, thickness / 2);
    for (size_t i = 0; i < n; ++i) {
      const double* b = boxes.data() + 4 * i;
      const cv::Scalar color(colors[4 * i], colors[4 * i + 1], colors[4 * i + 2], colors[4 * i + 3]);
      const cv::Point p1(static_cast<int>(std::lround(b[0])), static_cast<int>(std::lround(b[1])));
      const cv::Point p2(static_cast<int>(std::lround(b[0] + b[2])), static_cast<int>(std::lround(b[1] + b[3])));
      cv::rectangle(m, p1, p2, color, thickness, cv::LINE_8);
      if (labels[i].empty()) continue;
      int baseline = 0;
      const cv::Size text = cv::getTextSize(labels[i], font, fontScale, textThickness, &baseline);
      // The tag sits above the box, or inside it when the box touches the top edge.
      const int tagHeight = text.height + baseline + 2;
      int top = p1.y - tagHeight;
      if (top < 0) top = p1.y;
      cv::rectangle(m, cv::Rect(p1.x, top, text.width + 4, tagHeight), color, cv::FILLED, cv::LINE_8);
      // Dark text on light tags, light text on dark ones (BT.601 luma on the colour as given).
      const double luma = m.channels() == 1 ? color[0] : 0.299 * color[2] + 0.587 * color[1] + 0.114 * color[0];
      const cv::Scalar ink = luma > 127 ? cv::Scalar(0, 0, 0, 255) : cv::Scalar(255, 255, 255, 255);
      cv::putText(m, labels[i], cv::Point(p1.x + 2, top + text.height + 1), font, fontScale, ink, textThickness,
                  cv::LINE_AA);
    }
    return info.Env().Undefined();
  });
}

}  // namespace

void RegisterDetectionApi(Napi::Env env, Napi::Object exports) {
  ExportOp<std::vector<int32_t>>(env, exports, "detectionNms", PrepareNms);
  ExportOp<MatchOutput>(env, exports, "cocoMatch", PrepareCocoMatch);
  exports.Set("cocoAccumulate", Napi::Function::New<CocoAccumulate>(env, "cocoAccumulate"));
  exports.Set("cocoCurves", Napi::Function::New<CocoCurves>(env, "cocoCurves"));
  exports.Set("drawDetections", Napi::Function::New<DrawDetections>(env, "drawDetections"));
}

}  // namespace tfcv
