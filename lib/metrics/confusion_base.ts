// The shared machinery of every pixel-classification metric: a numClasses x numClasses
// confusion matrix over pixels (rows: true class, columns: predicted class; pixels of the
// ignored class left out), counted natively per image and summed here. MeanIoU, IoU, Dice,
// pixel / binary accuracy, precision and recall are different reads of the same matrix.
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { Batch, checkSameImages, isFloat, readBatch, sizeOf } from './inputs';
import { Measurement, Metric, MetricResult, internalCall, matrixRows } from './metric';
import { native, NativeConfusionOptions } from '../binding';
import type { KeyTable } from '../option_keys';
import * as opt from './options';
import { checkThreshold } from './threshold_convention';

export interface ConfusionOptions {
  /** True class ids equal to this are left out (Keras' ignore_class). Default: none. */
  ignoreClass?: number | null;
  /**
   * How yPred becomes class ids. 'auto' (default): integer / bool tensors are class ids; a
   * float batch with numClasses channels holds per-class scores (argmax); a one-channel
   * float batch holds the probability of class 1 (numClasses 2), compared with `threshold`.
   */
  predictions?: opt.PredictionKind;
  /** For probabilities: class 1 when the probability is greater than this. Default 0.5. */
  threshold?: number;
  /**
   * What mask pixel values mean (truth, and predictions given as class ids): 'ids' (class
   * ids as they are), 'binary' (0 is class 0, any other value class 1; numClasses 2, no
   * ignoreClass), or 'auto' (default): per uint8 mask, class ids when every value is one
   * (or the ignored class), binary for 0/255 masks, otherwise an ArgumentError naming the
   * values seen. A 0/255 mask under ignoreClass 255 is refused as ambiguous.
   */
  masks?: opt.MaskConvention;
  name?: string;
}

/** The config every confusion-matrix metric shares (plus its own options). */
export interface ConfusionConfig {
  numClasses: number;
  ignoreClass: number | null;
  predictions: opt.PredictionKind;
  threshold: number;
  masks: opt.MaskConvention;
  [key: string]: unknown;
}

/** @internal Reads the options every confusion-matrix metric shares. */
export function confusionConfig(numClasses: number, o: Partial<ConfusionOptions>): ConfusionConfig {
  const ignoreClass = opt.ignoreClass(o.ignoreClass);
  const masks = opt.maskConvention(o.masks);
  if (masks === 'binary' && numClasses !== 2) {
    throw new ArgumentError(
      `options.masks: 'binary' masks have two classes (0 and non-zero), got numClasses ${numClasses}; use masks: 'ids' for multi-class masks`,
    );
  }
  if (masks === 'binary' && ignoreClass !== null) {
    throw new ArgumentError(
      `options.ignoreClass: ${ignoreClass} is ${ignoreClass === 0 ? 'the background' : 'a foreground value'} of a binary mask (masks 'binary': 0 is background, every other value foreground), so it cannot be ignored; ` +
        `use masks: 'ids' for masks with an ignore label (e.g. 0/1 with 255 ignored)`,
    );
  }
  return {
    numClasses,
    ignoreClass,
    predictions:
      o.predictions === undefined
        ? 'auto'
        : ((['auto', 'class-ids', 'scores', 'probability'] as const).find((p) => p === o.predictions) ??
          badPredictions(o.predictions)),
    threshold: opt.numberOption(o.threshold, 'options.threshold', 0.5),
    masks,
  };
}

function badPredictions(value: unknown): never {
  throw new ArgumentError(
    `options.predictions: expected 'auto' | 'class-ids' | 'scores' | 'probability', got ${JSON.stringify(value) ?? String(value)}`,
  );
}

/** @internal The keys of ConfusionOptions, which the confusion metrics' options extend. */
export const CONFUSION_SETTINGS_TABLE: KeyTable<Omit<ConfusionOptions, 'name'>> = {
  ignoreClass: true,
  predictions: true,
  threshold: true,
  masks: true,
};
/** @internal */
export const CONFUSION_TABLE: KeyTable<ConfusionOptions> = { ...CONFUSION_SETTINGS_TABLE, name: true };

/** The base of the pixel-classification metrics: a confusion matrix over pixels, read in different ways. */
export abstract class ConfusionMetric<TResult extends MetricResult> extends Metric<TResult> {
  readonly usesTruth = true;
  declare readonly config: Readonly<ConfusionConfig>;

