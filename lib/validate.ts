// Argument checks shared by the facade: they run before any native work and produce the
// messages users see ("options.mode: expected 'copy' | 'share', got 'shared'").
import { ArgumentError, ShapeError } from './errors';
import { checkKeys, OptionKeys } from './option_keys';

/** A short, safe description of any value for messages: never throws (Proxies, throwing getters, Symbols). */
export function describe(value: unknown): string {
  try {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'Array';
    if (ArrayBuffer.isView(value)) return value.constructor.name;
    if (typeof value === 'object') {
      const ctor = (value as object).constructor as unknown;
      return typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
    }
    if (typeof value === 'string') return `'${shortString(value)}'`;
    return typeof value === 'number' || typeof value === 'boolean' ? `${typeof value} ${value}` : typeof value;
  } catch {
    return typeof value;
  }
}

/**
 * A string for a message: whole up to 300 characters (file paths are shown in full, their
 * distinguishing tail included); longer ones keep their head and their tail around '…'.
 */
export function shortString(value: string): string {
  return value.length <= 300 ? value : `${value.slice(0, 100)}…${value.slice(-150)} (${value.length} characters)`;
}

/** Dims for messages ("[1,224,224,3]") without calling anything on the elements. */
export function showDims(dims: readonly unknown[]): string {
  try {
    if (dims.length > 8) return `[rank ${dims.length}]`;
    return `[${Array.from(dims, (d) => (typeof d === 'number' ? String(d) : describe(d))).join(',')}]`;
  } catch {
    return '[?]';
  }
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ArgumentError(`${name}: expected ${allowed.map((a) => `'${a}'`).join(' | ')}, got ${describe(value)}`);
}

/**
 * An options argument: undefined (no options) or a plain object whose own keys are all
 * declared in `keys` (lib/option_keys.ts); anything else is an ArgumentError naming it.
 */
export function optionsObject<T extends object>(
  value: T | undefined,
  keys: OptionKeys<object>,
  name = 'options',
): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArgumentError(`${name}: expected an options object for ${keys.owner}, got ${describe(value)}`);
  }
  checkKeys(value, keys, name);
  return value;
}

export function integer(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`${name}: expected an integer in ${min}..${max}, got ${describe(value)}`);
  }
  return value;
}

/** The longest deadline a run takes (TensorFlow's RunOptions.timeout_in_ms, and Node's timers): 2^31-1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A deadline in ms: the one rule of model.run, runSync and batcher.run (an integer in 1..2^31-1). */
export function timeoutMs(value: unknown, name: string): number {
  return integer(value, name, 1, MAX_TIMEOUT_MS);
}

export function finiteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`${name}: expected a finite number, got ${describe(value)}`);
  }
  return value;
}

export function isBinary(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

export function binary(value: unknown, name: string): ArrayBufferView | ArrayBuffer {
  if (!isBinary(value)) {
    throw new ArgumentError(`${name}: expected a Buffer, TypedArray, DataView or ArrayBuffer, got ${describe(value)}`);
  }
  return value;
}

/** A shape: an array of non-negative safe integers; the element count must stay a safe integer. */
export function shape(value: unknown, name: string): number[] {
  if (!Array.isArray(value))
    throw new ShapeError(`${name}: expected an array of non-negative integers, got ${describe(value)}`);
  // The length is checked before anything is iterated: a sparse array of length 2^32-1 is refused at once.
  if (value.length > 32) throw new ShapeError(`${name}: expected rank <= 32, got rank ${value.length}`);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < value.length; i++) {
    const d: unknown = value[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${name}: expected non-negative integer dims, got ${describe(d)} at index ${i} of ${showDims(value)}`,
      );
    }
    dims.push(d);
    count *= d;
  }
  if (!Number.isSafeInteger(count)) throw new ShapeError(`${name}: ${showDims(dims)} has more elements than 2^53`);
  return dims;
}

/**
 * The elements of an array argument as a dense copy, read index by index after the length
 * check: holes become undefined (for the element checks to refuse) instead of being skipped
 * by map/forEach, and a sparse array of length 2^32-1 is refused before any iteration.
 */
export function arrayItems(value: unknown, name: string, max: number, what = 'an array'): unknown[] {
  const length = arrayLength(value, name, max, what);
  const items = new Array<unknown>(length);
  for (let i = 0; i < length; i++) items[i] = (value as unknown[])[i];
  return items;
}

/**
 * An array-like argument's length, checked before anything iterates it: a real Array
 * (not a Proxy-sized or sparse monster) of at most `max` elements.
 */
export function arrayLength(value: unknown, name: string, max: number, what = 'an array'): number {
  if (!Array.isArray(value)) throw new ArgumentError(`${name}: expected ${what}, got ${describe(value)}`);
  const length = value.length;
  if (length > max)
    throw new ArgumentError(`${name}: expected ${what} of at most ${max} elements, got length ${length}`);
  return length;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** An optional boolean option: undefined stays undefined, anything but a boolean is an ArgumentError. */
export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ArgumentError(`${name}: expected a boolean, got ${describe(value)}`);
}

/** An optional callback option: undefined stays undefined, anything but a function is an ArgumentError. */
export function optionalFunction<F extends (...args: never[]) => unknown>(value: unknown, name: string): F | undefined {
  if (value === undefined || typeof value === 'function') return value as F | undefined;
  throw new ArgumentError(`${name}: expected a function, got ${describe(value)}`);
}

/** A map keyed by the caller's own names (labels, task names): a plain object, any keys. */
export function recordObject<T>(value: unknown, name: string): Record<string, T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArgumentError(`${name}: expected an object keyed by name, got ${describe(value)}`);
  }
  return value as Record<string, T>;
}

/**
 * An options object whose keys the caller checks itself (lib/stream's readers, merged before
 * they moved to optionKeys): the object check of optionsObject without a key list.
 */
export function selfCheckedOptions<T extends object>(value: T | undefined, name: string): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArgumentError(`${name}: expected an options object, got ${describe(value)}`);
  }
  return value;
}
