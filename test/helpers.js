// Shared test helpers: the package under test, forced garbage collection that waits for
// finalizers and the deferred external-memory reports, a tiny BMP encoder (an image
// format simple enough to write exactly without OpenCV), and error assertions.
'use strict';
const assert = require('node:assert/strict');
const tfcv = require('../dist');

async function settle() {
  // Finalizers are queued by GC and run on later turns; deferred work runs via a
  // thread-safe function. Give both a few turns.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

async function collect(rounds = 3) {
  if (typeof global.gc !== 'function') throw new Error('tests must run with --expose-gc');
  for (let i = 0; i < rounds; i++) {
    global.gc();
    await settle();
  }
}

/** 24-bit BMP (bottom-up rows, BGR, rows padded to 4 bytes) of a rows x cols x 3 BGR image. */
function encodeBmp(bgr, rows, cols) {
  const rowBytes = Math.ceil((cols * 3) / 4) * 4;
  const size = 54 + rowBytes * rows;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(cols, 18);
  b.writeInt32LE(rows, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowBytes * rows, 34);
  for (let y = 0; y < rows; y++) {
    const dst = 54 + (rows - 1 - y) * rowBytes;
    for (let x = 0; x < cols * 3; x++) b[dst + x] = bgr[y * cols * 3 + x];
  }
  return b;
}

/** Asserts that `fn` throws (or rejects with) an instance of `Class` whose message matches `pattern`. */
function throwsTyped(fn, Class, pattern) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Class, `expected ${Class.name}, got ${err && err.name}: ${err && err.message}`);
    assert.equal(typeof err.code, 'string');
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

async function rejectsTyped(promiseOrFn, Class, pattern) {
  await assert.rejects(promiseOrFn, (err) => {
    assert.ok(err instanceof Class, `expected ${Class.name}, got ${err && err.name}: ${err && err.message}`);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

/** Deterministic pseudo-random bytes (xorshift32) so failures reproduce. */
function randomBytes(n, seed = 1) {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

module.exports = { tfcv, collect, settle, encodeBmp, throwsTyped, rejectsTyped, randomBytes };
