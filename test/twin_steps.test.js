// lib/twin_steps.ts: one generator body, driven inline and asynchronously, behaves the same —
// values in order, a failure thrown in at the yield (so the body's own catch and cleanup run),
// and nothing made after the failure.
'use strict';
const assert = require('node:assert/strict');
const { driveSync, driveAsync } = require('../dist/twin_steps');

function* body(inputs, log) {
  const made = [];
  try {
    for (const input of inputs) {
      try {
        made.push(yield input);
      } catch (error) {
        throw new Error(`input ${input}: ${error.message}`);
      }
    }
    return made;
  } catch (error) {
    log.push(`cleaned ${made.length}`);
    throw error;
  }
}

const makeSync = (seen) => (x) => {
  seen.push(x);
  if (x === 'bad') throw new Error('cannot make it');
  return x.toUpperCase();
};
const makeAsync = (seen) => async (x) => {
  await new Promise((r) => setImmediate(r));
  return makeSync(seen)(x);
};

describe('twin steps (one body for a sync/async twin)', () => {
  it('both drivers hand each made value back in order and return the body result', async () => {
    assert.deepEqual(driveSync(body(['a', 'b'], []), makeSync([])), ['A', 'B']);
    assert.deepEqual(await driveAsync(body(['a', 'b'], []), makeAsync([])), ['A', 'B']);
    assert.deepEqual(driveSync(body([], []), makeSync([])), []);
  });

  it('a failure is thrown into the body at its yield: its catch names it and cleans up, nothing more is made', async () => {
    for (const drive of [
      (log, seen) => Promise.resolve().then(() => driveSync(body(['a', 'bad', 'c'], log), makeSync(seen))),
      (log, seen) => driveAsync(body(['a', 'bad', 'c'], log), makeAsync(seen)),
    ]) {
      const log = [];
      const seen = [];
      await assert.rejects(drive(log, seen), /^Error: input bad: cannot make it$/);
      assert.deepEqual(log, ['cleaned 1']);
      assert.deepEqual(seen, ['a', 'bad']);
    }
  });
});
