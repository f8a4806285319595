// Reads the Python-TensorFlow reference fixtures (test/fixtures/reference/README.md):
// manifests, raw little-endian .bin tensors and string tensors, as tfcv feeds and as
// expected arrays, plus a float comparison with the tolerance the issue sets.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv } = require('./helpers');

const REF = path.join(__dirname, 'fixtures/reference');
const MODELS = path.join(__dirname, 'fixtures/models');

function manifest(name) {
  return JSON.parse(fs.readFileSync(path.join(REF, `${name}.json`), 'utf8'));
}

function toTensor(entry) {
  if (entry.dtype === 'string') {
    const values = entry.encoding === 'base64' ? entry.values.map((s) => Buffer.from(s, 'base64')) : entry.values;
    return tfcv.Tensor.from(values, { shape: entry.shape, dtype: 'string' });
  }
  const bytes = fs.readFileSync(path.join(REF, entry.file));
  return tfcv.Tensor.from(bytes, { shape: entry.shape, dtype: entry.dtype });
}

function feedsOf(testCase) {
  const feeds = {};
  for (const [key, entry] of Object.entries(testCase.inputs)) feeds[key] = toTensor(entry);
  return feeds;
}

/** Float outputs within 1e-5 (absolute, or relative for large magnitudes); everything else exact. */
function assertMatches(actual, entry, label) {
  assert.equal(actual.dtype, entry.dtype, `${label}: dtype`);
  assert.deepEqual(actual.shape, entry.shape, `${label}: shape`);
  if (entry.dtype === 'string') {
    const want =
      entry.encoding === 'base64'
        ? entry.values.map((s) => Buffer.from(s, 'base64'))
        : entry.values.map((s) => Buffer.from(s, 'utf8'));
    assert.deepEqual(actual.bytes(), want, `${label}: strings`);
    return 0;
  }
  const expected = toTensor(entry);
  const a = actual.data;
  const e = expected.data;
  assert.equal(a.length, e.length);
  let worst = 0;
  if (entry.dtype.startsWith('float')) {
    for (let i = 0; i < a.length; i++) {
      const diff = Math.abs(a[i] - e[i]);
      worst = Math.max(worst, diff);
      assert.ok(diff <= 1e-5 || diff <= 1e-5 * Math.abs(e[i]), `${label}[${i}]: ${a[i]} vs ${e[i]}`);
    }
  } else {
    assert.deepEqual(Array.from(a), Array.from(e), `${label}: values`);
  }
  expected.dispose();
  return worst;
}

module.exports = { manifest, feedsOf, toTensor, assertMatches, REF, MODELS };
