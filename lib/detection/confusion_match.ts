// The matching behind DetectionConfusionMatrix and the per-prediction TP / FP / FN marks of
// detection evaluation: one image's predictions (above a confidence threshold) matched to its
// truth boxes greedily by IoU, whatever their classes, so that a box found with the wrong
// class shows up off the diagonal. docs/METRICS.md ("Detection confusion matrix") is the
// definition; scripts/fixtures/make_detection_curves.py writes it again in NumPy.
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { BoxFormat, readBoxes, readNumbers } from './boxes';

/** A prediction's outcome: 'tp' right class, 'fp' wrong class or no truth, 'ignored' on a crowd region, 'below' under the confidence threshold. */
export type PredictionOutcome = 'tp' | 'fp' | 'ignored' | 'below';
/** A true box's outcome: 'tp' found with its class, 'fn' missed or found with another class, 'crowd' a crowd region (never counted). */
export type TruthOutcome = 'tp' | 'fn' | 'crowd';

export interface ImageOutcomes {
  predictions: PredictionOutcome[];
  truth: TruthOutcome[];
  tp: number;
  fp: number;
  fn: number;
}

/** @internal One image's boxes read and checked. */
export interface ImageBoxes {
  boxes: Float64Array;
  classes: ArrayLike<number>;
  crowd: Uint8Array | null;
  scores: ArrayLike<number> | null;
}

const INT32 = (x: number) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

/** @internal Reads one image's truth ({ boxes, classes, iscrowd? }) or predictions ({ boxes, classes, scores }). */
export function readImage(value: unknown, name: string, format: BoxFormat, predictions: boolean): ImageBoxes {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ArgumentError(
      `${name}: expected { boxes, classes${predictions ? ', scores' : ', iscrowd?'} }, got ${v.describe(value)}`,
    );
  const o = value as Record<string, unknown>;
  const boxes = readBoxes(o.boxes, `${name}.boxes`, format);
  const n = boxes.length / 4;
  const classes = readNumbers(o.classes, `${name}.classes`, n, INT32, 'an int32 class id');
  let crowd: Uint8Array | null = null;
  let scores: ArrayLike<number> | null = null;
  if (predictions) scores = readNumbers(o.scores, `${name}.scores`, n, Number.isFinite, 'a finite score');
  else if (o.iscrowd !== undefined) {
    const list = o.iscrowd as ArrayLike<unknown>;
    if (!(Array.isArray(list) || list instanceof Uint8Array) || list.length !== n)
      throw new ArgumentError(`${name}.iscrowd: expected ${n} flags (0 / 1 or booleans), got ${v.describe(list)}`);
    crowd = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const x = list[k];
      if (x !== 0 && x !== 1 && x !== true && x !== false)
        throw new ArgumentError(`${name}.iscrowd[${k}]: expected 0, 1 or a boolean, got ${v.describe(x)}`);
      crowd[k] = x === 1 || x === true ? 1 : 0;
    }
  }
  return { boxes, classes, crowd, scores };
}

// Intersection over union of two xywh boxes (areas w * h, no +1, as COCO), or over the
// prediction's area for a crowd region.
function iou(d: Float64Array, di: number, g: Float64Array, gi: number, crowd: boolean): number {
  const w = Math.min(d[di + 2]! + d[di]!, g[gi + 2]! + g[gi]!) - Math.max(d[di]!, g[gi]!);
  if (w <= 0) return 0;
  const h = Math.min(d[di + 3]! + d[di + 1]!, g[gi + 3]! + g[gi + 1]!) - Math.max(d[di + 1]!, g[gi + 1]!);
  if (h <= 0) return 0;
  const i = w * h;
  const da = d[di + 2]! * d[di + 3]!;
  return i / (crowd ? da : da + g[gi + 2]! * g[gi + 3]! - i);
}

/**
 * @internal Matches one image. `cell(trueClass, predClass)` is called once per counted pair
 * (null = background): a match, a missed truth (pred -1) or an unmatched prediction (true -1).
 */
export function matchImage(
  truth: ImageBoxes,
  pred: ImageBoxes,
  iouThreshold: number,
  confidenceThreshold: number,
  cell?: (trueClass: number | null, predClass: number | null) => void,
): ImageOutcomes {
  const G = truth.classes.length,
    D = pred.classes.length;
  const scores = pred.scores!;
  const out: ImageOutcomes = {
    predictions: new Array<PredictionOutcome>(D).fill('below'),
    truth: new Array<TruthOutcome>(G).fill('fn'),
    tp: 0,
    fp: 0,
    fn: 0,
  };
  const kept: number[] = [];
  for (let d = 0; d < D; d++) if (scores[d]! >= confidenceThreshold) kept.push(d);
  const isCrowd = (g: number) => truth.crowd !== null && truth.crowd[g] === 1;
  const pairs: Array<[number, number, number]> = [];
  for (const d of kept)
    for (let g = 0; g < G; g++) {
      if (isCrowd(g)) continue;
      const x = iou(pred.boxes, 4 * d, truth.boxes, 4 * g, false);
      if (x >= iouThreshold) pairs.push([x, d, g]);
    }
  // Highest IoU first; ties: higher score, then lower prediction index, then lower truth index.
  pairs.sort((a, b) => b[0] - a[0] || scores[b[1]]! - scores[a[1]]! || a[1] - b[1] || a[2] - b[2]);
  const predMatch = new Int32Array(D).fill(-1),
    truthMatched = new Uint8Array(G);
  for (const [, d, g] of pairs) {
    if (predMatch[d] !== -1 || truthMatched[g]) continue;
    predMatch[d] = g;
    truthMatched[g] = 1;
  }
  for (let g = 0; g < G; g++) if (isCrowd(g)) out.truth[g] = 'crowd';
  for (const d of kept) {
    const g = predMatch[d]!;
    if (g !== -1) {
      cell?.(truth.classes[g]!, pred.classes[d]!);
      if (truth.classes[g] === pred.classes[d]) {
        out.predictions[d] = 'tp';
        out.truth[g] = 'tp';
        out.tp++;
      } else {
        out.predictions[d] = 'fp';
        out.fp++;
      }
      continue;
    }
    let onCrowd = false;
    for (let c = 0; c < G && !onCrowd; c++)
      onCrowd = isCrowd(c) && iou(pred.boxes, 4 * d, truth.boxes, 4 * c, true) >= iouThreshold;
    if (onCrowd) out.predictions[d] = 'ignored';
    else {
      out.predictions[d] = 'fp';
      out.fp++;
      cell?.(null, pred.classes[d]!);
    }
  }
  for (let g = 0; g < G; g++) {
    if (isCrowd(g) || truthMatched[g]) {
      if (truthMatched[g] && out.truth[g] === 'fn') out.fn++; // found with another class
      continue;
    }
    out.fn++;
    cell?.(truth.classes[g]!, null);
  }
  return out;
}
