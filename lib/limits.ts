// Process-wide resource limits. `maxAllocationBytes` caps every single native buffer tfcv
// allocates for a caller (Tensor.alloc / Tensor.from / copies, Mat.zeros / fromBuffer,
// decoded images, preprocess batches, conversions): over it, a LimitError before any
// allocation. Decoding has its own per-call pixel limit (DecodeOptions.maxPixels).
import { native } from './binding';
import { optionKeys } from './option_keys';
import * as v from './validate';

export interface Limits {
  /** Largest single native allocation in bytes. Default 4 GiB (2^32); at most 2^53 - 1. */
  maxAllocationBytes: number;
}

/** The default allocation limit: 4 GiB. */
export const DEFAULT_MAX_ALLOCATION_BYTES = 2 ** 32;

const LIMITS_KEYS = optionKeys<Limits>('setLimits', { maxAllocationBytes: true });

/** The current limits. */
export function limits(): Limits {
  return { maxAllocationBytes: native.maxAllocationBytes() };
}

/** Changes limits for the whole process (every worker thread included); returns the new limits. */
export function setLimits(options: Partial<Limits>): Limits {
  const o = v.optionsObject(options, LIMITS_KEYS);
  if (o.maxAllocationBytes !== undefined) {
    native.setMaxAllocationBytes(
      v.integer(o.maxAllocationBytes, 'options.maxAllocationBytes', 0, Number.MAX_SAFE_INTEGER),
    );
  }
  return limits();
}