  /** @internal */
  protected constructor(name: unknown, defaultName: string, config: ConfusionConfig) {
    super(name, defaultName, config);
  }

  /** Number of classes (the matrix is numClasses x numClasses). */
  get numClasses(): number {
    return this.config.numClasses;
  }

  /** The accumulated matrix, rows = true class, columns = predicted class (a copy). */
  matrix(): number[][] {
    return matrixRows(this.state.matrix as Float64Array);
  }

  /** @internal */
  protected emptyState() {
    return { matrix: new Float64Array(this.config.numClasses * this.config.numClasses) };
  }

  /** @internal */
  protected measure(yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    const truth = readBatch(yTrue, 'yTrue');
    const pred = readBatch(yPred, 'yPred');
    checkSameImages(truth, pred);
    if (truth.count > 0 && sizeOf(truth, 0)[2] !== 1) {
      throw new ShapeError(`yTrue: class ids need one channel, got ${sizeOf(truth, 0)[2]}`);
    }
    const prediction = this.#predictionKind(pred);
    if (prediction === 'probability' && isFloat(pred.dtype))
      checkThreshold(this.kind, this.config.threshold, pred, yPred);
    const options: NativeConfusionOptions = {
      numClasses: this.config.numClasses,
      ignoreClass: this.config.ignoreClass,
      prediction,
      threshold: this.config.threshold,
      masks: this.config.masks,
    };
    return {
      count: truth.count,
      sync: () => native.metricConfusionSync(truth.handle, pred.handle, options),
      async: () => native.metricConfusion(truth.handle, pred.handle, options),
    };
  }

  #predictionKind(pred: Batch): NativeConfusionOptions['prediction'] {
    const k = this.config.numClasses;
    // An empty batch adds nothing, whatever its layout.
    if (pred.count === 0) return 'class-ids';
    const channels = sizeOf(pred, 0)[2];
    const float = isFloat(pred.dtype);
    let kind = this.config.predictions;
    if (kind === 'auto') {
      if (!float) kind = 'class-ids';
      else if (channels === 1) {
        if (k !== 2) {
          throw new ArgumentError(
            `yPred: one-channel float predictions are read as the probability of class 1, which needs numClasses 2 (got ${k}); pass { predictions: 'class-ids' } if they hold class ids`,
          );
        }
        kind = 'probability';
      } else if (channels === k) kind = 'scores';
      else
        throw new ShapeError(
          `yPred: float predictions need 1 channel (a probability) or numClasses = ${k} channels (scores), got ${channels}`,
        );
    }
    if (kind === 'scores' && !float) throw new DTypeError(`yPred: per-class scores must be float, got ${pred.dtype}`);
    if (kind === 'scores' && channels !== k)
      throw new ShapeError(`yPred: per-class scores need numClasses = ${k} channels, got ${channels}`);
    if (kind === 'probability' && k !== 2) throw new ArgumentError(`yPred: probabilities need numClasses 2, got ${k}`);
    if (kind !== 'scores' && channels !== 1)
      throw new ShapeError(
        `yPred: ${kind === 'probability' ? 'a probability' : 'class ids'} need one channel, got ${channels}`,
      );
    return kind;
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    const block = this.config.numClasses ** 2;
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(this.matrixValue(raw.subarray(i * block, (i + 1) * block)));
    return out;
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    const block = this.config.numClasses ** 2;
    const matrix = this.state.matrix as Float64Array;
    for (let i = 0; i < count; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (w === 0) continue;
      for (let j = 0; j < block; j++) matrix[j]! += w * raw[i * block + j]!;
    }
    return this.perSample(raw, count);
  }

  /**
   * @internal The headline value of one matrix (per-sample values use it on each image's
   * matrix). A subclass overrides it when its full result costs more than the value.
   */
  protected matrixValue(matrix: Float64Array): number {
    return this.resultOf(matrix).value;
  }

  override result(): TResult {
    return internalCall(() => this.resultOf(this.state.matrix as Float64Array));
  }

  /** @internal */
  protected abstract resultOf(matrix: Float64Array): TResult;
}

/** @internal Row sums (true counts), column sums (predicted counts) and the diagonal. */
export function marginals(matrix: Float64Array, k: number) {
  const truth = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  const diagonal = new Array<number>(k).fill(0);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const x = matrix[r * k + c]!;
      truth[r]! += x;
      predicted[c]! += x;
    }
    diagonal[r] = matrix[r * k + r]!;
  }
  return { truth, predicted, diagonal, total: truth.reduce((a, b) => a + b, 0) };
}
