// One value for one image, for servers: circularity(mask), foregroundFraction(mask),
// meanIoU(yTrue, yPred), dice(yTrue, yPred), each async (off the event loop) with a sync
// twin. They run the metric classes' own native kernels on a one-image batch and return that
// image's per-sample value, so they equal what the classes report per image by construction
// (and the tests check it).
import { ShapeError } from '../errors';
import { Mat } from '../mat';
import { Tensor } from '../tensor';
import { toMatSync } from '../convert';
import * as v from '../validate';
import { Circularity, CircularityOptions } from './circularity';
import { Dice, DiceOptions } from './dice';
import { isFloat, readBatch } from './inputs';
import { IoUOptions, MeanIoU } from './mean_iou';
import { Metric } from './metric';
import { native } from '../binding';
import * as opt from './options';
import { optionKeys, OptionKeys } from '../option_keys';
import { CONFUSION_SETTINGS_TABLE } from './confusion_base';
import { checkThreshold } from './threshold_convention';

/** One image: a Mat, or a Tensor [H,W], [H,W,C] (C = 1, 3 or 4), [1,H,W] or [1,H,W,C]. */
export type OneImage = Mat | Tensor;

export interface CircularityOfOptions {
  /** As Circularity's threshold: 'auto' (default) is 127 for integer images, 0 for 0/1 masks, 0.5 for floats. */
  threshold?: opt.Threshold;
  /** A mask without a contour: 'zero' (default, the original's 0) or 'nan'. */
  emptyPolicy?: 'zero' | 'nan';
}

export interface ForegroundFractionOptions {
  /** Pixels above it are foreground. 'auto' (default): 0.5 for float probabilities, 127 for integer images, 0 for 0/1 masks. */
  threshold?: opt.Threshold;
}

export interface MeanIoUOfOptions extends IoUOptions {
  /** Default 2. */
  numClasses?: number;
}

export interface DiceOfOptions extends DiceOptions {
  /** Default 2. */
  numClasses?: number;
}

// Warnings of the one-shot functions are said once per process, not once per call.
const ONE_SHOT_WARNINGS = {};

// A one-image batch the metric classes read, and what to release after the measurement.
function oneImage(value: unknown, name: string): { batch: Mat | Tensor; release: () => void } {
  if (value instanceof Mat) return { batch: value, release: () => {} };
  if (value instanceof Tensor && !value.disposed) {
    const s = value.shape;
    if (s.length === 2) return { batch: value, release: () => {} };
    if (s.length === 3 && [1, 3, 4].includes(s[2]!)) {
      // [H,W,C]: the metric classes read rank 3 as [N,H,W]; a shared Mat view says "one image".
      const mat = toMatSync(value, { mode: 'share' });
      return { batch: mat, release: () => mat.dispose() };
    }
    if ((s.length === 3 || s.length === 4) && s[0] === 1) return { batch: value, release: () => {} };
    throw new ShapeError(
      `${name}: expected one image (a Mat, or a Tensor [H,W], [H,W,C] with C 1/3/4, [1,H,W] or [1,H,W,C]), got [${s.join(',')}]; for a batch use the metric classes (update() gives one value per image)`,
    );
  }
  readBatch(value, name); // the typed error for anything else (disposed, not a Tensor / Mat, ...)
  throw new ShapeError(`${name}: expected one image (a Mat or a Tensor), got ${v.describe(value)}`);
}

async function measure(metric: Metric, yTrue: unknown, yPred: unknown): Promise<number> {
  opt.shareWarnings(metric, ONE_SHOT_WARNINGS);
  const pred = oneImage(yPred, 'yPred');
  try {
    if (yTrue === null) return (await metric.update(null, pred.batch))[0]!;
    const truth = oneImage(yTrue, 'yTrue');
    try {
      return (await metric.update(truth.batch, pred.batch))[0]!;
    } finally {
      truth.release();
    }
  } finally {
    pred.release();
  }
}

function measureSync(metric: Metric, yTrue: unknown, yPred: unknown): number {
  opt.shareWarnings(metric, ONE_SHOT_WARNINGS);
  const pred = oneImage(yPred, 'yPred');
  try {
    if (yTrue === null) return metric.updateSync(null, pred.batch)[0]!;
    const truth = oneImage(yTrue, 'yTrue');
    try {
      return metric.updateSync(truth.batch, pred.batch)[0]!;
    } finally {
      truth.release();
    }
  } finally {
    pred.release();
  }
}

const NOT_HERE = { name: 'a one-shot measurement has no name (the metric classes do)' };
const CIRCULARITY_KEYS = optionKeys<CircularityOfOptions>(
  'circularity',
  { threshold: true, emptyPolicy: true },
  NOT_HERE,
);
const FRACTION_KEYS = optionKeys<ForegroundFractionOptions>('foregroundFraction', { threshold: true }, NOT_HERE);
const MEAN_IOU_KEYS = optionKeys<Omit<MeanIoUOfOptions, 'name'>>(
  'meanIoU',
  { ...CONFUSION_SETTINGS_TABLE, emptyPolicy: true, numClasses: true },
  NOT_HERE,
);
const DICE_KEYS = optionKeys<Omit<DiceOfOptions, 'name'>>(
  'dice',
  { ...CONFUSION_SETTINGS_TABLE, emptyPolicy: true, targetClassIds: true, numClasses: true },
  NOT_HERE,
);

