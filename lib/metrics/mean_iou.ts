// Mean intersection over union from the pixel confusion matrix, as Keras' MeanIoU computes
// it: IoU_c = TP / (TP + FP + FN), averaged over the classes whose denominator is not 0
// (classes absent from both truth and prediction are left out of the mean).
import { ConfusionMetric, ConfusionOptions, CONFUSION_TABLE, confusionConfig, marginals } from './confusion_base';
import { optionKeys } from '../option_keys';
import { MetricResult, registerMetricKind } from './metric';
import * as opt from './options';
import { formatList } from './format_number';

export interface IoUOptions extends ConfusionOptions {
  /** When no class has a defined IoU: 'zero' (default, as Keras) or 'nan'. */
  emptyPolicy?: 'zero' | 'nan';
}

const KEYS = optionKeys<IoUOptions>('new MeanIoU', { ...CONFUSION_TABLE, emptyPolicy: true });

export interface IoUResult extends MetricResult {
  /** The mean over the classes taken into account that have a defined IoU. */
  value: number;
  /** IoU per class (NaN where TP + FP + FN = 0). */
  perClass: number[];
  /** How many classes entered the mean. */
  validClasses: number;
}

/** @internal IoU per class and their mean over `targets`. */
export function iouOf(
  matrix: Float64Array,
  k: number,
  targets: readonly number[] | null,
  emptyPolicy: 'zero' | 'nan',
): IoUResult {
  const { truth, predicted, diagonal } = marginals(matrix, k);
  const perClass = diagonal.map((tp, c) => {
    const denominator = truth[c]! + predicted[c]! - tp;
    return denominator > 0 ? tp / denominator : NaN;
  });
  return { ...meanOverClasses(perClass, targets, emptyPolicy), perClass };
}

/**
 * @internal The mean of per-class values over `targets` (every class when null), skipping
 * classes where the value is undefined (NaN); none defined: 0 or NaN per emptyPolicy.
 */
export function meanOverClasses(
  perClass: readonly number[],
  targets: readonly number[] | null,
  emptyPolicy: 'zero' | 'nan',
): { value: number; validClasses: number } {
  const used = (targets ?? perClass.map((_, c) => c)).map((c) => perClass[c]!).filter((x) => !Number.isNaN(x));
  const value = used.length > 0 ? used.reduce((a, b) => a + b, 0) / used.length : emptyPolicy === 'zero' ? 0 : NaN;
  return { value, validClasses: used.length };
}

/** Keras-compatible mean IoU over pixels: yTrue class ids [N,H,W], yPred class ids, scores or probabilities. */
export class MeanIoU extends ConfusionMetric<IoUResult> {
  readonly kind = 'MeanIoU';

  constructor(numClasses: number, options?: IoUOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'mean-iou', {
      ...confusionConfig(opt.numClasses(numClasses), o),
      emptyPolicy: opt.emptyPolicy(o.emptyPolicy, ['zero', 'nan'] as const, 'zero'),
    });
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): IoUResult {
    return iouOf(matrix, this.config.numClasses, null, this.config.emptyPolicy as 'zero' | 'nan');
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: IoUResult): string {
    return `per class: ${formatList(r.perClass)}`;
  }
}

registerMetricKind(
  'MeanIoU',
  ({ numClasses, ...rest }, name) => new MeanIoU(numClasses as number, { ...(rest as IoUOptions), name }),
);
