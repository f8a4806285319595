// Random-argument calls of every exported function and method of tfcv, enumerated from the
// loaded module (functions, class constructors, static methods, prototype methods and getters
// of live instances), with hostile arguments: undefined, NaN, 2**53, Symbols, BigInts,
// Proxies and throwing getters, sparse arrays of length 2^32-1, detached buffers,
// SharedArrayBuffer views, views at odd offsets, huge strings, disposed objects, and options
// objects whose known keys hold any of these. Used by scripts/fuzz/child.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { FIXTURES, rngFor } = require('./cases');

/** What a trap of ours throws: such an error coming back is the caller's own, not untyped. */
const TRAP = 'FUZZ_TRAP';

const OPTION_KEYS = [
  'width',
  'height',
  'channels',
  'dtype',
  'mode',
  'flags',
  'maxPixels',
  'reduce',
  'shape',
  'onShared',
  'fallback',
  'layout',
  'resize',
  'threshold',
  'numClasses',
  'signal',
  'timeoutMs',
  'outputs',
  'signature',
  'batchSize',
  'concurrency',
  'interpolation',
  'inPlace',
  'type',
  'rows',
  'cols',
  'mean',
  'std',
  'scale',
  'channelOrder',
  'fill',
  'ignoreClass',
  'emptyPolicy',
  'index',
  'count',
  'x',
  'y',
  'quality',
  'format',
  'thickness',
  'kind',
  'config',
  'state',
  'name',
  'masks',
  'onError',
  'tags',
  'warmup',
  'maxAllocationBytes',
];

function isClass(f) {
  return typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));
}

/** Every callable of the module, sorted so that a seed means the same calls on every run. */
function enumerateTargets(tfcv) {
  const targets = [];
  for (const name of Object.keys(tfcv).sort()) {
    const value = tfcv[name];
    if (typeof value !== 'function') continue;
    if (isClass(value)) {
      targets.push({ label: `new ${name}`, kind: 'construct', cls: name });
      for (const key of Object.getOwnPropertyNames(value).sort()) {
        if (['length', 'name', 'prototype'].includes(key)) continue;
        const d = Object.getOwnPropertyDescriptor(value, key);
        if (d && typeof d.value === 'function')
          targets.push({ label: `${name}.${key}`, kind: 'static', cls: name, key });
      }
    } else {
      targets.push({ label: name, kind: 'function', key: name });
    }
  }
  return targets;
}

/** Prototype methods and getters of an instance, up to Object.prototype. */
function instanceMembers(instance) {
  const out = [];
  const seen = new Set();
  for (let p = Object.getPrototypeOf(instance); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p).sort()) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (typeof d.value === 'function') out.push({ key, kind: 'method' });
      else if (d.get) out.push({ key, kind: 'getter' });
    }
  }
  return out;
}

/** Live instances the methods are called on, rebuilt for every case. */
function makeInstances(tfcv, shared) {
  const jpeg = shared.jpeg;
  const mat = tfcv.Mat.zeros(8, 8, { channels: 3 });
  const gray = tfcv.Mat.zeros(8, 8);
  const tensor = tfcv.Tensor.alloc('float32', [1, 8, 8, 3]);
  const labels = tfcv.Tensor.alloc('uint8', [1, 8, 8]);
  labels.data.fill(1);
  const disposedMat = tfcv.Mat.zeros(2, 2);
  disposedMat.dispose();
  const disposedTensor = tfcv.Tensor.alloc('uint8', [2]);
  disposedTensor.dispose();
  if (shared.model === undefined || shared.model.disposed)
    shared.model = tfcv.loadFrozenGraphSync(path.join(FIXTURES, 'models/frozen/graph.pb'));
  const metrics = {};
  for (const name of [
    'Circularity',
    'SegmentationAccuracy',
    'AvgPixelValue',
    'MeanIoU',
    'IoU',
    'Dice',
    'PixelAccuracy',
    'BinaryAccuracy',
    'Precision',
    'Recall',
    'ConfusionMatrix',
  ]) {
    try {
      const Cls = tfcv[name];
      metrics[name] = ['MeanIoU', 'IoU', 'Dice', 'ConfusionMatrix'].includes(name) ? new Cls(2) : new Cls();
    } catch {
      // a metric whose constructor needs other arguments: left out of the instances
    }
  }
  return { mat, gray, tensor, labels, disposedMat, disposedTensor, model: shared.model, jpeg, metrics };
}

function disposeInstances(inst) {
  for (const x of [inst.mat, inst.gray, inst.tensor, inst.labels]) {
    try {
      x.dispose();
    } catch {
      // already disposed by the call under test
    }
  }
}

