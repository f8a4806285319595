// Precision and recall of one class over pixels (Keras' Precision / Recall for binary masks,
// per class for more): precision = TP / (TP + FP), recall = TP / (TP + FN). An empty
// denominator gives 0, as in Keras (emptyPolicy 'zero'), or NaN with emptyPolicy 'nan'.
import { ConfusionMetric, CONFUSION_TABLE, confusionConfig, marginals } from './confusion_base';
import { optionKeys } from '../option_keys';
import { BinaryOptions } from './binary_accuracy';
import { MetricResult, registerMetricKind } from './metric';
import * as opt from './options';

export interface PrecisionRecallOptions extends BinaryOptions {
  /** Default 2 (binary masks). */
  numClasses?: number;
  /** The positive class. Default 1. */
  classId?: number;
  /** When the denominator is 0: 'zero' (default, as Keras) or 'nan'. */
  emptyPolicy?: 'zero' | 'nan';
}

export interface PrecisionResult extends MetricResult {
  value: number;
  truePositives: number;
  falsePositives: number;
}

export interface RecallResult extends MetricResult {
  value: number;
  truePositives: number;
  falseNegatives: number;
}

const TABLE = { ...CONFUSION_TABLE, numClasses: true, classId: true, emptyPolicy: true } as const;
const PRECISION_KEYS = optionKeys<PrecisionRecallOptions>('new Precision', TABLE);
const RECALL_KEYS = optionKeys<PrecisionRecallOptions>('new Recall', TABLE);

function config(o: Partial<PrecisionRecallOptions>) {
  const k = o.numClasses === undefined ? 2 : opt.numClasses(o.numClasses, 'options.numClasses');
  return {
    ...confusionConfig(k, o),
    classId: o.classId === undefined ? Math.min(1, k - 1) : opt.classId(o.classId, 'options.classId', k),
    emptyPolicy: opt.emptyPolicy(o.emptyPolicy, ['zero', 'nan'] as const, 'zero'),
  };
}

function counts(matrix: Float64Array, k: number, c: number) {
  const { truth, predicted, diagonal } = marginals(matrix, k);
  const tp = diagonal[c]!;
  return { tp, fp: predicted[c]! - tp, fn: truth[c]! - tp };
}

function ratio(numerator: number, denominator: number, emptyPolicy: unknown): number {
  return denominator > 0 ? numerator / denominator : emptyPolicy === 'nan' ? NaN : 0;
}

/** Keras-compatible precision of one class over pixels: TP / (TP + FP). */
export class Precision extends ConfusionMetric<PrecisionResult> {
  readonly kind = 'Precision';

  constructor(options?: PrecisionRecallOptions) {
    const o = opt.metricOptions(options, PRECISION_KEYS);
    super(o.name, 'precision', config(o));
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): PrecisionResult {
    const { tp, fp } = counts(matrix, this.config.numClasses, this.config.classId as number);
    return { value: ratio(tp, tp + fp, this.config.emptyPolicy), truePositives: tp, falsePositives: fp };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: PrecisionResult): string {
    return `TP ${r.truePositives}, FP ${r.falsePositives} pixels`;
  }
}

/** Keras-compatible recall of one class over pixels: TP / (TP + FN). */
export class Recall extends ConfusionMetric<RecallResult> {
  readonly kind = 'Recall';

  constructor(options?: PrecisionRecallOptions) {
    const o = opt.metricOptions(options, RECALL_KEYS);
    super(o.name, 'recall', config(o));
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): RecallResult {
    const { tp, fn } = counts(matrix, this.config.numClasses, this.config.classId as number);
    return { value: ratio(tp, tp + fn, this.config.emptyPolicy), truePositives: tp, falseNegatives: fn };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: RecallResult): string {
    return `TP ${r.truePositives}, FN ${r.falseNegatives} pixels`;
  }
}

registerMetricKind('Precision', (config, name) => new Precision({ ...(config as PrecisionRecallOptions), name }));
registerMetricKind('Recall', (config, name) => new Recall({ ...(config as PrecisionRecallOptions), name }));
