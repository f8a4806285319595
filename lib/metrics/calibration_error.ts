// Expected calibration error of probability outputs (Guo et al. 2017, "On Calibration of
// Modern Neural Networks"), per pixel: how far the model's confidence is from its accuracy.
// docs/METRICS.md ("Expected calibration error") states the binning. The state is, per bin,
// the pixel count, the sum of confidences and the number correct: merging is addition.
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { optionKeys } from '../option_keys';
import { Tensor } from '../tensor';
import * as v from '../validate';
import type { MetricInput, SampleWeight } from './inputs';
import { Measurement, Metric, MetricJSON, MetricResult, TruthInput, registerMetricKind } from './metric';
import { formatNumber } from './format_number';
import * as opt from './options';

export interface CalibrationErrorOptions {
  /** Equal-width confidence bins over [0, 1]. Default 15 (Guo et al.). */
  bins?: number;
  /** Truth class whose pixels are left out. Default none. */
  ignoreClass?: number | null;
  name?: string;
}

export interface CalibrationBin {
  /** The bin is (lo, hi] (the first one also holds confidence 0). */
  lo: number;
  hi: number;
  pixels: number;
  /** Mean confidence and accuracy of its pixels (NaN when empty). */
  confidence: number;
  accuracy: number;
}

export interface CalibrationErrorResult extends MetricResult {
  /** ECE = sum over bins of (pixels / all pixels) * |accuracy - confidence|; NaN before any pixel. */
  value: number;
  /** Maximum calibration error: the largest |accuracy - confidence| over non-empty bins. */
  mce: number;
  pixels: number;
  bins: CalibrationBin[];
}

/** @internal The bin of a confidence: (m/M, (m+1)/M], confidence 0 in bin 0. */
export function binOf(confidence: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
}

function tensorArg(value: unknown, name: string): Tensor {
  if (!(value instanceof Tensor))
    throw new ArgumentError(
      `${name}: CalibrationError reads a Tensor (${name === 'yPred' ? 'probabilities [N,H,W,C] or [N,H,W] / [N,H,W,1] for class 1' : 'class ids [N,H,W]'}), got ${v.describe(value)}`,
    );
  if (value.dtype === 'string' || value.dtype === 'bool' || value.dtype === 'float16')
    throw new DTypeError(`${name}: expected a numeric tensor (float32 / float64 or integer), got ${value.dtype}`);
  return value;
}

/**
 * Expected calibration error of per-pixel probabilities. update(yTrue, yPred): truth class
 * ids [N,H,W] (or [N,H,W,1]) and probabilities [N,H,W,C] (softmax over C classes) or
 * [N,H,W] / [N,H,W,1] (the probability of class 1 of a binary model), as Tensors. Resolves
 * with each image's ECE.
 */
const CALIBRATION_KEYS = optionKeys<CalibrationErrorOptions>('new CalibrationError', {
  bins: true,
  ignoreClass: true,
  name: true,
});

export class CalibrationError extends Metric<CalibrationErrorResult> {
  readonly kind = 'CalibrationError';
  readonly usesTruth = true;
  declare readonly config: Readonly<{ bins: number; ignoreClass: number | null }>;

  constructor(options?: CalibrationErrorOptions) {
    const o = opt.metricOptions(options, CALIBRATION_KEYS);
    super(o.name, 'calibration-error', {
      bins: o.bins === undefined ? 15 : v.integer(o.bins, 'options.bins', 1, 10000),
      ignoreClass: opt.ignoreClass(o.ignoreClass),
    });
  }

  override update(yTrue: TruthInput, yPred: MetricInput, sampleWeight?: SampleWeight): Promise<number[]> {
    return super.update(yTrue, yPred, sampleWeight);
  }

