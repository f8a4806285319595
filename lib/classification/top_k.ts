// The common path of a classifier's output without hand-written gather code: softmax of
// logits, and the k best classes of one row with their scores and names.
import { ArgumentError, ShapeError } from '../errors';
import { optionKeys } from '../option_keys';
import { Tensor } from '../tensor';
import * as v from '../validate';

/** Scores of one image ([C]) or of a batch ([N, C]; pick the row with batchIndex). */
export type ScoresInput = Tensor | Float32Array | Float64Array | readonly number[];

export interface TopKOptions {
  /** How many classes. Default 5 (fewer when there are fewer classes). */
  k?: number;
  /** Apply softmax first (the output holds logits). Default false: scores as they are. */
  softmax?: boolean;
  /** Names by class id, for `label`. */
  classNames?: readonly string[];
  /** For [N, C] scores: which row. Default 0 (required when N > 1). */
  batchIndex?: number;
}

/** One class of topK's answer. */
export interface ClassScore {
  classId: number;
  score: number;
  /** classNames[classId], or null without names (or past their end). */
  label: string | null;
}

const TOP_K_KEYS = optionKeys<TopKOptions>('topK', { k: true, softmax: true, classNames: true, batchIndex: true });
const MAX_CLASSES = 1 << 24;

function row(scores: unknown, batchIndex: unknown, name: string): Float64Array {
  if (scores instanceof Tensor) {
    const s = scores.shape;
    const dtype = scores.dtype;
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new ArgumentError(`${name}: expected float32 or float64 scores, got a ${dtype} tensor`);
    if (s.length !== 1 && s.length !== 2)
      throw new ShapeError(`${name}: expected scores [C] or [N, C], got [${s.join(',')}]`);
    const classes = s[s.length - 1]!;
    const rows = s.length === 2 ? s[0]! : 1;
    if (classes < 1) throw new ShapeError(`${name}: expected at least one class, got [${s.join(',')}]`);
    if (rows > 1 && batchIndex === undefined)
      throw new ArgumentError(`options.batchIndex: required for a batch of ${rows} score rows ([${s.join(',')}])`);
    const i = batchIndex === undefined ? 0 : v.integer(batchIndex, 'options.batchIndex', 0, rows - 1);
    const out = Float64Array.from(
      (scores.data as Float32Array | Float64Array).subarray(i * classes, (i + 1) * classes),
    );
    const nan = out.findIndex((x) => Number.isNaN(x));
    if (nan !== -1) throw new ArgumentError(`${name}: row ${i} holds NaN at class ${nan}`);
    return out;
  }
  if (batchIndex !== undefined)
    throw new ArgumentError('options.batchIndex: only for a Tensor [N, C]; an array is one row of scores');
  const list =
    scores instanceof Float32Array || scores instanceof Float64Array
      ? scores
      : v.arrayItems(scores, name, MAX_CLASSES, 'a Tensor, Float32Array, Float64Array or array of numbers');
  if (list.length === 0) throw new ShapeError(`${name}: expected at least one class score, got none`);
  const out = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const x: unknown = list[i];
    if (typeof x !== 'number' || Number.isNaN(x))
      throw new ArgumentError(`${name}[${i}]: expected a number, got ${v.describe(x)}`);
    out[i] = x;
  }
  return out;
}

const SOFTMAX_KEYS = optionKeys<Pick<TopKOptions, 'batchIndex'>>('softmax', { batchIndex: true });

/** Numerically stable softmax (the largest value subtracted first) of one row, in float64. */
export function softmax(logits: ScoresInput, options?: Pick<TopKOptions, 'batchIndex'>): Float64Array {
  const o = v.optionsObject(options, SOFTMAX_KEYS);
  return softmaxOf(row(logits, o.batchIndex, 'logits'));
}

function softmaxOf(x: Float64Array): Float64Array {
  let max = -Infinity;
  for (const value of x) if (value > max) max = value;
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += out[i] = Math.exp(x[i]! - max);
  for (let i = 0; i < x.length; i++) out[i] = out[i]! / sum;
  return out;
}

/**
 * The k best classes of one row of scores, best first (ties: the lower class id first), with
 * their score (after softmax when asked) and name.
 */
export function topK(scores: ScoresInput, options?: TopKOptions): ClassScore[] {
  const o = v.optionsObject(options, TOP_K_KEYS);
  if (o.softmax !== undefined && typeof o.softmax !== 'boolean')
    throw new ArgumentError(`options.softmax: expected a boolean, got ${v.describe(o.softmax)}`);
  const names =
    o.classNames === undefined
      ? null
      : v.arrayItems(o.classNames, 'options.classNames', MAX_CLASSES, 'an array of strings').map((s, i) => {
          if (typeof s !== 'string')
            throw new ArgumentError(`options.classNames[${i}]: expected a string, got ${v.describe(s)}`);
          return s;
        });
  const values = row(scores, o.batchIndex, 'scores');
  const k = o.k === undefined ? 5 : v.integer(o.k, 'options.k', 1, MAX_CLASSES);
  const scored = o.softmax === true ? softmaxOf(values) : values;
  const order = Array.from(scored.keys()).sort((a, b) => scored[b]! - scored[a]! || a - b);
  return order.slice(0, k).map((classId) => ({ classId, score: scored[classId]!, label: names?.[classId] ?? null }));
}
