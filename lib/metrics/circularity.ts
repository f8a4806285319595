// Circularity of the largest contour, the first of the original use cases (docs/METRICS.md):
// per image 4*pi*area / perimeter^2 of the largest external contour of the thresholded
// prediction, then the mean over images. Measured natively with OpenCV (findContours,
// contourArea, arcLength).
import { isFloat, readBatch } from './inputs';
import { Measurement, Metric, MetricResult, registerMetricKind } from './metric';
import { native } from '../binding';
import * as opt from './options';
import { checkThreshold } from './threshold_convention';
import { optionKeys } from '../option_keys';

/** Native numbers per image: area, perimeter, circularity, threshold flag. */
const STRIDE = 4;

export interface CircularityOptions {
  /**
   * Pixels above it are foreground. 'auto' (default): 127 for integer images (the
   * original's threshold on 0..255), except 0/1 masks (integer images whose values all lie
   * in 0..1, e.g. evaluate's truth tensors), which are thresholded at 0; 0.5 for float
   * images (probabilities). A threshold that puts every pixel of an integer image on one
   * side although its values vary emits a process warning (code TFCV_THRESHOLD_ONE_SIDED).
   */
  threshold?: opt.Threshold;
  /** Images without a contour (or with a zero perimeter). Default 'zero' (the original's behaviour). */
  emptyPolicy?: opt.EmptyPolicy;
  name?: string;
}

const KEYS = optionKeys<CircularityOptions>('new Circularity', { threshold: true, emptyPolicy: true, name: true });

export interface CircularityResult extends MetricResult {
  /** Mean circularity over the counted images (weighted when sample weights were given). */
  value: number;
  /** Images that entered the mean. */
  counted: number;
  /** Images seen. */
  images: number;
  /** Images without a contour or with a zero perimeter. */
  empty: number;
}

/**
 * Mean circularity (4*pi*area / perimeter^2) of the largest external contour of each
 * thresholded image in yPred (predictions, masks or images; yTrue is not used: pass null).
 */
export class Circularity extends Metric<CircularityResult> {
  readonly kind = 'Circularity';
  readonly usesTruth = false;
  declare readonly config: Readonly<{ threshold: opt.Threshold; emptyPolicy: opt.EmptyPolicy }>;

  constructor(options?: CircularityOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'circularity', {
      threshold: opt.threshold(o.threshold, 'options.threshold', 'auto'),
      emptyPolicy: opt.emptyPolicy(o.emptyPolicy, ['skip', 'zero', 'nan'] as const, 'zero'),
    });
  }

  /** @internal Measures yPred (a batch of predictions, masks or images); yTrue is not used (pass null). */
  protected measure(_yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    const batch = readBatch(yPred, 'yPred');
    const t = this.config.threshold === 'auto' ? (isFloat(batch.dtype) ? 0.5 : 127) : this.config.threshold;
    const mode = this.config.threshold === 'auto' ? 'auto' : 'given';
    if (mode === 'given') checkThreshold(this.kind, t, batch, yPred);
    const checked = (raw: Float64Array) => {
      for (let i = 0; i < batch.count; i++) {
        if (raw[i * STRIDE + 3] === opt.THRESHOLD_ONE_SIDED) opt.warnOneSided(this, this.kind, t, `yPred[${i}]`);
      }
      return raw;
    };
    return {
      count: batch.count,
      sync: () => checked(native.metricCircularitySync(batch.handle, t, mode)),
      async: async () => checked(await native.metricCircularity(batch.handle, t, mode)),
    };
  }

  /** @internal */
  protected emptyState() {
    return { sum: 0, weight: 0, counted: 0, images: 0, empty: 0 };
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const c = raw[i * STRIDE + 2]!;
      out.push(Number.isNaN(c) && this.config.emptyPolicy === 'zero' ? 0 : c);
    }
    return out;
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    const s = this.state as Record<string, number>;
    const values = this.perSample(raw, count);
    values.forEach((c, i) => {
      s.images!++;
      const isEmpty = Number.isNaN(raw[i * STRIDE + 2]!);
      if (isEmpty) s.empty!++;
      if (isEmpty && this.config.emptyPolicy !== 'zero') return;
      const w = weights === null ? 1 : weights[i]!;
      s.sum! += w * c;
      s.weight! += w;
      s.counted!++;
    });
    return values;
  }

  result(): CircularityResult {
    const s = this.state as Record<string, number>;
    const undefinedMean = s.weight === 0 || (this.config.emptyPolicy === 'nan' && s.empty! > 0);
    return { value: undefinedMean ? NaN : s.sum! / s.weight!, counted: s.counted!, images: s.images!, empty: s.empty! };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: CircularityResult): string {
    return `${r.counted}/${r.images} images counted, ${r.empty} without a contour (emptyPolicy ${this.config.emptyPolicy})`;
  }
}

registerMetricKind('Circularity', (config, name) => new Circularity({ ...(config as CircularityOptions), name }));