  /** @internal Per image: its ECE; then per bin [pixels, sum of confidences, correct]. */
  protected measure(yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    const truth = tensorArg(yTrue, 'yTrue'),
      pred = tensorArg(yPred, 'yPred');
    const ts = truth.shape,
      ps = pred.shape;
    const tDims = ts.length === 4 && ts[3] === 1 ? ts.slice(0, 3) : ts;
    if (tDims.length !== 3)
      throw new ShapeError(`yTrue: expected class ids [N,H,W] or [N,H,W,1], got [${ts.join(',')}]`);
    if (ps.length !== 3 && ps.length !== 4)
      throw new ShapeError(`yPred: expected probabilities [N,H,W,C] or [N,H,W], got [${ps.join(',')}]`);
    if (ps[0] !== tDims[0] || ps[1] !== tDims[1] || ps[2] !== tDims[2])
      throw new ShapeError(
        `yPred: expected the images of yTrue [${tDims.join(',')}], got [${ps.join(',')}] (same N, H, W)`,
      );
    const channels = ps.length === 4 ? ps[3]! : 1;
    if (channels < 1) throw new ShapeError(`yPred: expected at least one channel, got [${ps.join(',')}]`);
    const n = tDims[0]!,
      pixels = tDims[1]! * tDims[2]!;
    const t = truth.data as ArrayLike<number | bigint>,
      p = pred.data as ArrayLike<number | bigint>;
    const M = this.config.bins,
      ignore = this.config.ignoreClass;
    const raw = new Float64Array(n + 3 * M);
    const image = new Float64Array(3 * M);
    for (let i = 0; i < n; i++) {
      image.fill(0);
      for (let j = 0; j < pixels; j++) {
        const at = i * pixels + j;
        const label = Number(t[at]);
        if (label === ignore) continue;
        let best = 0,
          confidence: number;
        if (channels === 1) {
          const q = Number(p[at]);
          checkProbability(q, at);
          best = q > 0.5 ? 1 : 0;
          confidence = q > 0.5 ? q : 1 - q;
        } else {
          confidence = -1;
          for (let c = 0; c < channels; c++) {
            const q = Number(p[at * channels + c]);
            checkProbability(q, at * channels + c);
            if (q > confidence) {
              confidence = q;
              best = c;
            }
          }
        }
        const b = binOf(confidence, M);
        image[3 * b]! += 1;
        image[3 * b + 1]! += confidence;
        image[3 * b + 2]! += best === label ? 1 : 0;
      }
      raw[i] = eceOf(image, M).ece;
      for (let k = 0; k < 3 * M; k++) raw[n + k]! += image[k]!;
    }
    return { count: n, sync: () => raw, async: () => Promise.resolve(raw) };
  }

  /** @internal */
  protected emptyState() {
    return { bins: new Float64Array(3 * this.config.bins) };
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    return Array.from(raw.subarray(0, count));
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    if (weights !== null)
      throw new ArgumentError('sampleWeight: CalibrationError counts pixels and does not weight images');
    const bins = this.state.bins as Float64Array;
    for (let k = 0; k < bins.length; k++) bins[k]! += raw[count + k]!;
    return this.perSample(raw, count);
  }

  result(): CalibrationErrorResult {
    const s = this.state.bins as Float64Array;
    const M = this.config.bins;
    const { ece, mce, pixels } = eceOf(s, M);
    return {
      value: ece,
      mce,
      pixels,
      bins: Array.from({ length: M }, (_, b) => ({
        lo: b / M,
        hi: (b + 1) / M,
        pixels: s[3 * b]!,
        confidence: s[3 * b]! > 0 ? s[3 * b + 1]! / s[3 * b]! : NaN,
        accuracy: s[3 * b]! > 0 ? s[3 * b + 2]! / s[3 * b]! : NaN,
      })),
    };
  }

  protected override detailsOf(r: CalibrationErrorResult): string {
    return `MCE ${formatNumber(r.mce)}, ${r.pixels} pixels in ${this.config.bins} equal-width confidence bins`;
  }

  /** The state as JSON: per bin [pixels, sum of confidences, correct]. */
  override toJSON(): MetricJSON {
    const json = super.toJSON();
    const s = this.state.bins as Float64Array;
    json.state = { bins: Array.from({ length: this.config.bins }, (_, b) => Array.from(s.subarray(3 * b, 3 * b + 3))) };
    return json;
  }

  /** @internal */
  protected override restoreState(state: unknown): void {
    const M = this.config.bins;
    const s = state as { bins?: unknown } | null;
    if (s === null || typeof s !== 'object' || Array.isArray(s) || Object.keys(s).some((k) => k !== 'bins'))
      throw new ArgumentError(`json.state: expected { bins }, got ${v.describe(state)}`);
    if (!Array.isArray(s.bins) || s.bins.length !== M)
      throw new ArgumentError(
        `json.state.bins: expected ${M} rows [pixels, confidence sum, correct], got ${v.describe(s.bins)}`,
      );
    const out = new Float64Array(3 * M);
    s.bins.forEach((row: unknown, b) => {
      if (
        !Array.isArray(row) ||
        row.length !== 3 ||
        row.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)
      )
        throw new ArgumentError(`json.state.bins[${b}]: expected 3 numbers >= 0, got ${v.describe(row)}`);
      out.set(row as number[], 3 * b);
    });
    this.state = { bins: out };
  }
}

function checkProbability(q: number, at: number): void {
  if (!(q >= 0 && q <= 1))
    throw new ArgumentError(
      `yPred.data[${at}]: expected a probability in [0, 1], got ${q} (apply softmax or sigmoid to logits first)`,
    );
}

function eceOf(s: Float64Array, M: number): { ece: number; mce: number; pixels: number } {
  let pixels = 0,
    gap = 0,
    mce = NaN;
  for (let b = 0; b < M; b++) {
    const n = s[3 * b]!;
    if (n === 0) continue;
    pixels += n;
    const d = Math.abs(s[3 * b + 2]! - s[3 * b + 1]!);
    gap += d;
    mce = Number.isNaN(mce) ? d / n : Math.max(mce, d / n);
  }
  return { ece: pixels > 0 ? gap / pixels : NaN, mce, pixels };
}

registerMetricKind(
  'CalibrationError',
  (config, name) => new CalibrationError({ ...(config as CalibrationErrorOptions), name }),
);
