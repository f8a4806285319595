// A confusion matrix for object detection: rows the true class, columns the predicted class,
// plus a background row (predictions matching no truth) and a background column (truth no
// prediction found). Boxes are matched per image greedily by IoU across classes
// (lib/detection/confusion_match.ts; defined in docs/METRICS.md "Detection confusion matrix"),
// so a box found with the wrong class lands off the diagonal. The state is the (K+1)² count
// matrix: merging is addition, as for the pixel confusion matrix.
import { ArgumentError } from '../errors';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { BOX_FORMATS, BoxFormat } from '../detection/boxes';
import { ImageOutcomes, matchImage, readImage } from '../detection/confusion_match';
import type { MetricInput, SampleWeight } from './inputs';
import type { DetectionPrediction, DetectionTruth } from './mean_average_precision';
import { Measurement, Metric, MetricResult, TruthInput, matrixRows, registerMetricKind } from './metric';
import { formatNumber } from './format_number';
import * as opt from './options';

export interface DetectionConfusionMatrixOptions {
  /** A prediction and a truth box can match when their IoU is >= this. In (0, 1]; default 0.5. */
  iouThreshold?: number;
  /** Predictions scoring below this are left out. Default 0.25. */
  confidenceThreshold?: number;
  /** Layout of the boxes given to update(). Default 'xywh'. */
  boxFormat?: BoxFormat;
  name?: string;
}

export interface DetectionClassCounts {
  classId: number;
  tp: number;
  fp: number;
  fn: number;
  /** tp / (tp + fp); NaN when nothing was predicted as the class. */
  precision: number;
  /** tp / (tp + fn); NaN when the class has no truth. */
  recall: number;
  /** 2tp / (2tp + fp + fn); NaN when both are empty. */
  f1: number;
}

export interface DetectionConfusionMatrixResult extends MetricResult {
  /** F1 over all classes: 2TP / (2TP + FP + FN) with the counts summed over classes; NaN before anything counted. */
  value: number;
  /** The class ids of rows and columns 0..K-1; row and column K are the background. */
  classes: number[];
  /** matrix[trueRow][predictedColumn] = boxes; matrix[K][c]: predictions of class c matching no truth; matrix[r][K]: truth of class r no prediction found. */
  matrix: number[][];
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  perClass: DetectionClassCounts[];
  images: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function readClasses(value: unknown): number[] {
  if (typeof value === 'number') return Array.from({ length: opt.numClasses(value, 'classes') }, (_, i) => i);
  const list = v.arrayItems(value, 'classes', 4096, 'a class count or an array of int32 class ids');
  if (list.length === 0) throw new ArgumentError('classes: expected at least one class id, got []');
  const seen = new Set<number>();
  return list.map((x, i) => {
    const id = v.integer(x, `classes[${i}]`, -(2 ** 31), 2 ** 31 - 1);
    if (seen.has(id)) throw new ArgumentError(`classes[${i}]: class id ${id} is listed twice`);
    seen.add(id);
    return id;
  });
}

function listOf(value: unknown, name: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return [value];
  throw new ArgumentError(
    `${name}: expected one image's { boxes, classes, ... } or an array of them, got ${v.describe(value)}`,
  );
}

/**
 * The detection confusion matrix (rows: true class + background, columns: predicted class +
 * background). `classes`: a count K (class ids 0..K-1) or the class ids in row order; a box of
 * any other class is an ArgumentError. update(yTrue, yPred) takes one image's
 * { boxes, classes, iscrowd? } and { boxes, classes, scores } or arrays of them, and resolves
 * with each image's F1 (NaN when it has nothing to count).
 */
const CONFUSION_KEYS = optionKeys<DetectionConfusionMatrixOptions>('new DetectionConfusionMatrix', {
  iouThreshold: true,
  confidenceThreshold: true,
  boxFormat: true,
  name: true,
});

export class DetectionConfusionMatrix extends Metric<DetectionConfusionMatrixResult> {
  readonly kind = 'DetectionConfusionMatrix';
  readonly usesTruth = true;
  declare readonly config: Readonly<{
    classes: number[];
    iouThreshold: number;
    confidenceThreshold: number;
    boxFormat: BoxFormat;
  }>;
  readonly #index: Map<number, number>;

  constructor(classes: number | readonly number[], options?: DetectionConfusionMatrixOptions) {
    const o = opt.metricOptions(options, CONFUSION_KEYS);
    const ids = readClasses(classes);
    const iouThreshold = opt.numberOption(o.iouThreshold, 'options.iouThreshold', 0.5);
    if (!(iouThreshold > 0 && iouThreshold <= 1))
      throw new ArgumentError(
        `options.iouThreshold: expected a number in (0, 1] (0 would match boxes that do not overlap), got ${iouThreshold}`,
      );
    super(o.name, 'detection-confusion-matrix', {
      classes: ids,
      iouThreshold,
      confidenceThreshold: opt.numberOption(o.confidenceThreshold, 'options.confidenceThreshold', 0.25),
      boxFormat: v.oneOf(o.boxFormat, BOX_FORMATS, 'options.boxFormat', 'xywh'),
    });
    this.#index = new Map(ids.map((id, i) => [id, i]));
  }

  override update(
    yTrue: TruthInput | DetectionTruth | readonly DetectionTruth[],
    yPred: MetricInput | DetectionPrediction | readonly DetectionPrediction[],
    sampleWeight?: SampleWeight,
  ): Promise<number[]> {
    return super.update(yTrue as TruthInput, yPred as MetricInput, sampleWeight);
  }

