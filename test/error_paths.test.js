// Errors show the part that is wrong: whole file paths (no cut after 40 characters), and a
// model path that is not what the loader expects says what it expected there.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tfcv = require('../dist');

const SEGNET = path.join(__dirname, 'fixtures', 'models', 'segnet');
const FROZEN = path.join(__dirname, 'fixtures', 'models', 'frozen', 'graph.pb');

describe('errors carry full paths and say what a model path should be', () => {
  let root;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-paths-'));
    fs.mkdirSync(path.join(root, 'srv', 'models', 'production', 'resnet50_classifier_v3_final', 'empty'), {
      recursive: true,
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const deep = (...parts) => path.join(root, 'srv', 'models', 'production', 'resnet50_classifier_v3_final', ...parts);

  const fails = async (call, ...patterns) => {
    let error;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof tfcv.ArgumentError, String(error));
    for (const p of patterns)
      assert.ok(typeof p === 'string' ? error.message.includes(p) : p.test(error.message), `${p}: ${error.message}`);
  };

  it('a missing SavedModel directory: the whole path and what was expected', async () => {
    const dir = deep('v2');
    await fails(
      () => tfcv.loadSavedModel(dir),
      `'${dir}'`,
      'no such file or directory',
      /expects a SavedModel directory \(a folder holding saved_model\.pb and variables\/\)/,
    );
    await fails(() => tfcv.loadSavedModelSync(deep('empty')), `'${deep('empty')}' holds no saved_model.pb`);
  });

  it('a .pb file given to loadSavedModel points to loadFrozenGraph, and a SavedModel folder given to loadFrozenGraph to loadSavedModel', async () => {
    await fails(() => tfcv.loadSavedModelSync(FROZEN), `'${FROZEN}' is a regular file`, 'use loadFrozenGraph(file)');
    await fails(
      () => tfcv.loadFrozenGraph(SEGNET),
      `'${SEGNET}' is a directory`,
      'that is a SavedModel directory: load it with loadSavedModel(dir)',
    );
    await fails(
      () => tfcv.loadFrozenGraphSync(deep('model.pb')),
      `'${deep('model.pb')}'`,
      'loadFrozenGraph expects a frozen GraphDef file (.pb)',
    );
  });

  it('long strings keep their head and their distinguishing tail', () => {
    const long = 'x'.repeat(400) + '/the_part_that_differs.png';
    assert.throws(
      () => tfcv.Mat.readSync(long, { flags: 'nope' }),
      (e) => e instanceof tfcv.ArgumentError && e.message.includes("got 'nope'"),
    );
    assert.throws(
      () => tfcv.Mat.zeros(2, 2).encodeSync(long),
      (e) =>
        e instanceof tfcv.ArgumentError &&
        e.message.includes('the_part_that_differs.png') &&
        e.message.includes('(426 characters)'),
    );
  });
});
