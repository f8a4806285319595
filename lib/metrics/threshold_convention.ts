// Refuses a threshold (or minPixels) that cannot separate the data a metric receives, instead
// of turning a convention mismatch into a plausible wrong number: a threshold stated on the
// 0..255 scale meeting float probabilities in [0, 1] (every pixel below it), a probability
// threshold (a fraction) meeting uint8 0..255 masks, a minPixels no image can exceed. The
// data is only scanned when the threshold is outside the convention the dtype suggests, so
// the usual calls ('auto', 0.5 on floats, 127 on uint8) cost nothing.
import { ArgumentError } from '../errors';
import { Mat } from '../mat';
import { Tensor } from '../tensor';
import { isFloat } from './inputs';
import type { Batch } from './inputs';

const round = (x: number) => Number(x.toPrecision(4));

/** Min and max of the values of a metric input (a Tensor, a Mat or Mats); null when not readable as numbers. */
function valueRange(value: unknown): { min: number; max: number } | null {
  const arrays: ArrayLike<number>[] = [];
  try {
    if (value instanceof Tensor || value instanceof Mat) arrays.push(value.data as ArrayLike<number>);
    else if (Array.isArray(value)) for (const m of value as Mat[]) arrays.push(m.data as ArrayLike<number>);
  } catch {
    return null;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const a of arrays) {
    if (typeof a[0] !== 'number' && a.length > 0) return null;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max ? { min, max } : null;
}

/**
 * @internal Throws when `threshold` (a given one, not 'auto') cannot separate `yPred`:
 * float predictions all in [0, 1] with a threshold >= 1 or < 0; integer images with values
 * above 1 (0..255, not 0/1 masks) with a fractional threshold in (0, 1).
 */
export function checkThreshold(owner: string, threshold: number, batch: Batch, value: unknown, name = 'yPred'): void {
  if (batch.dtype === 'float16') return; // no number view to scan; the native kernels take it as is
  if (isFloat(batch.dtype)) {
    if (threshold < 1 && threshold >= 0) return;
    const range = valueRange(value);
    if (range === null || range.min < 0 || range.max > 1) return;
    const side = threshold >= 1 ? 'below' : 'above';
    throw new ArgumentError(
      `options.threshold: ${threshold} cannot separate ${name}: its values are float probabilities in [0, 1] ` +
        `(seen ${round(range.min)}..${round(range.max)}), so every pixel is ${side} the threshold and ${owner} ` +
        `would measure a constant mask. ` +
        (threshold >= 1 && threshold <= 255
          ? `A threshold on the 0..255 scale is ${round(threshold / 255)} on probabilities (${threshold} / 255); `
          : 'State the threshold in [0, 1] for probabilities; ') +
        `or scale the predictions to 0..255 first (evaluate's { predictionScale: 255 }, tfcv evaluate --prediction-scale 255) ` +
        `to keep ${threshold}`,
    );
  }
  if (threshold <= 0 || threshold >= 1 || Number.isInteger(threshold)) return;
  const range = valueRange(value);
  if (range === null || range.max <= 1) return; // 0/1 masks: a fraction separates them
  throw new ArgumentError(
    `options.threshold: ${threshold} is a probability threshold, but ${name} holds ${batch.dtype} values on a 0..${batch.dtype === 'uint8' ? 255 : 'max'} ` +
      `scale (seen up to ${range.max}): it would count every non-zero pixel as foreground. State it on the image's scale: ` +
      `${Math.round(threshold * 255)} on 0..255 masks (${threshold} x 255), or 'auto' (127 for 0..255 images, 0 for 0/1 masks)`,
  );
}

/** @internal Throws when no image of `batch` can have more than `minPixels` pixels. */
export function checkMinPixels(minPixels: number, batch: Batch, name: string): void {
  for (let i = 0; i < (batch.isTensor ? Math.min(1, batch.count) : batch.count); i++) {
    const [rows, cols] = batch.sizes[i]!;
    if (minPixels >= rows * cols) {
      throw new ArgumentError(
        `options.minPixels: ${minPixels} is not below the ${rows}x${cols} = ${rows * cols} pixels of ${name}${batch.isTensor ? '' : `[${i}]`}: ` +
          `no image can have more than minPixels foreground pixels, so every prediction would be negative. ` +
          `State a count below the image size (the original's 500 was meant for larger images)`,
      );
    }
  }
}