  override updateSync(
    yTrue: TruthInput | DetectionTruth | readonly DetectionTruth[],
    yPred: MetricInput | DetectionPrediction | readonly DetectionPrediction[],
    sampleWeight?: SampleWeight,
  ): number[] {
    return super.updateSync(yTrue as TruthInput, yPred as MetricInput, sampleWeight);
  }

  override updateState(
    yTrue: TruthInput | DetectionTruth | readonly DetectionTruth[],
    yPred: MetricInput | DetectionPrediction | readonly DetectionPrediction[],
    sampleWeight?: SampleWeight,
  ): Promise<number[]> {
    return this.update(yTrue, yPred, sampleWeight);
  }

  /**
   * Each image's outcome per prediction ('tp' | 'fp' | 'ignored' | 'below') and per true box
   * ('tp' | 'fn' | 'crowd') under this metric's matching, without changing its state.
   */
  outcomes(
    yTrue: DetectionTruth | readonly DetectionTruth[],
    yPred: DetectionPrediction | readonly DetectionPrediction[],
  ): ImageOutcomes[] {
    return this.#match(yTrue, yPred, null);
  }

  #match(yTrue: unknown, yPred: unknown, matrix: Float64Array | null): ImageOutcomes[] {
    const truthList = listOf(yTrue, 'yTrue');
    const predList = listOf(yPred, 'yPred');
    if (truthList.length !== predList.length)
      throw new ArgumentError(
        `yPred: expected one prediction per truth image (${truthList.length}), got ${predList.length}`,
      );
    const c = this.config;
    const images = truthList.map((t, i) => {
      const truth = readImage(t, `yTrue[${i}]`, c.boxFormat, false);
      const pred = readImage(predList[i], `yPred[${i}]`, c.boxFormat, true);
      this.#checkClasses(truth.classes, `yTrue[${i}].classes`);
      this.#checkClasses(pred.classes, `yPred[${i}].classes`);
      return { truth, pred };
    });
    const k = c.classes.length;
    const cell = matrix
      ? (t: number | null, p: number | null) => {
          const r = t === null ? k : this.#index.get(t)!;
          const col = p === null ? k : this.#index.get(p)!;
          matrix[r * (k + 1) + col]! += 1;
        }
      : undefined;
    return images.map(({ truth, pred }) => matchImage(truth, pred, c.iouThreshold, c.confidenceThreshold, cell));
  }

  #checkClasses(classes: ArrayLike<number>, name: string): void {
    for (let j = 0; j < classes.length; j++)
      if (!this.#index.has(classes[j]!))
        throw new ArgumentError(
          `${name}[${j}]: class ${classes[j]} is not one of the metric's classes (${formatIds(this.config.classes)}); construct DetectionConfusionMatrix with every class id`,
        );
  }

  /** @internal Matching is plain arithmetic on a few boxes per image: it runs inline. */
  protected measure(yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    const k = this.config.classes.length;
    const matrix = new Float64Array((k + 1) * (k + 1));
    const images = this.#match(yTrue, yPred, matrix);
    const raw = new Float64Array(images.length + matrix.length);
    images.forEach((o, i) => (raw[i] = ratio(2 * o.tp, 2 * o.tp + o.fp + o.fn)));
    raw.set(matrix, images.length);
    return { count: images.length, sync: () => raw, async: () => Promise.resolve(raw) };
  }

  /** @internal */
  protected emptyState() {
    const k = this.config.classes.length;
    return { matrix: new Float64Array((k + 1) * (k + 1)), images: 0 };
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    return Array.from(raw.subarray(0, count));
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    if (weights !== null)
      throw new ArgumentError('sampleWeight: DetectionConfusionMatrix counts boxes and does not weight images');
    const matrix = this.state.matrix as Float64Array;
    for (let j = 0; j < matrix.length; j++) matrix[j]! += raw[count + j]!;
    (this.state as Record<string, number>).images! += count;
    return this.perSample(raw, count);
  }

  result(): DetectionConfusionMatrixResult {
    const m = this.state.matrix as Float64Array;
    const ids = this.config.classes;
    const k = ids.length,
      n = k + 1;
    let tp = 0,
      fp = 0,
      fn = 0;
    const perClass = ids.map((classId, c) => {
      const t = m[c * n + c]!;
      let row = 0,
        col = 0;
      for (let j = 0; j < n; j++) {
        row += m[c * n + j]!;
        col += m[j * n + c]!;
      }
      const cfp = col - t,
        cfn = row - t;
      tp += t;
      fp += cfp;
      fn += cfn;
      return {
        classId,
        tp: t,
        fp: cfp,
        fn: cfn,
        precision: ratio(t, t + cfp),
        recall: ratio(t, t + cfn),
        f1: ratio(2 * t, 2 * t + cfp + cfn),
      };
    });
    return {
      value: ratio(2 * tp, 2 * tp + fp + fn),
      classes: ids.slice(),
      matrix: matrixRows(m),
      tp,
      fp,
      fn,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      perClass,
      images: (this.state as Record<string, number>).images!,
    };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: DetectionConfusionMatrixResult): string {
    return `TP ${r.tp}, FP ${r.fp}, FN ${r.fn}; precision ${formatNumber(r.precision)}, recall ${formatNumber(r.recall)} at IoU >= ${this.config.iouThreshold}, score >= ${this.config.confidenceThreshold} (${r.images} images, ${r.classes.length} classes + background)`;
  }
}

function formatIds(ids: readonly number[]): string {
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')}, ... ${ids.length} ids`;
}

registerMetricKind(
  'DetectionConfusionMatrix',
  ({ classes, ...rest }, name) =>
    new DetectionConfusionMatrix(classes as number[], { ...(rest as DetectionConfusionMatrixOptions), name }),
);
