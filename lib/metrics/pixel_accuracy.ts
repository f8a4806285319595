// Pixel accuracy: correctly classified pixels / valid pixels (the ignored class left out).
import { ConfusionMetric, ConfusionOptions, CONFUSION_TABLE, confusionConfig, marginals } from './confusion_base';
import { optionKeys } from '../option_keys';
import { MetricResult, registerMetricKind } from './metric';
import * as opt from './options';

export interface PixelAccuracyOptions extends ConfusionOptions {
  /** Default 2. */
  numClasses?: number;
}

const KEYS = optionKeys<PixelAccuracyOptions>('new PixelAccuracy', { ...CONFUSION_TABLE, numClasses: true });

export interface AccuracyResult extends MetricResult {
  /** correct / total (NaN before any pixel). */
  value: number;
  correct: number;
  total: number;
}

/** @internal */
export function accuracyOf(matrix: Float64Array, k: number): AccuracyResult {
  const { diagonal, total } = marginals(matrix, k);
  const correct = diagonal.reduce((a, b) => a + b, 0);
  return { value: total > 0 ? correct / total : NaN, correct, total };
}

/** Correctly classified pixels / valid pixels. */
export class PixelAccuracy extends ConfusionMetric<AccuracyResult> {
  readonly kind = 'PixelAccuracy';

  constructor(options?: PixelAccuracyOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(
      o.name,
      'pixel-accuracy',
      confusionConfig(o.numClasses === undefined ? 2 : opt.numClasses(o.numClasses, 'options.numClasses'), o),
    );
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): AccuracyResult {
    return accuracyOf(matrix, this.config.numClasses);
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: AccuracyResult): string {
    return `${r.correct}/${r.total} pixels`;
  }
}

registerMetricKind('PixelAccuracy', (config, name) => new PixelAccuracy({ ...(config as PixelAccuracyOptions), name }));
