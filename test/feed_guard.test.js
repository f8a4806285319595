// A Mat fed straight to a float model (issue 11, trap 2): a BGR uint8 Mat given to segnet's
// float32 RGB input used to be converted without scaling or channel swap (foreground fraction
// 0.655 instead of 0.058). Now it is a DTypeError pointing at preprocess / specFromSignature,
// and run() accepts the spec that says how: run({ image: mat }, { preprocess: spec }).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped, collect } = require('./helpers');
const {
  Mat,
  Tensor,
  loadSavedModelSync,
  preprocess,
  preprocessSync,
  specFromSignature,
  foregroundFractionSync,
  DTypeError,
  ArgumentError,
  DecodeError,
  stats,
} = tfcv;

const DIR = path.join(__dirname, 'fixtures/reference/metrics');
const ref = JSON.parse(fs.readFileSync(path.join(DIR, 'values.json'), 'utf8'));
const one = JSON.parse(fs.readFileSync(path.join(DIR, 'one_shot.json'), 'utf8'));

describe('Mat feeds: no implicit conversion, an explicit preprocess spec instead', () => {
  let model, spec, probabilities;
  const IMAGE = 3;
  const png = () => fs.readFileSync(path.join(DIR, 'images', ref.files[IMAGE]));
  before(() => {
    model = loadSavedModelSync(path.join(__dirname, 'fixtures/models/segnet'));
    // make_metrics.py fed segnet the PNG's RGB pixels / 255 in float32.
    spec = specFromSignature(model.inputs().image, { scale: 1 / 255 });
    probabilities = Tensor.from(fs.readFileSync(path.join(DIR, 'probabilities.bin')), {
      dtype: 'float32',
      shape: ref.shapes.probabilities,
    });
  });
  after(() => {
    model.dispose();
    probabilities.dispose();
  });

  it('a uint8 Mat for a float32 input is a DTypeError that names the input and the ways out, sync and async', async () => {
    const mat = Mat.decodeSync(png());
    const pattern =
      /input 'image': expected float32 \[-1,64,64,3\], got a uint8 Mat \(64x64, 3 channels\); tfcv does not guess the scale, channel order or normalisation .*preprocess\(images, specFromSignature\(model.inputs\(\).image.*toTensor\(mat.*run\(\{ image: mat \}, \{ preprocess: spec \}\)/;
    throwsTyped(() => model.runSync({ image: mat }), DTypeError, pattern);
    await rejectsTyped(model.run({ image: mat }), DTypeError, pattern);
    const float = mat.convertToSync('float32');
    const out = model.runSync({ image: float }); // same dtype: fed as it is (the caller converted it)
    out.foreground.dispose();
    float.dispose();
    mat.dispose();
  });

  it('run(feeds, { preprocess: spec }) gives the reference output: the same as preprocess() then run()', async () => {
    const mat = Mat.decodeSync(png());
    const explicit = await preprocess([mat], spec);
    const expected = (await model.run({ image: explicit })).foreground;
    const viaMat = (await model.run({ image: mat }, { preprocess: spec })).foreground;
    const viaBytes = (await model.run({ image: png() }, { preprocess: spec })).foreground;
    const viaSync = model.runSync({ image: mat }, { preprocess: spec }).foreground;
    for (const t of [viaMat, viaBytes, viaSync]) assert.deepEqual(t.data, expected.data);
    const reference = probabilities.data.subarray(IMAGE * 4096, (IMAGE + 1) * 4096);
    const worst = expected.data.reduce((m, x, i) => Math.max(m, Math.abs(x - reference[i])), 0);
    assert.ok(worst < 1e-4, `segnet output vs Python TensorFlow: max difference ${worst}`);
    assert.equal(foregroundFractionSync(viaMat), one.foreground_fraction.probabilities_05[IMAGE]);
    assert.equal(mat.disposed, false, 'the Mat feed is not consumed');
    for (const t of [explicit, expected, viaMat, viaBytes, viaSync]) t.dispose();
    mat.dispose();
  });

  it('the tensors preprocess makes for a run are released, on success and on failure', async () => {
    const mat = Mat.decodeSync(png());
    await collect();
    const before = stats().liveTensors;
    for (let i = 0; i < 5; i++) (await model.run({ image: mat }, { preprocess: spec })).foreground.dispose();
    await rejectsTyped(
      model.run({ image: Buffer.from('not an image') }, { preprocess: spec }),
      DecodeError,
      /input 'image' \(options.preprocess\): images\[0\]/,
    );
    throwsTyped(
      () => model.runSync({ image: mat }, { preprocess: { ...spec, width: 32, height: 32 } }),
      tfcv.ShapeError,
      /input 'image': expected float32 \[-1,64,64,3\], got float32 \[1,32,32,3\]/,
    );
    await collect();
    assert.equal(stats().liveTensors, before);
    mat.dispose();
  });

  it('encoded bytes without a spec, a spec without image feeds and a bad spec are typed errors', async () => {
    throwsTyped(
      () => model.runSync({ image: png() }),
      ArgumentError,
      /input 'image': encoded image bytes need a preprocess spec/,
    );
    const t = Tensor.alloc('float32', [1, 64, 64, 3]);
    await rejectsTyped(
      model.run({ image: t }, { preprocess: spec }),
      ArgumentError,
      /options.preprocess: no feed is a Mat or encoded image bytes/,
    );
    throwsTyped(
      () => model.runSync({ image: png() }, { preprocess: 'rgb' }),
      ArgumentError,
      /options.preprocess: expected a preprocess spec/,
    );
    throwsTyped(
      () => model.runSync({ image: png() }, { preprocess: { width: 64 } }),
      ArgumentError,
      /input 'image' \(options.preprocess\): spec.height/,
    );
    t.dispose();
  });

  it('preprocessSync is the synchronous twin of preprocess', async () => {
    const mat = Mat.decodeSync(png());
    const a = await preprocess([mat, png()], spec);
    const b = preprocessSync([mat, png()], spec);
    assert.deepEqual(a.shape, [2, 64, 64, 3]);
    assert.deepEqual(b.data, a.data);
    for (const x of [a, b, mat]) x.dispose();
  });
});
