// Issue 21, finding 11: scope() disposes what it made even when its return value cannot be
// walked (a throwing getter, a Proxy whose traps throw), without running user code during
// the cleanup; and the documented depth rule (32 levels) holds.
'use strict';
const assert = require('node:assert/strict');
const { tfcv } = require('./helpers');

const { Tensor, scope, scopeSync, keep } = tfcv;

function nest(value, levels) {
  let out = value;
  for (let i = 0; i < levels; i++) out = { inner: out };
  return out;
}

describe('scope(): results that cannot be walked (issue 21)', () => {
  it('a throwing getter in the result: the scope still disposes what it made, and resolves', async () => {
    let made;
    const result = await scope(async () => {
      made = [Tensor.alloc('uint8', [4]), Tensor.alloc('uint8', [4])];
      return {
        get boom() {
          throw new Error('getter ran');
        },
      };
    });
    assert.ok(result);
    for (const t of made) assert.equal(t.disposed, true);
  });

  it('a Proxy whose traps throw: not entered, everything made is disposed', async () => {
    let made;
    const trap = () => {
      throw new Error('trap ran');
    };
    // `then` is read by the promise machinery itself (not by scope) when fn's result resolves.
    const get = (target, key) => (key === 'then' ? undefined : trap());
    const result = await scope(async () => {
      made = Tensor.alloc('uint8', [4]);
      return new Proxy({ t: made }, { ownKeys: trap, get, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
    });
    assert.ok(result);
    assert.equal(made.disposed, true);
    // The same through scopeSync, and a revoked proxy.
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let made2;
    scopeSync(() => {
      made2 = Tensor.alloc('uint8', [4]);
      return [proxy, made2 === null];
    });
    assert.equal(made2.disposed, true);
  });

  it('a tensor returned in plain data survives; a getter is not called to find one', async () => {
    let calls = 0;
    const out = await scope(async () => {
      const t = Tensor.alloc('uint8', [4]);
      const hidden = Tensor.alloc('uint8', [4]);
      return {
        t,
        get hidden() {
          calls++;
          return hidden;
        },
      };
    });
    assert.equal(calls, 0, 'no user getter runs during cleanup');
    assert.equal(out.t.disposed, false);
    assert.equal(out.hidden.disposed, true, 'behind a getter: not reached, so disposed (keep() it)');
    out.t.dispose();
  });

  it('the depth rule: returned 32 levels deep survives, 33 levels deep is disposed unless kept', async () => {
    const at32 = await scope(async () => nest(Tensor.alloc('uint8', [1]), 32));
    let t32 = at32;
    for (let i = 0; i < 32; i++) t32 = t32.inner;
    assert.equal(t32.disposed, false);
    t32.dispose();
    const at33 = await scope(async () => nest(Tensor.alloc('uint8', [1]), 33));
    let t33 = at33;
    for (let i = 0; i < 33; i++) t33 = t33.inner;
    assert.equal(t33.disposed, true);
    const kept = await scope(async () => nest(keep(Tensor.alloc('uint8', [1])), 40));
    let k = kept;
    for (let i = 0; i < 40; i++) k = k.inner;
    assert.equal(k.disposed, false);
    k.dispose();
  });
});
