// Binary accuracy over pixels (Keras' BinaryAccuracy): a prediction is class 1 when it is
// above `threshold` (probabilities) or equal to 1 (class ids); truth is 0 / 1.
import { ConfusionMetric, CONFUSION_TABLE, confusionConfig } from './confusion_base';
import { optionKeys } from '../option_keys';
import { AccuracyResult, accuracyOf } from './pixel_accuracy';
import { registerMetricKind } from './metric';
import * as opt from './options';

export interface BinaryOptions {
  /** Probability threshold (prediction > threshold is positive). Default 0.5. */
  threshold?: number;
  /** See ConfusionOptions.predictions. Default 'auto'. */
  predictions?: opt.PredictionKind;
  /** Truth pixels of this value are left out. Default: none. */
  ignoreClass?: number | null;
  /** See ConfusionOptions.masks. Default 'auto'. */
  masks?: opt.MaskConvention;
  name?: string;
}

const KEYS = optionKeys<BinaryOptions>('new BinaryAccuracy', CONFUSION_TABLE);

/** Keras-compatible binary accuracy over pixels (truth 0 / 1). */
export class BinaryAccuracy extends ConfusionMetric<AccuracyResult> {
  readonly kind = 'BinaryAccuracy';

  constructor(options?: BinaryOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'binary-accuracy', confusionConfig(2, o));
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): AccuracyResult {
    return accuracyOf(matrix, 2);
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: AccuracyResult): string {
    return `${r.correct}/${r.total} pixels`;
  }
}

registerMetricKind(
  'BinaryAccuracy',
  ({ numClasses: _k, ...rest }, name) => new BinaryAccuracy({ ...(rest as BinaryOptions), name }),
);
