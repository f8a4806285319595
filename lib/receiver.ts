// Wrong-`this` calls: a method or getter taken off its object (`const { dispose } = model`,
// `Model.prototype.run.call({})`) answers an ArgumentError naming the class and member,
// like every other bad argument, instead of the TypeError its body would hit first
// (a private field read, `this.x is not a function`). guardReceivers wraps each own
// method and accessor of a class's prototype once, at load, with a brand check.
import { ArgumentError } from './errors';
import * as v from './validate';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The error of a member called on something that is not a `className`. */
export function wrongReceiver(className: string, member: string, receiver: unknown, getter = false): ArgumentError {
  const use = getter ? `obj.${member}` : `obj.${member}(...), or bind it`;
  return new ArgumentError(
    `${className}.prototype.${member}: called on ${receiver === undefined ? 'undefined' : v.describe(receiver)}, expected a ${className} (use it on the object: ${use})`,
  );
}

/**
 * @internal Wraps the own methods and accessors of `cls.prototype` (the constructor and
 * util.inspect's hook excepted) so that a receiver failing `isInstance` is an ArgumentError;
 * async methods reject with it instead of throwing.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function guardReceivers(cls: Function, isInstance: (x: unknown) => boolean, className = cls.name): void {
  const proto = cls.prototype as object;
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor' || key === INSPECT) continue;
    const d = Object.getOwnPropertyDescriptor(proto, key)!;
    const member = typeof key === 'symbol' ? `[${key.description ?? ''}]` : key;
    type Member = (this: unknown, ...args: unknown[]) => unknown;
    const guard = (fn: Member | undefined, getter = false): Member | undefined => {
      if (typeof fn !== 'function') return fn;
      const isAsync = (fn as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'AsyncFunction';
      const wrapped: Member = function (this: unknown, ...args: unknown[]) {
        if (!isInstance(this)) {
          const error = wrongReceiver(className, member, this, getter);
          if (isAsync) return Promise.reject(error);
          throw error;
        }
        return fn.apply(this, args);
      };
      Object.defineProperty(wrapped, 'name', { value: fn.name });
      Object.defineProperty(wrapped, 'length', { value: fn.length });
      return wrapped;
    };
    if ('value' in d) {
      if (typeof d.value === 'function') Object.defineProperty(proto, key, { ...d, value: guard(d.value as Member) });
    } else {
      Object.defineProperty(proto, key, {
        ...d,
        get: guard(d.get as Member | undefined, true),
        set: guard(d.set as Member | undefined),
      });
    }
  }
}

const constructed = new WeakSet<object>();

/**
 * @internal Records `instance` as made by its class's constructor: the brand guardReceivers
 * checks for classes that hold no native handle (a look-alike made with Object.create passes
 * instanceof but was never constructed).
 */
export function markConstructed(instance: object): void {
  constructed.add(instance);
}

/** @internal Whether `x` was constructed by `cls` (or a subclass): see markConstructed. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function wasConstructed(x: unknown, cls: Function): boolean {
  return typeof x === 'object' && x !== null && constructed.has(x) && x instanceof cls;
}
