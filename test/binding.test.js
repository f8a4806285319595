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

  it('what Binding declares callable is a function of the addon, and its one number a number', () => {
    for (const { name, typeofValue } of properties('Binding')) assert.equal(typeof native[name], typeofValue, name);
  });
});
