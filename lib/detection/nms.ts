// Non-maximum suppression: which boxes to keep, as cv2.dnn.NMSBoxes / NMSBoxesBatched
// choose them (own native code with OpenCV's semantics, see binding/detection/nms.h),
// off the event loop or inline.
import { withCallerStack } from '../async_stack';
import { ArgumentError } from '../errors';
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
}

const NMS_KEYS = optionKeys<NmsOptions>('nms', {
  iouThreshold: true,
  scoreThreshold: true,
  topK: true,
  eta: true,
  classes: true,
  format: true,
});

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
  return [xywh, s, classes, scoreThreshold, iou, eta, topK] as const;
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
  const args = nmsArgs(boxes, scores, options);
  return withCallerStack(native.detectionNms(...args));
}

/** Synchronous twin of nms(). */
export function nmsSync(
  boxes: BoxesInput,
  scores: Float32Array | Float64Array | readonly number[],
  options?: NmsOptions,
): Int32Array {
  return native.detectionNmsSync(...nmsArgs(boxes, scores, options));
}
