// Issue 21, finding 10: every prototype member (method, getter) of every exported class,
// called on a wrong `this` (undefined, null, a plain object, a look-alike made with
// Object.create, a number, an object of another tfcv class), answers a typed TfcvError:
// thrown, or as a rejection for async methods. util.inspect's hook may describe the
// receiver instead (console.log(Tensor.prototype) must work).
'use strict';
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const { tfcv } = require('./helpers');

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function exportedClasses() {
  return Object.entries(tfcv).filter(
    ([name, value]) => typeof value === 'function' && /^[A-Z]/.test(name) && value.prototype,
  );
}

function membersOf(cls) {
  const members = [];
  // Members tfcv defines: what a class inherits from Node's own EventEmitter is Node's.
  const stops = [Object.prototype, Error.prototype, EventEmitter.prototype];
  for (let p = cls.prototype; p && !stops.includes(p); p = Object.getPrototypeOf(p)) {
    for (const key of Reflect.ownKeys(p)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (typeof d.value === 'function') members.push({ key, kind: 'method', fn: d.value });
      if (d.get) members.push({ key, kind: 'getter', fn: d.get });
      if (d.set) members.push({ key, kind: 'setter', fn: d.set });
    }
  }
  return members;
}

describe('wrong-this calls are typed (issue 21)', () => {
  it('every prototype member of every exported class', async () => {
    const other = tfcv.Tensor.alloc('uint8', [1]);
    const otherMetric = new tfcv.Circularity();
    let calls = 0;
    const untyped = [];
    for (const [name, cls] of exportedClasses()) {
      const receivers = [
        undefined,
        null,
        {},
        42,
        Object.create(cls.prototype),
        name === 'Tensor' ? otherMetric : other,
      ];
      for (const { key, kind, fn } of membersOf(cls)) {
        for (const receiver of receivers) {
          calls++;
          let error = null;
          let result;
          try {
            result = fn.call(receiver);
            if (result && typeof result.then === 'function')
              await result.then(
                () => {},
                (e) => (error = e),
              );
          } catch (e) {
            error = e;
          }
          if (key === INSPECT && error === null && typeof result === 'string') continue;
          if (!(error instanceof tfcv.TfcvError))
            untyped.push(
              `${name}.${String(key)} (${kind}) on ${String(receiver)}: ${error ? error.stack : 'no error'}`,
            );
        }
      }
    }
    other.dispose();
    assert.ok(calls > 1000, `only ${calls} calls`);
    assert.deepEqual(untyped, []);
  });

  it('the campaign cases: Symbol.dispose of Tensor, Mat and Model, Model.dispose / disposed', async () => {
    const model = await tfcv.loadSavedModel(require('node:path').join(__dirname, 'fixtures/models/segnet'));
    for (const cls of [tfcv.Tensor, tfcv.Mat, tfcv.Model]) {
      assert.throws(
        () => cls.prototype[Symbol.dispose].call({}),
        (e) => e.code === 'ERR_TFCV_ARGUMENT' && /expected a/.test(e.message),
      );
    }
    assert.throws(() => tfcv.Model.prototype.dispose.call({}), tfcv.ArgumentError);
    assert.throws(
      () => Object.getOwnPropertyDescriptor(tfcv.Model.prototype, 'disposed').get.call({}),
      /Model\.prototype\.disposed: called on Object, expected a Model/,
    );
    const { dispose } = model; // a method taken off its object
    assert.throws(() => dispose(), /called on undefined/);
    assert.equal(model.disposed, false);
    model[Symbol.dispose]();
    assert.equal(model.disposed, true);
  });
});
