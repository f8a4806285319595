// The curves behind COCO mAP, from MeanAveragePrecision's match records (so they cost one
// more pass over them, not another matching): per class the PR curves of COCOeval's
// accumulate (pycocotools' `precision` array at IoU 0.50 and averaged over 0.50:0.95), and
// at IoU 0.50 precision, recall and F1 against the confidence threshold with the threshold
// that maximises F1, per class and over all classes. docs/METRICS.md defines every number.
import { native } from '../binding';

/** Precision, recall and F1 of the detections scoring >= a threshold (IoU 0.50 matching). */
export interface OperatingPoint {
  /** The confidence threshold: detections with score >= it are kept. */
  confidence: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface ClassCurves {
  classId: number;
  /** Non-crowd truth boxes of the class. */
  truth: number;
  /** Interpolated precision at recall 0, 0.01, ..., 1 at IoU 0.50 (pycocotools precision[0, :, k, 0, 2]); null without truth. */
  pr50: number[] | null;
  /** The same averaged over the ten IoU thresholds 0.50:0.95 (mean over precision[:, :, k, 0, 2]); null without truth. */
  prMean: number[] | null;
  /** At confidence thresholds 0, 0.001, ..., 1 (see confidences): precision (NaN when nothing is kept), recall (NaN without truth), F1. */
  precision: number[];
  recall: number[];
  f1: number[];
  /** The threshold (a detection score) maximising F1; null without truth or without detections. */
  best: OperatingPoint | null;
}

export interface DetectionCurves {
  /** The 101 recall points of the PR curves. */
  recallPoints: number[];
  /** The 1001 confidence thresholds k / 1000 of the precision / recall / F1 curves. */
  confidences: number[];
  classes: ClassCurves[];
  /** All classes: PR curves are the mean over classes with truth; P / R / F1 pool the counts of every class (micro). */
  overall: Omit<ClassCurves, 'classId'>;
}

const T = 10;
const R = 101;
const C = 1001;
const PER_CLASS = 5 + T * R + 2 * C;

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function point(confidence: number, tp: number, fp: number, truth: number): OperatingPoint {
  return {
    confidence,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, truth),
    f1: ratio(2 * tp, tp + fp + truth),
    tp,
    fp,
    fn: truth - tp,
  };
}

function confidenceCurves(tp: ArrayLike<number>, fp: ArrayLike<number>, truth: number) {
  const precision: number[] = [],
    recall: number[] = [],
    f1: number[] = [];
  for (let g = 0; g < C; g++) {
    precision.push(ratio(tp[g]!, tp[g]! + fp[g]!));
    recall.push(ratio(tp[g]!, truth));
    f1.push(ratio(2 * tp[g]!, tp[g]! + fp[g]! + truth));
  }
  return { precision, recall, f1 };
}

function best(score: number, tp: number, fp: number, truth: number): OperatingPoint | null {
  return truth > 0 && !Number.isNaN(score) ? point(score, tp, fp, truth) : null;
}

/** @internal The curves of a set of match records (MeanAveragePrecision.curves()). */
export function detectionCurves(records: Float64Array[]): DetectionCurves {
  const out = native.cocoCurves(records);
  const k = out[0]!;
  const classes: ClassCurves[] = [];
  const sumTp = new Float64Array(C),
    sumFp = new Float64Array(C);
  const prSum50 = new Array<number>(R).fill(0),
    prSumMean = new Array<number>(R).fill(0);
  let defined = 0;
  for (let i = 0; i < k; i++) {
    const at = 5 + i * PER_CLASS;
    const truth = out[at + 1]!;
    const precision = out.subarray(at + 5, at + 5 + T * R);
    const tp = out.subarray(at + 5 + T * R, at + 5 + T * R + C);
    const fp = out.subarray(at + 5 + T * R + C, at + PER_CLASS);
    for (let g = 0; g < C; g++) {
      sumTp[g]! += tp[g]!;
      sumFp[g]! += fp[g]!;
    }
    let pr50: number[] | null = null,
      prMean: number[] | null = null;
    if (truth > 0) {
      pr50 = Array.from(precision.subarray(0, R));
      prMean = [];
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let t = 0; t < T; t++) s += precision[t * R + r]!;
        prMean.push(s / T);
        prSum50[r]! += pr50[r]!;
        prSumMean[r]! += prMean[r]!;
      }
      defined++;
    }
    classes.push({
      classId: out[at]!,
      truth,
      pr50,
      prMean,
      ...confidenceCurves(tp, fp, truth),
      best: best(out[at + 2]!, out[at + 3]!, out[at + 4]!, truth),
    });
  }
  const truth = out[1]!;
  return {
    recallPoints: Array.from({ length: R }, (_, r) => r / (R - 1)),
    confidences: Array.from({ length: C }, (_, g) => g / (C - 1)),
    classes,
    overall: {
      truth,
      pr50: defined > 0 ? prSum50.map((x) => x / defined) : null,
      prMean: defined > 0 ? prSumMean.map((x) => x / defined) : null,
      ...confidenceCurves(sumTp, sumFp, truth),
      best: best(out[2]!, out[3]!, out[4]!, truth),
    },
  };
}