// Options of a one-shot function: known keys only (a typo would silently use a default).
function oneShotOptions<T extends object>(value: T | undefined, keys: OptionKeys<T>): Partial<T> {
  return v.optionsObject(value, keys);
}

function circularityMetric(options: CircularityOfOptions | undefined): Circularity {
  const o = oneShotOptions(options, CIRCULARITY_KEYS) as CircularityOptions;
  return new Circularity({ ...o, emptyPolicy: opt.emptyPolicy(o.emptyPolicy, ['zero', 'nan'] as const, 'zero') });
}

/**
 * Circularity (4*pi*area / perimeter^2) of the largest external contour of one thresholded
 * image: Circularity's per-image value. A mask without a contour gives 0 (emptyPolicy 'zero',
 * the original's value) or NaN ('nan').
 */
export async function circularity(mask: OneImage, options?: CircularityOfOptions): Promise<number> {
  return measure(circularityMetric(options), null, mask);
}

/** Synchronous twin of circularity(). */
export function circularitySync(mask: OneImage, options?: CircularityOfOptions): number {
  return measureSync(circularityMetric(options), null, mask);
}

function fractionPlan(mask: unknown, options: ForegroundFractionOptions | undefined) {
  const o = oneShotOptions(options, FRACTION_KEYS);
  const threshold = opt.threshold(o.threshold, 'options.threshold', 'auto');
  const image = oneImage(mask, 'mask');
  const batch = readBatch(image.batch, 'mask');
  const t = threshold === 'auto' ? (isFloat(batch.dtype) ? 0.5 : 127) : threshold;
  const mode: opt.ThresholdMode = threshold === 'auto' ? 'auto' : 'given';
  if (mode === 'given') {
    try {
      checkThreshold('foregroundFraction', t, batch, image.batch, 'mask');
    } catch (error) {
      image.release();
      throw error;
    }
  }
  const [rows, cols] = batch.sizes[0]!;
  const fraction = (raw: Float64Array) => {
    if (raw[1] === opt.THRESHOLD_ONE_SIDED) opt.warnOneSided(ONE_SHOT_WARNINGS, 'foregroundFraction', t, 'mask');
    return raw[0]! / (rows * cols);
  };
  return { image, batch, t, mode, fraction };
}

/**
 * The share of pixels of one image above the threshold (a mask, a probability map, or an
 * image converted to gray): countNonZero(pixel > threshold) / (rows * cols).
 */
export async function foregroundFraction(mask: OneImage, options?: ForegroundFractionOptions): Promise<number> {
  const p = fractionPlan(mask, options);
  try {
    return p.fraction(await native.metricPixelCount(p.batch.handle, p.t, p.mode, 'mask'));
  } finally {
    p.image.release();
  }
}

/** Synchronous twin of foregroundFraction(). */
export function foregroundFractionSync(mask: OneImage, options?: ForegroundFractionOptions): number {
  const p = fractionPlan(mask, options);
  try {
    return p.fraction(native.metricPixelCountSync(p.batch.handle, p.t, p.mode, 'mask'));
  } finally {
    p.image.release();
  }
}

function withClasses<T extends { numClasses?: number }>(
  options: T | undefined,
  keys: OptionKeys<object>,
): { k: number; rest: Omit<T, 'numClasses'> } {
  const o = v.optionsObject(options, keys) as T;
  const { numClasses, ...rest } = o;
  return { k: numClasses === undefined ? 2 : opt.numClasses(numClasses, 'options.numClasses'), rest };
}

/**
 * Mean IoU of one image pair (MeanIoU's per-image value): the mean over classes present in
 * the truth or the prediction of TP / (TP + FP + FN). numClasses defaults to 2; `masks`
 * (default 'auto') reads 0/1 and 0/255 masks alike.
 */
export async function meanIoU(yTrue: OneImage, yPred: OneImage, options?: MeanIoUOfOptions): Promise<number> {
  const { k, rest } = withClasses(options, MEAN_IOU_KEYS);
  return measure(new MeanIoU(k, rest), yTrue, yPred);
}

/** Synchronous twin of meanIoU(). */
export function meanIoUSync(yTrue: OneImage, yPred: OneImage, options?: MeanIoUOfOptions): number {
  const { k, rest } = withClasses(options, MEAN_IOU_KEYS);
  return measureSync(new MeanIoU(k, rest), yTrue, yPred);
}

/**
 * Dice of one image pair (Dice's per-image value): 2TP / (2TP + FP + FN) averaged over
 * `targetClassIds` — every class by default, like the Dice class; pass
 * `{ targetClassIds: [1] }` for the usual foreground Dice of a binary mask.
 */
export async function dice(yTrue: OneImage, yPred: OneImage, options?: DiceOfOptions): Promise<number> {
  const { k, rest } = withClasses(options, DICE_KEYS);
  return measure(new Dice(k, rest), yTrue, yPred);
}

/** Synchronous twin of dice(). */
export function diceSync(yTrue: OneImage, yPred: OneImage, options?: DiceOfOptions): number {
  const { k, rest } = withClasses(options, DICE_KEYS);
  return measureSync(new Dice(k, rest), yTrue, yPred);
}
