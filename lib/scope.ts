// Disposal without ceremony: scope(fn) frees every Tensor, Mat and Model created while fn
// runs (its awaits included) when fn settles, whether it returned or threw, except what fn
// returns and what it passed to keep(). The rule is tf.tidy's, extended to async functions:
// the scope follows fn's async context through AsyncLocalStorage, so concurrent scopes (two
// request handlers interleaving their awaits) each free only their own objects. An object
// returned from a nested scope belongs to the enclosing scope from then on. Work done on
// behalf of several callers (the batcher's batches) runs outside every scope and hands each
// caller's objects to the scope that caller was in (scopeOwner / adopt).
import { AsyncLocalStorage } from 'node:async_hooks';
import { types } from 'node:util';
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

/** @internal The scope of the current async context (undefined outside any scope), to adopt() into later. */
export type ScopeOwner = ScopeState | undefined;

/** @internal */
export function scopeOwner(): ScopeOwner {
  return storage.getStore();
}

/**
 * @internal Runs `fn` (and everything it awaits or schedules) outside every scope: objects
 * it creates belong to no scope until adopt() gives them to one.
 */
export function unscoped<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * @internal Gives `resources` to `owner`, the scope of the caller they were made for. A
 * scope that has already closed (the caller did not await) leaves them to the caller, as
 * outside any scope.
 */
export function adopt(owner: ScopeOwner, resources: Iterable<ScopedResource>): void {
  if (owner === undefined || owner.closed) return;
  for (const resource of resources) owner.owned.add(resource);
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
 * objects, Maps and Sets, at most 32 levels deep, through own data properties: getters are
 * not called and Proxies not entered) and those passed to keep(). Anything else is
 * disposed, including an object nested deeper or behind a getter: keep() it. Resolves with
 * fn's result; a rejection of fn rejects scope() with the same error after the cleanup.
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
  // resourcesIn never throws: whatever cannot be walked is disposed like the rest.
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

// The tfcv objects reachable from a value through arrays, plain objects, Maps and Sets, at
// most MAX_DEPTH levels below it. Only own data properties are read: getters are not called
// and Proxies are not entered, so walking runs no user code and cannot throw (a value that
// still fails to be read is skipped). What is not reached is not a survivor.
const MAX_DEPTH = 32;

function resourcesIn(value: unknown): ScopedResource[] {
  const found: ScopedResource[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number) => {
    if (x === null || typeof x !== 'object' || seen.has(x) || depth > MAX_DEPTH) return;
    seen.add(x);
    if (resources.has(x)) {
      found.push(x as ScopedResource);
      return;
    }
    if (types.isProxy(x)) return;
    try {
      if (Array.isArray(x) || isPlainObject(x)) {
        // Own data properties only; a sparse array of length 2**32-1 costs nothing.
        const descriptors = Object.getOwnPropertyDescriptors(x) as Record<string, PropertyDescriptor>;
        for (const key of Object.keys(descriptors)) {
          const d = descriptors[key]!;
          if ('value' in d && d.enumerable) visit(d.value, depth + 1);
        }
      } else if (x instanceof Map) {
        Map.prototype.forEach.call(x, (y: unknown, k: unknown) => (visit(k, depth + 1), visit(y, depth + 1)));
      } else if (x instanceof Set) {
        Set.prototype.forEach.call(x, (y: unknown) => visit(y, depth + 1));
      }
    } catch {
      // Not walkable (a revoked or exotic object): nothing in it survives.
    }
  };
  visit(value, 0);
  return found;
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
