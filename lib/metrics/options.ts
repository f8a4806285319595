// Option readers shared by the metric classes: thresholds, class counts, the empty policy.
import { ArgumentError } from '../errors';
import type { OptionKeys } from '../option_keys';
import * as v from '../validate';

/**
 * What a sample without a defined value does to a mean: 'zero' counts it as 0 (the
 * original code's behaviour), 'skip' leaves it out, 'nan' makes the result NaN.
 */
export type EmptyPolicy = 'skip' | 'zero' | 'nan';

/** A binarisation threshold (pixel > threshold is foreground), or 'auto': chosen by the input's dtype. */
export type Threshold = number | 'auto';

/** How predictions become class ids: 'auto' decides from the dtype and channel count (see README). */
export type PredictionKind = 'auto' | 'class-ids' | 'scores' | 'probability';

/**
 * What the pixel values of masks (truth, and predictions given as class ids) mean:
 * 'ids': class ids as they are; 'binary': 0 is class 0, any other value class 1 (0/255
 * PNGs); 'auto' (the default): per uint8 image, class ids when every value is a valid id
 * (or the ignored class), binary when the values are 0/255, otherwise an ArgumentError
 * naming the values seen; masks of other dtypes are class ids.
 */
export type MaskConvention = 'auto' | 'binary' | 'ids';

export function maskConvention(value: unknown, fallback: MaskConvention = 'auto'): MaskConvention {
  return v.oneOf(value, ['auto', 'binary', 'ids'] as const, 'options.masks', fallback);
}

/** @internal How a threshold meets integer images natively (binding/metrics/threshold_rule.h). */
export type ThresholdMode = 'given' | 'auto' | 'quiet';

/** @internal The native flag for "every pixel of a non-uniform integer image fell on one side of the threshold". */
export const THRESHOLD_ONE_SIDED = 2;

const warned = new WeakSet<object>();
const warnKeys = new WeakMap<object, object>();

/** @internal Makes `owner` warn at most once together with every other owner sharing `key`. */
export function shareWarnings(owner: object, key: object): void {
  warnKeys.set(owner, key);
}

/**
 * @internal Says once per metric (a process warning, code TFCV_THRESHOLD_ONE_SIDED) that a
 * threshold left every pixel of an integer image on one side although its values vary:
 * the usual sign of a 0/1 mask meeting a threshold meant for 0..255 images.
 */
export function warnOneSided(owner: object, what: string, threshold: number, label: string): void {
  const key = warnKeys.get(owner) ?? owner;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(
    `${what}: threshold ${threshold} puts every pixel of ${label} on the same side although its values vary ` +
      `(a 0/1 mask with a threshold meant for 0..255 images?); use threshold 'auto' (0/1 masks are thresholded at 0) or a threshold inside the image's range`,
    { type: 'TfcvWarning', code: 'TFCV_THRESHOLD_ONE_SIDED' },
  );
}

export function threshold(value: unknown, name: string, fallback: Threshold): Threshold {
  if (value === undefined) return fallback;
  if (value === 'auto') return 'auto';
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`${name}: expected a finite number or 'auto', got ${v.describe(value)}`);
  }
  return value;
}

export function numberOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  return v.finiteNumber(value, name);
}

export function numClasses(value: unknown, name = 'numClasses'): number {
  return v.integer(value, name, 1, 4096);
}

export function classId(value: unknown, name: string, classes: number): number {
  return v.integer(value, name, 0, classes - 1);
}

export function ignoreClass(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return v.integer(value, 'options.ignoreClass', -(2 ** 31), 2 ** 31 - 1);
}

export function emptyPolicy<T extends EmptyPolicy>(value: unknown, allowed: readonly T[], fallback: T): T {
  return v.oneOf(value, allowed, 'options.emptyPolicy', fallback);
}

/**
 * Reads a metric's options object, rejecting unknown keys (a typo would otherwise silently
 * use a default); the keys are declared with optionKeys<TheOptions>() beside the class.
 */
export function metricOptions<T extends object>(
  value: T | undefined,
  keys: OptionKeys<T>,
): Partial<T> & { name?: string } {
  return v.optionsObject(value, keys) as Partial<T> & { name?: string };
}
