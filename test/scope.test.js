// Disposal without ceremony: tfcv.scope() / scopeSync() free every Tensor, Mat and Model made
// inside unless returned or kept, also when the function throws, and concurrent async scopes
// free only their own objects; Symbol.dispose makes Tensor, Mat and Model work with `using`.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped, collect } = require('./helpers');
const { Mat, Tensor, scope, scopeSync, keep, loadSavedModel, ArgumentError } = tfcv;

const SEGNET = path.join(__dirname, 'fixtures/models/segnet');
const tick = () => new Promise((r) => setImmediate(r));

describe('scope() and Symbol.dispose', () => {
  it('frees what the function made, keeps what it returns (also inside arrays, objects, Maps, Sets) and what it kept', async () => {
    const made = [];
    const result = await scope(async () => {
      const a = Tensor.alloc('float32', [2]);
      const b = Mat.zeros(2, 2);
      const c = await Mat.zeros(4, 4).resize({ width: 2, height: 2 }); // the async result and its source
      const kept = keep(Tensor.alloc('uint8', [1]));
      const inMap = Tensor.alloc('uint8', [1]);
      const inSet = Mat.zeros(1, 1);
      made.push(a, b, c, kept, inMap, inSet);
      return { tensors: [a], nested: { map: new Map([['x', inMap]]), set: new Set([inSet]) }, count: 3 };
    });
    const [a, b, c, kept, inMap, inSet] = made;
    assert.equal(result.tensors[0], a);
    assert.equal(a.disposed, false, 'returned in an array');
    assert.equal(inMap.disposed, false, 'returned in a Map');
    assert.equal(inSet.disposed, false, 'returned in a Set');
    assert.equal(kept.disposed, false, 'kept');
    assert.equal(b.disposed, true);
    assert.equal(c.disposed, true);
    for (const x of [a, kept, inMap, inSet]) x.dispose();
  });

  it('frees everything when the function throws, and rejects with its error', async () => {
    let t;
    let m;
    const boom = new Error('boom');
    await assert.rejects(
      scope(async () => {
        t = Tensor.alloc('float32', [4]);
        await tick();
        m = Mat.zeros(3, 3);
        throw boom;
      }),
      (e) => e === boom,
    );
    assert.equal(t.disposed, true);
    assert.equal(m.disposed, true);
    let s;
    assert.throws(
      () =>
        scopeSync(() => {
          s = Mat.zeros(1, 1);
          throw boom;
        }),
      (e) => e === boom,
    );
    assert.equal(s.disposed, true);
  });

  it('concurrent async scopes free only their own objects (AsyncLocalStorage)', async () => {
    const mine = { a: [], b: [] };
    let releaseA;
    const gate = new Promise((r) => (releaseA = r));
    const scopeA = scope(async () => {
      mine.a.push(Tensor.alloc('uint8', [1]));
      await gate; // B runs and finishes meanwhile
      mine.a.push(Mat.zeros(1, 1));
      return mine.a[1];
    });
    const scopeB = scope(async () => {
      await tick();
      mine.b.push(Tensor.alloc('uint8', [1]), Mat.zeros(1, 1));
      await tick();
    });
    await scopeB;
    assert.ok(
      mine.b.every((x) => x.disposed),
      "B's objects are freed when B ends",
    );
    assert.equal(mine.a[0].disposed, false, "A's object lives while A runs");
    releaseA();
    const returned = await scopeA;
    assert.equal(mine.a[0].disposed, true);
    assert.equal(returned.disposed, false);
    returned.dispose();
  });

  it('a nested scope hands its returned objects to the enclosing scope', async () => {
    let inner;
    let survivor;
    await scope(async () => {
      survivor = await scope(async () => {
        inner = Tensor.alloc('uint8', [1]);
        return Tensor.alloc('uint8', [2]);
      });
      assert.equal(inner.disposed, true);
      assert.equal(survivor.disposed, false, 'alive in the outer scope');
    });
    assert.equal(survivor.disposed, true, 'freed with the outer scope');
  });

  it('frees model outputs, preprocess results and the model itself in a request-shaped handler', async () => {
    let model;
    let out;
    const value = await scope(async () => {
      model = await loadSavedModel(SEGNET);
      const input = Tensor.alloc('float32', [1, 64, 64, 3]);
      input.data.fill(0.5);
      out = await model.run({ image: input });
      return out.foreground.data.length;
    });
    assert.equal(value, 64 * 64);
    assert.equal(out.foreground.disposed, true);
    assert.equal(model.disposed, true);
  });

  it("objects made after the scope ended (un-awaited work) are the caller's; outside a scope nothing changes", async () => {
    let late;
    let pending;
    await scope(async () => {
      pending = tick().then(() => (late = Tensor.alloc('uint8', [1])));
    });
    await pending;
    assert.equal(late.disposed, false);
    late.dispose();
    const free = Tensor.alloc('uint8', [1]);
    assert.equal(free.disposed, false);
    free.dispose();
  });

  it('many concurrent scopes, some failing, leave no Tensor or Mat behind', async () => {
    await collect();
    const before = tfcv.stats();
    const jobs = Array.from({ length: 200 }, (_, i) =>
      scope(async () => {
        const m = Mat.zeros(16, 16, { channels: 3 });
        await tick();
        const t = await tfcv.toTensor(m, { dtype: 'float32' });
        if (i % 7 === 0) throw new Error(`job ${i}`);
        return t.shape[0];
      }).catch((e) => e.message),
    );
    const results = await Promise.all(jobs);
    assert.equal(results.filter((r) => typeof r === 'string').length, 29);
    await collect();
    const after = tfcv.stats();
    assert.equal(after.liveTensors, before.liveTensors);
    assert.equal(after.liveMats, before.liveMats);
  });

  it('bad calls are typed errors', async () => {
    await rejectsTyped(scope('nope'), ArgumentError, /fn: expected a function, got/);
    throwsTyped(() => scopeSync(null), ArgumentError, /fn: expected a function/);
    let t;
    throwsTyped(
      () => scopeSync(async () => (t = Tensor.alloc('uint8', [1]))),
      ArgumentError,
      /scopeSync\(\) got a promise back; use await scope/,
    );
    assert.equal(t.disposed, true);
  });

  it('Symbol.dispose disposes Tensor, Mat and Model (TypeScript `using`), idempotent with dispose()', async () => {
    assert.equal(typeof Symbol.dispose, 'symbol');
    const t = Tensor.alloc('uint8', [1]);
    const m = Mat.zeros(1, 1);
    const model = await loadSavedModel(SEGNET);
    for (const x of [t, m, model]) {
      x[Symbol.dispose]();
      assert.equal(x.disposed, true);
      x[Symbol.dispose]();
      x.dispose();
    }
  });

  it("`using` (compiled by the project's TypeScript for Node 20) disposes at the end of the block, also on a throw", () => {
    const ts = require('typescript');
    const source = `
      export function run(tfcv: any, seen: any[]): void {
        {
          using t = tfcv.Tensor.alloc('uint8', [1]);
          using m = tfcv.Mat.zeros(1, 1);
          seen.push(t, m);
          if (seen.length > 0) throw new Error('inside');
        }
      }`;
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    });
    const mod = { exports: {} };
    new Function('module', 'exports', 'require', outputText)(mod, mod.exports, require);
    const seen = [];
    assert.throws(() => mod.exports.run(tfcv, seen), /inside/);
    assert.equal(seen.length, 2);
    assert.ok(
      seen.every((x) => x.disposed),
      'both disposed by using',
    );
  });
});
