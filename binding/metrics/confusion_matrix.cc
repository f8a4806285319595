// See confusion_matrix.h. One template instance per (truth dtype, prediction dtype, mode):
// the per-pixel loop has no dtype switch in it. Binary uint8 masks, the most common case,
// take a branch-free path that counts with sums instead of a histogram.
#include "metrics/confusion_matrix.h"

#include <array>
#include <cmath>
#include <string>

#include "common/errors.h"
#include "metrics/dtype_dispatch.h"
#include "common/parallel_images.h"

namespace tfcv {
namespace {

std::string At(int r, int c) { return " at row " + std::to_string(r) + ", col " + std::to_string(c); }

// A class id from an element; floats must hold an integral value.
template <typename T>
inline bool ClassId(T v, int64_t& out) {
  if constexpr (kIsFloat<T>) {
    const double d = AsDouble(v);
    if (!(d == std::floor(d)) || std::fabs(d) > 9.0e18) return false;  // NaN, inf, fractions
    out = static_cast<int64_t>(d);
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    out = v > static_cast<uint64_t>(INT64_MAX) ? -1 : static_cast<int64_t>(v);
  } else {
    out = static_cast<int64_t>(v);
  }
  return true;
}

template <typename T>
std::string ValueString(T v) {
  if constexpr (kIsFloat<T>) {
    std::string s = std::to_string(AsDouble(v));
    return std::isnan(AsDouble(v)) ? "NaN" : s;
  } else {
    return std::to_string(v);
  }
}

struct Checked {
  const ImageBatch& truth;
  const ImageBatch& pred;
  const ConfusionOptions& o;
  size_t i;
  bool binaryTruth = false;  // this image's truth reads as 0 / non-zero
  bool binaryPred = false;   // this image's predicted ids read as 0 / non-zero
};

constexpr int64_t kIgnored = -1;

// One row of truth as checked class ids (kIgnored for the ignored class). Templated on the
// truth dtype only, so the counting loop below is instantiated per prediction dtype alone.
template <typename T>
void TruthRow(const Checked& k, int r, int64_t* ids) {
  const ImageView& tv = k.truth.images[k.i];
  const T* t = reinterpret_cast<const T*>(tv.data + tv.step * r);
  const int64_t classes = k.o.numClasses;
  for (int c = 0; c < tv.cols; ++c) {
    int64_t id;
    if (!ClassId(t[c], id))
      Fail(ErrorKind::kArgument,
           k.truth.Label(k.i) + ": class ids must be integers, got " + ValueString(t[c]) + At(r, c));
    if (k.o.hasIgnoreClass && id == k.o.ignoreClass) {
      ids[c] = kIgnored;
      continue;
    }
    if (k.binaryTruth) id = id != 0 ? 1 : 0;
    if (id < 0 || id >= classes)
      Fail(ErrorKind::kArgument, k.truth.Label(k.i) + ": class id " + ValueString(t[c]) + At(r, c) + " is outside 0.." +
                                     std::to_string(classes - 1) + " (numClasses " + std::to_string(classes) + ")" +
                                     (classes == 2 ? "; for 0/255 masks pass masks: 'binary'" : ""));
    ids[c] = id;
  }
}

template <typename P>
inline bool Above(P v, double threshold) {
  // Float predictions compare in their own precision, as Keras' y_pred > threshold does.
  if constexpr (std::is_same_v<P, float>)
    return v > static_cast<float>(threshold);
  else
    return AsDouble(v) > threshold;
}

template <typename P, PredictionMode Mode>
void CountImage(const Checked& k, void (*truthRow)(const Checked&, int, int64_t*), double* cm) {
  const ImageView& pv = k.pred.images[k.i];
  const int64_t classes = k.o.numClasses;
  const int channels = pv.channels;
  std::vector<int64_t> counts(static_cast<size_t>(classes * classes), 0);
  std::vector<int64_t> truth(static_cast<size_t>(pv.cols));
  for (int r = 0; r < pv.rows; ++r) {
    truthRow(k, r, truth.data());
    const P* p = reinterpret_cast<const P*>(pv.data + pv.step * r);
    for (int c = 0; c < pv.cols; ++c) {
      if (truth[c] == kIgnored) continue;
      int64_t predicted = 0;
      if constexpr (Mode == PredictionMode::kClassIds) {
        const bool integral = ClassId(p[c], predicted);
        if (integral && k.binaryPred) predicted = predicted != 0 ? 1 : 0;
        if (!integral || predicted < 0 || predicted >= classes)
          Fail(ErrorKind::kArgument, k.pred.Label(k.i) + ": predicted class id " + ValueString(p[c]) + At(r, c) +
                                         " is outside 0.." + std::to_string(classes - 1) + " (numClasses " +
                                         std::to_string(classes) + ")" +
                                         (classes == 2 ? "; for 0/255 masks pass masks: 'binary'" : ""));
      } else if constexpr (Mode == PredictionMode::kProbability) {
        const P v = p[c];
        if (std::isnan(AsDouble(v)))
          Fail(ErrorKind::kArgument, k.pred.Label(k.i) + ": NaN" + At(r, c) + "; predictions must be numbers");
        predicted = Above(v, k.o.threshold) ? 1 : 0;
      } else {
        const P* scores = p + static_cast<size_t>(c) * channels;
        double best = AsDouble(scores[0]);
        for (int ch = 0; ch < channels; ++ch) {
          const double s = AsDouble(scores[ch]);
          if (std::isnan(s))
            Fail(ErrorKind::kArgument, k.pred.Label(k.i) + ": NaN score for class " + std::to_string(ch) + At(r, c));
          if (s > best) {  // strict: the first maximum wins (argmax)
            best = s;
            predicted = ch;
          }
        }
      }
      ++counts[static_cast<size_t>(truth[c] * classes + predicted)];
    }
  }
  for (size_t j = 0; j < counts.size(); ++j) cm[j] = static_cast<double>(counts[j]);
}

// Binary uint8 truth and uint8 predicted ids without an ignored class: values are checked
// to be 0/1 with one max per row, then counted with sums the compiler vectorises. A side read
// as binary maps through min(x, 1) (0 stays 0, anything else is 1) and needs no check.
bool CountBinaryBytes(const Checked& k, double* cm) {
  const uint8_t capT = k.binaryTruth ? 1 : 255;
  const uint8_t capP = k.binaryPred ? 1 : 255;
  const ImageView& tv = k.truth.images[k.i];
  const ImageView& pv = k.pred.images[k.i];
  int64_t truthOnes = 0, predOnes = 0, both = 0;
  for (int r = 0; r < tv.rows; ++r) {
    const uint8_t* t = tv.data + tv.step * r;
    const uint8_t* p = pv.data + pv.step * r;
    uint8_t maxT = 0, maxP = 0;
    uint32_t sumT = 0, sumP = 0, sumB = 0;
    for (int c = 0; c < tv.cols; ++c) {
      const uint8_t tc = std::min(t[c], capT);
      const uint8_t pc = std::min(p[c], capP);
      maxT = std::max(maxT, tc);
      maxP = std::max(maxP, pc);
      sumT += tc;
      sumP += pc;
      sumB += tc & pc;
    }
    if (maxT > 1 || maxP > 1) return false;  // the checked path reports where
    truthOnes += sumT;
    predOnes += sumP;
    both += sumB;
  }
  const int64_t total = static_cast<int64_t>(tv.rows) * tv.cols;
  cm[3] = static_cast<double>(both);                                 // true 1, predicted 1
  cm[2] = static_cast<double>(truthOnes - both);                     // true 1, predicted 0
  cm[1] = static_cast<double>(predOnes - both);                      // true 0, predicted 1
  cm[0] = static_cast<double>(total - truthOnes - predOnes + both);  // true 0, predicted 0
  return true;
}

// Which of the values 0..255 a uint8 image holds, as "0, 128, 255".
std::string ValuesSeen(const ImageView& v, std::array<bool, 256>& seen) {
  seen.fill(false);
  for (int r = 0; r < v.rows; ++r) {
    const uint8_t* row = v.data + v.step * r;
    for (int c = 0; c < v.cols; ++c) seen[row[c]] = true;
  }
  // A noisy mask (a JPEG, a resized PNG) can hold all 256 values: name the first few and the count.
  std::string list;
  int distinct = 0;
  for (int x = 0; x < 256; ++x) {
    if (!seen[x]) continue;
    if (++distinct <= 12) list += (list.empty() ? "" : ", ") + std::to_string(x);
  }
  if (distinct > 12) list += ", ... (" + std::to_string(distinct) + " distinct values)";
  return list;
}

// masks 'auto' for image i of `batch` (truth, or predicted ids): true when it reads as a
// binary mask, false for class ids; anything that could mean either is an ArgumentError
// naming the values seen. Only uint8 images are inspected; other dtypes are class ids.
bool AutoBinary(const ImageBatch& batch, size_t i, const ConfusionOptions& o, bool isTruth) {
  if (batch.dtype->tf != TF_UINT8) return false;
  std::array<bool, 256> seen;
  const std::string values = ValuesSeen(batch.images[i], seen);
  const int k = o.numClasses;
  const bool ignore = isTruth && o.hasIgnoreClass && o.ignoreClass >= 0 && o.ignoreClass < 256;
  const std::string setting =
      " (numClasses " + std::to_string(k) +
      (isTruth ? ", ignoreClass " + (o.hasIgnoreClass ? std::to_string(o.ignoreClass) : std::string("none")) : "") +
      ")";
  int distinct = 0;
  bool validIds = true, zeroOr255 = true;
  for (int x = 0; x < 256; ++x) {
    if (!seen[x]) continue;
    ++distinct;
    if (x >= k && !(ignore && x == o.ignoreClass)) validIds = false;
    if (x != 0 && x != 255) zeroOr255 = false;
  }
  // The trap of a 0/255 PNG under ignoreClass 255: every foreground pixel would be ignored.
  if (ignore && k == 2 && o.ignoreClass >= 2 && distinct == 2 && seen[0] && seen[o.ignoreClass])
    Fail(ErrorKind::kArgument, batch.Label(i) + ": masks 'auto' cannot tell a binary 0/" +
                                   std::to_string(o.ignoreClass) + " mask from class ids with ignoreClass " +
                                   std::to_string(o.ignoreClass) + ": the mask holds only the values " + values +
                                   setting + ". Pass masks: 'binary' (" + std::to_string(o.ignoreClass) +
                                   " is foreground; drop ignoreClass) or masks: 'ids' (" +
                                   std::to_string(o.ignoreClass) + " pixels are ignored)");
  if (validIds) return false;
  if (k == 2 && zeroOr255) return true;
  Fail(ErrorKind::kArgument,
       batch.Label(i) + ": masks 'auto' found the values " + values + setting + ": neither class ids 0.." +
           std::to_string(k - 1) +
           " nor a 0/1 or 0/255 binary mask. Pass masks: 'binary' (0 is background, any other value "
           "foreground) or masks: 'ids' (values are class ids)");
}

void CheckShapes(const ImageBatch& truth, const ImageBatch& pred, const ConfusionOptions& o) {
  if (o.numClasses < 1) Fail(ErrorKind::kArgument, "numClasses: expected an integer >= 1");
  if (truth.size() != pred.size())
    Fail(ErrorKind::kShape, "yTrue / yPred: expected the same number of images, got " + std::to_string(truth.size()) +
                                " and " + std::to_string(pred.size()));
  for (size_t i = 0; i < truth.size(); ++i) {
    const ImageView& t = truth.images[i];
    const ImageView& p = pred.images[i];
    if (t.rows != p.rows || t.cols != p.cols)
      Fail(ErrorKind::kShape, "yTrue / yPred: image " + std::to_string(i) + " is " + std::to_string(t.rows) + "x" +
                                  std::to_string(t.cols) + " in yTrue but " + std::to_string(p.rows) + "x" +
                                  std::to_string(p.cols) + " in yPred");
    if (t.channels != 1)
      Fail(ErrorKind::kShape, truth.Label(i) + ": class ids need one channel, got " + std::to_string(t.channels));
    const int want = o.prediction == PredictionMode::kScores ? o.numClasses : 1;
    if (p.channels != want)
      Fail(ErrorKind::kShape, pred.Label(i) + ": expected " + std::to_string(want) + " channel(s) for " +
                                  (o.prediction == PredictionMode::kScores        ? "per-class scores"
                                   : o.prediction == PredictionMode::kProbability ? "a probability"
                                                                                  : "class ids") +
                                  ", got " + std::to_string(p.channels));
  }
  if (o.masks == MaskMode::kBinary && o.numClasses != 2)
    Fail(ErrorKind::kArgument,
         "options.masks: 'binary' masks have two classes, got numClasses " + std::to_string(o.numClasses));
  if (o.prediction == PredictionMode::kProbability && o.numClasses != 2)
    Fail(ErrorKind::kArgument,
         "yPred: a one-channel probability needs numClasses 2, got " + std::to_string(o.numClasses));
}

}  // namespace

std::vector<double> ConfusionPerImage(const ImageBatch& truth, const ImageBatch& pred, const ConfusionOptions& o) {
  CheckShapes(truth, pred, o);
  const size_t block = static_cast<size_t>(o.numClasses) * o.numClasses;
  std::vector<double> out(truth.size() * block, 0.0);
  const bool bytes =
      truth.dtype->size == 1 && pred.dtype->size == 1 && truth.dtype->tf != TF_INT8 && pred.dtype->tf != TF_INT8;
  const bool binaryBytes = bytes && o.numClasses == 2 && !o.hasIgnoreClass && o.prediction == PredictionMode::kClassIds;
  void (*truthRow)(const Checked&, int, int64_t*) =
      DispatchDType(*truth.dtype, truth.name, [](auto tag) { return &TruthRow<decltype(tag)>; });
  DispatchDType(*pred.dtype, pred.name, [&](auto predTag) {
    using P = decltype(predTag);
    ParallelForImages(truth.size(), [&](size_t i) {
      Checked k{truth, pred, o, i};
      double* cm = out.data() + i * block;
      const bool predIds = o.prediction == PredictionMode::kClassIds;
      if (o.masks == MaskMode::kBinary) {
        k.binaryTruth = true;
        k.binaryPred = predIds;
      }
      // 0/1 masks read the same as ids and as binary: counted before any inspection.
      if (binaryBytes && CountBinaryBytes(k, cm)) return;
      if (o.masks == MaskMode::kAuto) {
        k.binaryTruth = AutoBinary(truth, i, o, true);
        k.binaryPred = predIds && AutoBinary(pred, i, o, false);
        if (binaryBytes && CountBinaryBytes(k, cm)) return;
      }
      switch (o.prediction) {
        case PredictionMode::kClassIds:
          CountImage<P, PredictionMode::kClassIds>(k, truthRow, cm);
          break;
        case PredictionMode::kScores:
          CountImage<P, PredictionMode::kScores>(k, truthRow, cm);
          break;
        case PredictionMode::kProbability:
          CountImage<P, PredictionMode::kProbability>(k, truthRow, cm);
          break;
      }
    });
  });
  return out;
}

}  // namespace tfcv
