// lib/binding.ts declares exactly what the addon exports: every function and value of
// binding/addon.cc and the methods and accessors of its native classes, read from the
// declared types with the TypeScript compiler and compared with the loaded binary. A native
// rename (or an export nobody declared) fails here, not as `undefined is not a function`.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const ts = require('typescript');
const { native } = require('../dist/native');

const bindingFile = path.resolve(__dirname, '..', 'lib', 'binding.ts');

describe('lib/binding.ts', function () {
  let properties;
  before(function () {
    this.timeout(60000);
    const config = ts.getParsedCommandLineOfConfigFile(path.resolve(__dirname, '..', 'tsconfig.json'), {}, ts.sys);
    const program = ts.createProgram([bindingFile], { ...config.options, noEmit: true });
    const checker = program.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(bindingFile)));
    properties = (name) => {
      const symbol = exported.find((s) => s.name === name);
      assert.ok(symbol, `lib/binding.ts exports ${name}`);
      return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => {
        const type = checker.getTypeOfSymbol(p);
        const callable = type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0;
        return { name: p.name, typeofValue: callable ? 'function' : checker.typeToString(type) };
      });
    };
  });

  const declared = (name) =>
    properties(name)
      .map((p) => p.name)
      .sort();

  const members = (ctor) =>
    Object.getOwnPropertyNames(ctor.prototype)
      .filter((n) => n !== 'constructor')
      .sort();

  it('Binding names every export of the addon, and nothing else', () => {
    assert.deepEqual(declared('Binding'), Object.keys(native).sort());
  });

  it('NativeTensor, NativeMat and NativeModel name every method and accessor of the native classes', () => {
    assert.deepEqual(declared('NativeTensor'), members(native.NativeTensor));
    assert.deepEqual(declared('NativeMat'), members(native.NativeMat));
    assert.deepEqual(declared('NativeModel'), members(native.NativeModel));
  });

  it('every sync/async pair follows the one naming rule: `name` is async, `nameSync` inline', () => {
    const keys = Object.keys(native);
    assert.deepEqual(
      keys.filter((k) => /Async$/.test(k)),
      [],
    );
    const twins = keys.filter((k) => /Sync$/.test(k));
    assert.ok(twins.length >= 30, `${twins.length} twins`);
    for (const k of twins) assert.equal(typeof native[k.slice(0, -4)], 'function', `${k} has no async twin`);
  });

  it('an async twin returns a Promise and its sync twin the value, from one prepare step', async () => {
    const mat = native.matZeros(2, 3, 1, 'uint8');
    const pending = native.countNonZero(mat);
    assert.ok(pending instanceof Promise);
    assert.equal(await pending, native.countNonZeroSync(mat));
    // Argument errors come from the shared prepare step, thrown at the call by both twins.
    for (const call of [() => native.countNonZero({}), () => native.countNonZeroSync({})])
      assert.throws(call, (e) => e.code === 'ERR_TFCV_ARGUMENT' && /mat: expected a Mat/.test(e.message));
    mat.dispose();
  });

  it('what Binding declares callable is a function of the addon, and its one number a number', () => {
    for (const { name, typeofValue } of properties('Binding')) assert.equal(typeof native[name], typeofValue, name);
  });
});
