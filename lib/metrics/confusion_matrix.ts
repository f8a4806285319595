// The pixel confusion matrix itself as a metric (rows: true class, columns: predicted
// class), for reports and for computing any ratio not offered as a class.
import { ConfusionMetric, ConfusionOptions, CONFUSION_TABLE, confusionConfig } from './confusion_base';
import { optionKeys } from '../option_keys';
import { MetricResult, matrixRows, registerMetricKind } from './metric';
import { accuracyOf } from './pixel_accuracy';
import * as opt from './options';

export interface ConfusionMatrixResult extends MetricResult {
  /** Pixel accuracy (trace / total; NaN before any pixel). */
  value: number;
  /** matrix[trueClass][predictedClass] = pixels. */
  matrix: number[][];
  total: number;
}

const KEYS = optionKeys<ConfusionOptions>('new ConfusionMatrix', CONFUSION_TABLE);

/** The pixel confusion matrix (rows: true class, columns: predicted class). */
export class ConfusionMatrix extends ConfusionMetric<ConfusionMatrixResult> {
  readonly kind = 'ConfusionMatrix';

  constructor(numClasses: number, options?: ConfusionOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'confusion-matrix', confusionConfig(opt.numClasses(numClasses), o));
  }

  /** @internal Per-sample values need only the accuracy, not the matrix rows resultOf builds. */
  protected override matrixValue(matrix: Float64Array): number {
    return accuracyOf(matrix, this.config.numClasses).value;
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): ConfusionMatrixResult {
    const { value, total } = accuracyOf(matrix, this.config.numClasses);
    return { value, matrix: matrixRows(matrix), total };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: ConfusionMatrixResult): string {
    return `rows = truth: ${JSON.stringify(r.matrix)}`;
  }
}

registerMetricKind(
  'ConfusionMatrix',
  ({ numClasses, ...rest }, name) => new ConfusionMatrix(numClasses as number, { ...(rest as ConfusionOptions), name }),
);