/** One hostile value, described for the reproducer. */
function hostileValue(r, inst, depth = 0) {
  const k = r.int(44);
  switch (k) {
    case 0:
      return [undefined, 'undefined'];
    case 1:
      return [null, 'null'];
    case 2:
      return [NaN, 'NaN'];
    case 3:
      return [2 ** 53, '2**53'];
    case 4:
      return [-1, '-1'];
    case 5:
      return [0, '0'];
    case 6:
      return [1.5, '1.5'];
    case 7:
      return [Infinity, 'Infinity'];
    case 8:
      return [2 ** 31, '2**31'];
    case 9:
      return [1e308, '1e308'];
    case 10:
      return [Symbol('fuzz'), "Symbol('fuzz')"];
    case 11:
      return [10n, '10n'];
    case 12:
      return ['', "''"];
    case 13:
      return ['x', "'x'"];
    case 14:
      return ['x'.repeat(100000), "'x'.repeat(100000)"];
    case 15:
      return [
        r.pick(['color', 'float32', 'uint8', 'copy', 'share', 'NHWC', 'BGR2GRAY', 'png', 'jpeg', 'linear']),
        'a valid-looking string',
      ];
    case 16:
      return [{}, '{}'];
    case 17:
      return [[], '[]'];
    case 18:
      return [[1, 2, 3], '[1,2,3]'];
    case 19: {
      const a = [];
      a.length = 2 ** 32 - 1;
      return [a, 'sparse array of length 2**32-1'];
    }
    case 20:
      return [[1, , 3], '[1, , 3]']; // eslint-disable-line no-sparse-arrays
    case 21: {
      const trap = () => {
        throw new Error(TRAP);
      };
      return [
        new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap }),
        'Proxy with throwing traps',
      ];
    }
    case 22: {
      const o = {};
      Object.defineProperty(o, r.pick(OPTION_KEYS), {
        get() {
          throw new Error(TRAP);
        },
        enumerable: true,
      });
      return [o, 'object with a throwing getter'];
    }
    case 23: {
      const u = new Uint8Array(16);
      structuredClone(u.buffer, { transfer: [u.buffer] });
      return [u, 'detached Uint8Array'];
    }
    case 24:
      return [new Uint8Array(new SharedArrayBuffer(64)), 'Uint8Array over a SharedArrayBuffer'];
    case 25:
      return [new Float32Array(new ArrayBuffer(68), 4, 16), 'Float32Array at offset 4'];
    case 26:
      return [new Uint8Array(new ArrayBuffer(65), 1, 64), 'Uint8Array at odd offset 1'];
    case 27:
      return [new DataView(new ArrayBuffer(33), 3), 'DataView at offset 3'];
    case 28:
      return [inst.mat, 'a 8x8x3 Mat'];
    case 29:
      return [inst.gray, 'a 8x8 Mat'];
    case 30:
      return [inst.tensor, 'a float32 [1,8,8,3] Tensor'];
    case 31:
      return [inst.labels, 'a uint8 [1,8,8] Tensor'];
    case 32:
      return [inst.disposedMat, 'a disposed Mat'];
    case 33:
      return [inst.disposedTensor, 'a disposed Tensor'];
    case 34:
      return [inst.jpeg, 'a JPEG Buffer'];
    case 35:
      return [() => 0, 'a function'];
    case 36:
      return [[inst.mat, inst.gray], '[Mat, Mat]'];
    case 37:
      return [Object.freeze({ width: 8, height: 8 }), 'frozen { width: 8, height: 8 }'];
    case 38:
      return [new AbortController().signal, 'an AbortSignal'];
    case 39:
      return [Buffer.alloc(0), 'an empty Buffer'];
    case 40:
      return [new ArrayBuffer(8), 'an ArrayBuffer(8)'];
    case 41:
      return [r.pick([1, 2, 3, 4, 8, 16, 64]), 'a small integer'];
    case 42:
      return [-0, '-0'];
    default: {
      if (depth > 1) return [{}, '{}'];
      const o = {};
      const parts = [];
      for (let i = 0, n = 1 + r.int(4); i < n; i++) {
        const key = r.pick(OPTION_KEYS);
        const [v, d] = hostileValue(r, inst, depth + 1);
        o[key] = v;
        parts.push(`${key}: ${d}`);
      }
      return [o, `{ ${parts.join(', ')} }`];
    }
  }
}

/** Case i: which target, which `this`, which arguments. Returns { label, run() }. */
function apiCase(tfcv, targets, seed, index, inst) {
  const r = rngFor(seed, index, 3);
  // Instance members get a share of the cases proportional to their number.
  const kinds = ['mat', 'tensor', 'model', 'metric'];
  let target;
  let self;
  let selfLabel;
  if (r.chance(0.55)) {
    const which = r.pick(kinds);
    if (which === 'metric') {
      const names = Object.keys(inst.metrics);
      const name = r.pick(names);
      self = inst.metrics[name];
      selfLabel = `new ${name}(…)`;
    } else {
      self =
        which === 'mat'
          ? r.pick([inst.mat, inst.gray])
          : which === 'tensor'
            ? r.pick([inst.tensor, inst.labels])
            : inst.model;
      selfLabel = which;
    }
    const member = r.pick(instanceMembers(self));
    target = { label: `${selfLabel}.${member.key}`, kind: member.kind, key: member.key };
  } else {
    target = r.pick(targets);
  }
  const args = [];
  const described = [];
  const n = target.kind === 'getter' ? 0 : r.int(5);
  for (let i = 0; i < n; i++) {
    const [v, d] = hostileValue(r, inst);
    args.push(v);
    described.push(d);
  }
  const label = `${target.label}(${described.join(', ')})`;
  const run = () => {
    switch (target.kind) {
      case 'construct':
        return new tfcv[target.cls](...args);
      case 'static':
        return tfcv[target.cls][target.key](...args);
      case 'function':
        return tfcv[target.key](...args);
      case 'getter':
        return self[target.key];
      default:
        return self[target.key](...args);
    }
  };
  return { label, run, target: target.label };
}

function sharedState() {
  return { jpeg: fs.readFileSync(path.join(FIXTURES, 'images/photo_640x480.jpg')), model: undefined };
}

module.exports = { enumerateTargets, apiCase, makeInstances, disposeInstances, sharedState, TRAP };
