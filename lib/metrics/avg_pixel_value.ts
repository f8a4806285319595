// Average pixel value, the third original use case (docs/METRICS.md). By default the exact
// running mean over every pixel (and channel) seen; `average: 'batches'` reproduces the
// original mean of per-update means (the two agree when every update has the same size).
import * as v from '../validate';
import { readBatch } from './inputs';
import { Measurement, Metric, MetricResult, registerMetricKind } from './metric';
import { native } from '../binding';
import * as opt from './options';
import { optionKeys } from '../option_keys';

export interface AvgPixelValueOptions {
  /** 'pixels' (default): mean over all pixels seen. 'batches': mean of each update's mean (the original). */
  average?: 'pixels' | 'batches';
  name?: string;
}

const KEYS = optionKeys<AvgPixelValueOptions>('new AvgPixelValue', { average: true, name: true });

export interface AvgPixelValueResult extends MetricResult {
  value: number;
  /** Pixel values (elements) seen, weighted. */
  pixels: number;
  /** Non-empty updates seen. */
  batches: number;
}

/** The mean value of every pixel (and channel) of yPred seen so far; yTrue is not used (pass null). */
export class AvgPixelValue extends Metric<AvgPixelValueResult> {
  readonly kind = 'AvgPixelValue';
  readonly usesTruth = false;
  declare readonly config: Readonly<{ average: 'pixels' | 'batches' }>;

  constructor(options?: AvgPixelValueOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'avg-pixel-value', {
      average: v.oneOf(o.average, ['pixels', 'batches'] as const, 'options.average', 'pixels'),
    });
  }

  /** @internal Averages yPred (images or predictions); yTrue is not used (pass null). */
  protected measure(_yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    const batch = readBatch(yPred, 'yPred');
    return {
      count: batch.count,
      sync: () => native.metricPixelSumSync(batch.handle),
      async: () => native.metricPixelSum(batch.handle),
    };
  }

  /** @internal */
  protected emptyState() {
    return { sum: 0, pixels: 0, batchMeanSum: 0, batches: 0 };
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(raw[i * 2]! / raw[i * 2 + 1]!);
    return out;
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    const s = this.state as Record<string, number>;
    let sum = 0;
    let pixels = 0;
    for (let i = 0; i < count; i++) {
      const w = weights === null ? 1 : weights[i]!;
      sum += w * raw[i * 2]!;
      pixels += w * raw[i * 2 + 1]!;
    }
    s.sum! += sum;
    s.pixels! += pixels;
    if (pixels > 0) {
      s.batchMeanSum! += sum / pixels;
      s.batches!++;
    }
    return this.perSample(raw, count);
  }

  result(): AvgPixelValueResult {
    const s = this.state as Record<string, number>;
    const value = this.config.average === 'pixels' ? s.sum! / s.pixels! : s.batchMeanSum! / s.batches!;
    return { value: Number.isFinite(value) ? value : NaN, pixels: s.pixels!, batches: s.batches! };
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: AvgPixelValueResult): string {
    return `${r.pixels} values, ${r.batches} batches (average: ${this.config.average})`;
  }
}

registerMetricKind('AvgPixelValue', (config, name) => new AvgPixelValue({ ...(config as AvgPixelValueOptions), name }));
