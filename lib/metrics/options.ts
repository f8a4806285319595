// Option readers shared by the metric classes: thresholds, class counts, the empty policy.
import { ArgumentError } from '../errors';
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

/** Reads an options object, rejecting unknown keys (a typo would otherwise silently use a default). */
export function metricOptions<T extends object>(value: T | undefined, known: readonly string[]): Partial<T> & { name?: string } {
  const o = v.optionsObject(value, 'options') as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'name' && !known.includes(key)) {
      throw new ArgumentError(`options.${key}: unknown option (expected ${[...known, 'name'].join(', ')})`);
    }
  }
  return o as Partial<T> & { name?: string };
}
