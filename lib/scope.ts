// Disposal without ceremony: scope(fn) frees every Tensor, Mat and Model created while fn
// runs (its awaits included) when fn settles, whether it returned or threw, except what fn
// returns and what it passed to keep(). The rule is tf.tidy's, extended to async functions:
// the scope follows fn's async context through AsyncLocalStorage, so concurrent scopes (two
// request handlers interleaving their awaits) each free only their own objects. An object
// returned from a nested scope belongs to the enclosing scope from then on.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ArgumentError } from './errors';
import * as v from './validate';

/** What a scope frees: tfcv's Tensor, Mat and Model. */
export interface ScopedResource {
  dispose(): void;
  readonly disposed: boolean;
}

interface ScopeState {
  owned: Set<ScopedResource>;
  parent: ScopeState | undefined;
  closed: boolean;
}

const storage = new AsyncLocalStorage<ScopeState>();
const resources = new WeakSet<object>();

/** @internal Called by the Tensor, Mat and Model constructors. */
export function trackInScope(resource: ScopedResource): void {
  resources.add(resource);
  const scope = storage.getStore();
  // Work that outlives its scope (an un-awaited promise, a timer) makes objects nobody frees
  // automatically: they are the caller's, as outside any scope.
  if (scope !== undefined && !scope.closed) scope.owned.add(resource);
}

/**
 * Removes `value` (a Tensor, Mat or Model, or an array / object holding some) from every
 * enclosing scope, so it survives them: the caller disposes it. Returns `value`.
 */
export function keep<T>(value: T): T {
  for (const resource of resourcesIn(value)) {
    for (let s = storage.getStore(); s !== undefined; s = s.parent) s.owned.delete(resource);
  }
  return value;
}

/**
 * Runs `fn` and, when it settles (returns or throws), disposes every Tensor, Mat and Model
 * created meanwhile, except those in its result (the value itself, or inside arrays, plain
 * objects, Maps and Sets) and those passed to keep(). Resolves with fn's result; a rejection
 * of fn rejects scope() with the same error after the cleanup.
 */
export async function scope<T>(fn: () => T | Promise<T>): Promise<Awaited<T>> {
  if (typeof fn !== 'function') throw new ArgumentError(`fn: expected a function, got ${v.describe(fn)}`);
  const state = open();
  let result: Awaited<T>;
  try {
    result = await storage.run(state, fn);
  } catch (error) {
    close(state, undefined);
    throw error;
  }
  close(state, result);
  return result;
}

/** Synchronous twin of scope() for synchronous functions (a function returning a promise is an ArgumentError: use scope()). */
export function scopeSync<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ArgumentError(`fn: expected a function, got ${v.describe(fn)}`);
  const state = open();
  let result: T;
  try {
    result = storage.run(state, fn);
  } catch (error) {
    close(state, undefined);
    throw error;
  }
  if (result instanceof Promise) {
    close(state, undefined);
    throw new ArgumentError('fn: scopeSync() got a promise back; use await scope(async () => ...) for async functions');
  }
  close(state, result);
  return result;
}

function open(): ScopeState {
  return { owned: new Set(), parent: storage.getStore(), closed: false };
}

function close(state: ScopeState, result: unknown): void {
  state.closed = true;
  const survivors = new Set(resourcesIn(result));
  for (const resource of state.owned) {
    if (survivors.has(resource)) {
      // Returned: the enclosing scope (if any, and still open) owns it now.
      if (state.parent !== undefined && !state.parent.closed) state.parent.owned.add(resource);
      continue;
    }
    try {
      resource.dispose();
    } catch {
      // dispose() is idempotent and does not throw for tfcv objects; a failure here must not
      // hide fn's own result or error.
    }
  }
  state.owned.clear();
}

// The tfcv objects reachable from a value through arrays, plain objects, Maps and Sets.
function resourcesIn(value: unknown): ScopedResource[] {
  const found: ScopedResource[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number) => {
    if (x === null || typeof x !== 'object' || seen.has(x) || depth > 32) return;
    seen.add(x);
    if (resources.has(x)) {
      found.push(x as ScopedResource);
      return;
    }
    // Object.values reads only the elements present: a sparse array of length 2**32-1 costs nothing.
    if (Array.isArray(x)) for (const y of Object.values(x)) visit(y, depth + 1);
    else if (x instanceof Map) x.forEach((y, k) => (visit(k, depth + 1), visit(y, depth + 1)));
    else if (x instanceof Set) x.forEach((y) => visit(y, depth + 1));
    else if (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null) {
      for (const y of Object.values(x)) visit(y, depth + 1);
    }
  };
  visit(value, 0);
  return found;
}
