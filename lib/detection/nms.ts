// Non-maximum suppression: which boxes to keep, as cv2.dnn.NMSBoxes / NMSBoxesBatched
// choose them (own native code with OpenCV's semantics, see binding/detection/nms.h),
// off the event loop or inline.
import { withCallerStack } from '../async_stack';
import { AbortError, ArgumentError } from '../errors';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { BOX_FORMATS, BoxFormat, BoxesInput, readBoxes, readNumbers } from './boxes';
import { native } from '../binding';

export interface NmsOptions {
  /** Suppress a box whose IoU with a kept, higher-scored box is above this. Default 0.5. */
  iouThreshold?: number;
  /** Only boxes scoring above this (strictly) take part. Default 0. */
  scoreThreshold?: number;
  /** Keep at most this many boxes (the best ones first considered); 0 = no limit. Default 0. */
  topK?: number;
  /** Adaptive NMS: after each kept box, while the IoU threshold is above 0.5, multiply it by eta. In (0, 1]; default 1. */
  eta?: number;
  /** Per-box class ids: suppression then only happens within a class (NMSBoxesBatched). */
  classes?: Int32Array | readonly number[];
  /** Layout of `boxes`. Default 'xywh'. */
  format?: BoxFormat;
  /**
   * Most box-pair overlap tests (the work grows with candidates x kept boxes: many
   * overlapping boxes that all survive make it quadratic); past it a LimitError. 0 = no
   * limit. Default 1e8 (about 2 s of one core).
   */
  maxComparisons?: number;
  /** Cancels nms(): it rejects with AbortError at once and the native work stops within a few thousand tests. */
  signal?: AbortSignal;
}

const NMS_KEYS = optionKeys<NmsOptions>('nms', {
  iouThreshold: true,
  scoreThreshold: true,
  topK: true,
  eta: true,
  classes: true,
  format: true,
  maxComparisons: true,
  signal: true,
});

/** The default bound on nms's overlap tests (options.maxComparisons). */
export const NMS_MAX_COMPARISONS = 1e8;

const INT32 = (x: number) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

function nmsArgs(boxes: unknown, scores: unknown, options: NmsOptions | undefined) {
  const o = v.optionsObject(options, NMS_KEYS);
  const format = v.oneOf(o.format, BOX_FORMATS, 'options.format', 'xywh');
  const xywh = readBoxes(boxes, 'boxes', format);
  const n = xywh.length / 4;
  // Scores are float32 as in OpenCV (the comparisons happen in float); NaN never passes the threshold.
  const s = Float32Array.from(readNumbers(scores, 'scores', n, () => true, 'a number'));
  const iou = o.iouThreshold === undefined ? 0.5 : v.finiteNumber(o.iouThreshold, 'options.iouThreshold');
  if (iou < 0) throw new ArgumentError(`options.iouThreshold: expected a number >= 0, got ${iou}`);
  const scoreThreshold =
    o.scoreThreshold === undefined ? 0 : v.finiteNumber(o.scoreThreshold, 'options.scoreThreshold');
  const eta = o.eta === undefined ? 1 : v.finiteNumber(o.eta, 'options.eta');
  if (!(eta > 0 && eta <= 1)) throw new ArgumentError(`options.eta: expected a number in (0, 1], got ${eta}`);
  const topK = o.topK === undefined ? 0 : v.integer(o.topK, 'options.topK', 0, 2 ** 31 - 1);
  const classes =
    o.classes === undefined
      ? null
      : Int32Array.from(readNumbers(o.classes, 'options.classes', n, INT32, 'an int32 class id'));
  const maxComparisons =
    o.maxComparisons === undefined
      ? NMS_MAX_COMPARISONS
      : v.integer(o.maxComparisons, 'options.maxComparisons', 0, Number.MAX_SAFE_INTEGER);
  return [xywh, s, classes, scoreThreshold, iou, eta, topK, maxComparisons] as const;
}

function readSignal(options: NmsOptions | undefined): AbortSignal | undefined {
  const signal = (v.optionsObject(options, NMS_KEYS) as NmsOptions).signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new ArgumentError(`options.signal: expected an AbortSignal, got ${v.describe(signal)}`);
  return signal;
}

/**
 * Non-maximum suppression off the event loop. Resolves with the indices of the kept boxes,
 * highest score first — the same indices as cv2.dnn.NMSBoxes (or NMSBoxesBatched with
 * `classes`) on the same input. IoU uses areas w * h (no +1).
 */
export async function nms(
  boxes: BoxesInput,
  scores: Float32Array | Float64Array | readonly number[],
  options?: NmsOptions,
): Promise<Int32Array> {
  const signal = readSignal(options);
  const args = nmsArgs(boxes, scores, options);
  if (signal?.aborted) throw new AbortError('nms: aborted before it started');
  if (signal === undefined) return withCallerStack(native.detectionNms(...args, undefined));
  // The flag byte is polled by the native loop: an abort stops the work, not only the wait.
  const cancel = new Uint8Array(1);
  const pending = native.detectionNms(...args, cancel);
  return new Promise<Int32Array>((resolve, reject) => {
    const onAbort = () => {
      cancel[0] = 1;
      reject(new AbortError('nms: aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    withCallerStack(pending).then(
      (kept) => {
        signal.removeEventListener('abort', onAbort);
        resolve(kept);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error); // a no-op after an abort already rejected
      },
    );
  });
}

/** Synchronous twin of nms() (no signal: it runs to the end or to options.maxComparisons). */
export function nmsSync(
  boxes: BoxesInput,
  scores: Float32Array | Float64Array | readonly number[],
  options?: NmsOptions,
): Int32Array {
  if (readSignal(options) !== undefined)
    throw new ArgumentError('options.signal: nmsSync() runs inline and cannot be cancelled; use nms() for a signal');
  return native.detectionNmsSync(...nmsArgs(boxes, scores, options), undefined);
}
