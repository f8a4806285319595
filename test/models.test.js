// tfcv.models: the bundled models' paths and metadata are what the models really are (their
// signatures and the meta.json written with them), and they load from those paths.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const tfcv = require('../dist');

describe('tfcv.models: the bundled models described', function () {
  this.timeout(60_000);
  for (const name of ['segnet', 'shapedet']) {
    it(`${name}: path, inputs, outputs (dtypes, shapes) and class names match the model`, async () => {
      const info = tfcv.models[name];
      assert.ok(path.isAbsolute(info.path) && fs.existsSync(path.join(info.path, 'saved_model.pb')), info.path);
      const meta = JSON.parse(fs.readFileSync(`${info.path}.meta.json`, 'utf8'));
      const model = await tfcv.loadSavedModel(info.path);
      try {
        assert.equal(model.defaultSignature, info.signature);
        for (const [kind, declared] of [
          ['inputs', info.inputs],
          ['outputs', info.outputs],
        ]) {
          const real = model[kind]();
          assert.deepEqual(Object.keys(declared).sort(), Object.keys(real).sort(), kind);
          for (const [key, spec] of Object.entries(declared)) {
            assert.equal(spec.dtype, real[key].dtype, `${kind}.${key}.dtype`);
            assert.deepEqual(spec.shape, real[key].shape, `${kind}.${key}.shape`);
          }
        }
        if (meta.classes) assert.deepEqual([...info.classNames], meta.classes);
        assert.ok(Object.isFrozen(info) && Object.isFrozen(info.outputs));
      } finally {
        model.dispose();
      }
    });
  }
});
