// The one declaration of each public options object's keys, and the check that refuses
// any other key. A key list is written as `optionKeys<FooOptions>('foo', { a: true, ... })`:
// the compiler demands exactly the keys of FooOptions (a missing or an extra one does not
// type-check), so the typings and the runtime check cannot drift apart. validate.ts's
// optionsObject takes such a list, so no options object is read without its key check.
import { distance } from 'fastest-levenshtein';
import { ArgumentError } from './errors';

/** Every key of T (optional ones included), each marked `true`: checked exhaustively by the compiler. */
export type KeyTable<T> = { readonly [K in keyof Required<T>]: true };

/** The declared keys of one options object and the entry point they belong to (for messages). */
export interface OptionKeys<T> {
  /** The entry point, as messages name it: 'preprocess', 'Mat.resize', 'new Circularity'. */
  readonly owner: string;
  readonly keys: readonly string[];
  /** Keys that belong to another call, with where they go (the fix a message gives). */
  readonly elsewhere: Readonly<Record<string, string>>;
  /** Type only: the options type the keys were declared from. */
  readonly declaredFrom?: T;
}

/** Declares the keys of options type T for `owner` (see the file header). */
export function optionKeys<T extends object>(
  owner: string,
  table: KeyTable<T>,
  elsewhere: Readonly<Record<string, string>> = {},
): OptionKeys<T> {
  return Object.freeze({ owner, keys: Object.freeze(Object.keys(table)), elsewhere: Object.freeze({ ...elsewhere }) });
}

/** The same keys under another owner's name (a sync twin, a wrapper that forwards its options). */
export function sameKeys<T>(keys: OptionKeys<T>, owner: string): OptionKeys<T> {
  return Object.freeze({ owner, keys: keys.keys, elsewhere: keys.elsewhere });
}

/**
 * The known key nearest to `key`: one that contains it or is contained in it (an
 * abbreviation: 'iou' -> 'iouThreshold') first, else the least edit distance to the key or
 * to its start ('socre' -> 'scoreThreshold'), ignoring case (ties: the first declared).
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = key.toLowerCase();
  for (const k of known) {
    const other = k.toLowerCase();
    const d =
      lower.length >= 2 && (other.includes(lower) || lower.includes(other))
        ? -1 / (1 + Math.abs(other.length - lower.length))
        : Math.min(distance(lower, other), distance(lower, other.slice(0, lower.length)) + 0.5);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws an ArgumentError for the first own key of `o` that `keys` does not declare:
 * "options.scal: unknown option 'scal' for preprocess; did you mean 'scale'? (its options: ...)".
 */
export function checkKeys(o: object, keys: OptionKeys<object>, name: string): void {
  for (const key of Object.keys(o)) {
    if (keys.keys.includes(key)) continue;
    const shown = key.length > 60 ? key.slice(0, 60) + '…' : key;
    if (Object.hasOwn(keys.elsewhere, key))
      throw new ArgumentError(`${name}.${shown}: not an option of ${keys.owner}; ${keys.elsewhere[key]}`);
    const near = nearestKey(key, keys.keys);
    const hint = near === undefined ? `${keys.owner} takes no options` : `did you mean '${near}'?`;
    throw new ArgumentError(
      `${name}.${shown}: unknown option '${shown}' for ${keys.owner}; ${hint}` +
        (keys.keys.length > 0 ? ` (its options: ${keys.keys.join(', ')})` : ''),
    );
  }
}

/**
 * Refuses `key` with the standard message (did you mean …?) where the keys are a plain list
 * checked in a loop of the caller's own (lib/stream's readers).
 */
export function refuseUnknownKey(key: string, owner: string, keys: readonly string[], name: string): never {
  checkKeys({ [key]: true }, Object.freeze({ owner, keys, elsewhere: {} }), name);
  throw new ArgumentError(`${name}.${key}: unknown option for ${owner}`);
}
