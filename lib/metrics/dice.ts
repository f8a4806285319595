// Dice coefficient (F1 over pixels) per class from the pixel confusion matrix:
// Dice_c = 2TP / (2TP + FP + FN); the headline value averages `targetClassIds` (every class by
// default; [1] for the usual foreground Dice of a binary mask) over classes where it is defined.
import { ConfusionMetric, CONFUSION_TABLE, confusionConfig, marginals } from './confusion_base';
import { optionKeys } from '../option_keys';
import { targetClassIds } from './iou';
import { MetricResult, registerMetricKind } from './metric';
import { IoUOptions, meanOverClasses } from './mean_iou';
import * as opt from './options';
import { formatList } from './format_number';

export interface DiceOptions extends IoUOptions {
  /** The classes averaged into `value`. Default: every class. */
  targetClassIds?: readonly number[];
}

const KEYS = optionKeys<DiceOptions>('new Dice', { ...CONFUSION_TABLE, emptyPolicy: true, targetClassIds: true });

export interface DiceResult extends MetricResult {
  value: number;
  /** Dice per class (NaN where the class is absent from truth and prediction). */
  perClass: number[];
  validClasses: number;
}

/** Dice per class over pixels: `value` is the mean over targetClassIds with a defined Dice. */
export class Dice extends ConfusionMetric<DiceResult> {
  readonly kind = 'Dice';

  constructor(numClasses: number, options?: DiceOptions) {
    const o = opt.metricOptions(options, KEYS);
    const k = opt.numClasses(numClasses);
    super(o.name, 'dice', {
      ...confusionConfig(k, o),
      emptyPolicy: opt.emptyPolicy(o.emptyPolicy, ['zero', 'nan'] as const, 'zero'),
      targetClassIds: targetClassIds(o.targetClassIds, k),
    });
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): DiceResult {
    const k = this.config.numClasses;
    const { truth, predicted, diagonal } = marginals(matrix, k);
    const perClass = diagonal.map((tp, c) => {
      const denominator = truth[c]! + predicted[c]!; // 2TP + FP + FN
      return denominator > 0 ? (2 * tp) / denominator : NaN;
    });
    return {
      ...meanOverClasses(perClass, this.config.targetClassIds as number[], this.config.emptyPolicy as 'zero' | 'nan'),
      perClass,
    };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: DiceResult): string {
    return `per class: ${formatList(r.perClass)}`;
  }
}

registerMetricKind(
  'Dice',
  ({ numClasses, ...rest }, name) => new Dice(numClasses as number, { ...(rest as DiceOptions), name }),
);
