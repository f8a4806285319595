// Segmentation accuracy from a pixel count, the second original use case (docs/METRICS.md): a
// sample is predicted positive when more than `minPixels` pixels of its thresholded
// prediction are set; accuracy is the share of samples whose prediction matches the label.
import { ArgumentError, ShapeError } from '../errors';
import * as v from '../validate';
import { isFloat, readBatch, readLabels } from './inputs';
import { Measurement, Metric, MetricResult, registerMetricKind } from './metric';
import { native } from '../binding';
import * as opt from './options';
import { checkMinPixels, checkThreshold } from './threshold_convention';
import { optionKeys } from '../option_keys';

export interface SegmentationAccuracyOptions {
  /**
   * Pixels above it count. 'auto' (default): 100 for integer images (the original), except
   * 0/1 masks (integer images whose values all lie in 0..1), counted above 0; 0.5 for float
   * images. A threshold that puts every pixel of an integer image on one side although its
   * values vary emits a process warning (code TFCV_THRESHOLD_ONE_SIDED).
   */
  threshold?: opt.Threshold;
  /** A sample is positive when its count is greater than this. Default 500. */
  minPixels?: number;
  name?: string;
}

const KEYS = optionKeys<SegmentationAccuracyOptions>('new SegmentationAccuracy', {
  threshold: true,
  minPixels: true,
  name: true,
});

export interface SegmentationAccuracyResult extends MetricResult {
  /** correct / total (NaN before any sample). */
  value: number;
  correct: number;
  total: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/**
 * The share of samples whose "more than minPixels pixels above threshold" prediction (from
 * yPred) matches the label: yTrue is per-sample labels, or truth masks whose label is
 * "more than minPixels non-zero pixels".
 */
export class SegmentationAccuracy extends Metric<SegmentationAccuracyResult> {
  readonly kind = 'SegmentationAccuracy';
  readonly usesTruth = true;
  override readonly truthInputs = ['masks', 'labels'] as const;
  declare readonly config: Readonly<{ threshold: opt.Threshold; minPixels: number }>;

  constructor(options?: SegmentationAccuracyOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'segmentation-accuracy', {
      threshold: opt.threshold(o.threshold, 'options.threshold', 'auto'),
      minPixels: o.minPixels === undefined ? 500 : v.integer(o.minPixels, 'options.minPixels', 0),
    });
  }

  /**
   * @internal
   * yPred: a batch of images or predictions. yTrue: per-sample labels (0 / 1 / booleans, an
   * array or a Tensor [N] / [N,1]), or truth masks, whose label is "more than minPixels
   * non-zero pixels".
   */
  protected measure(yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    if (yTrue === undefined || yTrue === null)
      throw new ArgumentError('yTrue: SegmentationAccuracy needs labels or truth masks, got ' + v.describe(yTrue));
    const pred = readBatch(yPred, 'yPred');
    const t = this.config.threshold === 'auto' ? (isFloat(pred.dtype) ? 0.5 : 100) : this.config.threshold;
    const mode = this.config.threshold === 'auto' ? 'auto' : 'given';
    if (mode === 'given') checkThreshold(this.kind, t, pred, yPred);
    checkMinPixels(this.config.minPixels, pred, 'yPred');
    const labels = readLabels(yTrue, 'yTrue');
    const truth = labels === null ? readBatch(yTrue, 'yTrue') : null;
    if (truth !== null) checkMinPixels(this.config.minPixels, truth, 'yTrue');
    const count = labels?.length ?? truth!.count;
    if (count !== pred.count) {
      throw new ShapeError(
        `yTrue / yPred: expected one label or mask per image, got ${count} in yTrue and ${pred.count} in yPred`,
      );
    }
    // Labels travel with the counts: [count, label] per sample. The native counts come as
    // [count, threshold flag] per image.
    const join = (predCounts: Float64Array, truthCounts: Float64Array | null) => {
      const out = new Float64Array(count * 2);
      for (let i = 0; i < count; i++) {
        out[i * 2] = predCounts[i * 2]!;
        out[i * 2 + 1] = labels ? labels[i]! : truthCounts![i * 2]! > this.config.minPixels ? 1 : 0;
        if (predCounts[i * 2 + 1] === opt.THRESHOLD_ONE_SIDED) opt.warnOneSided(this, this.kind, t, `yPred[${i}]`);
      }
      return out;
    };
    return {
      count,
      sync: () =>
        join(
          native.metricPixelCountSync(pred.handle, t, mode, 'yPred'),
          truth ? native.metricPixelCountSync(truth.handle, 0, 'quiet', 'yTrue') : null,
        ),
      async: async () => {
        const [p, tr] = await Promise.all([
          native.metricPixelCount(pred.handle, t, mode, 'yPred'),
          truth ? native.metricPixelCount(truth.handle, 0, 'quiet', 'yTrue') : Promise.resolve(null),
        ]);
        return join(p, tr);
      },
    };
  }

  /** @internal */
  protected emptyState() {
    return { correct: 0, total: 0, truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push((raw[i * 2]! > this.config.minPixels ? 1 : 0) === raw[i * 2 + 1]! ? 1 : 0);
    return out;
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    const s = this.state as Record<string, number>;
    const values = this.perSample(raw, count);
    for (let i = 0; i < count; i++) {
      const w = weights === null ? 1 : weights[i]!;
      const predicted = raw[i * 2]! > this.config.minPixels;
      const label = raw[i * 2 + 1] === 1;
      s.total! += w;
      if (predicted === label) s.correct! += w;
      const key = predicted ? (label ? 'truePositives' : 'falsePositives') : label ? 'falseNegatives' : 'trueNegatives';
      s[key]! += w;
    }
    return values;
  }

  result(): SegmentationAccuracyResult {
    const s = this.state as Record<string, number>;
    return {
      value: s.total === 0 ? NaN : s.correct! / s.total!,
      correct: s.correct!,
      total: s.total!,
      truePositives: s.truePositives!,
      falsePositives: s.falsePositives!,
      trueNegatives: s.trueNegatives!,
      falseNegatives: s.falseNegatives!,
    };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: SegmentationAccuracyResult): string {
    return `${r.correct}/${r.total} samples (TP ${r.truePositives}, FP ${r.falsePositives}, TN ${r.trueNegatives}, FN ${r.falseNegatives})`;
  }
}

registerMetricKind(
  'SegmentationAccuracy',
  (config, name) => new SegmentationAccuracy({ ...(config as SegmentationAccuracyOptions), name }),
);
