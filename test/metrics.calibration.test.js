// CalibrationError (expected calibration error) and the per-image IoU histogram of the mask
// plots against the NumPy reference of scripts/fixtures/make_calibration.py, within 1e-9; the
// merge law, JSON round trips and bad input.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { tfcv, throwsTyped } = require('./helpers');
const { histogram } = require('../dist/report/plots');
const { CalibrationError, Metric, Tensor, ArgumentError, ShapeError } = tfcv;

const DOC = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/calibration/ece.json'), 'utf8'));
const TOL = 1e-9;

function close(actual, expected, label) {
  if (expected === null) assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
  else assert.ok(Math.abs(actual - expected) <= TOL, `${label}: expected ${expected}, got ${actual}`);
}

const tensors = (c) => ({
  truth: Tensor.from(Int32Array.from(c.truth), { shape: c.truthShape }),
  probs: Tensor.from(Float32Array.from(c.probs), { shape: c.probShape }),
});

describe('CalibrationError against the NumPy reference', () => {
  for (const c of DOC.cases) {
    it(`${c.name}: ECE, MCE, every bin and every image`, async () => {
      const { truth, probs } = tensors(c);
      const m = new CalibrationError({ bins: c.bins.length, ignoreClass: c.ignoreClass });
      const perImage = await m.update(truth, probs);
      const r = m.result();
      close(r.value, c.value, 'ECE');
      close(r.mce, c.mce, 'MCE');
      assert.equal(r.pixels, c.pixels);
      c.bins.forEach((b, k) => {
        assert.equal(r.bins[k].pixels, b.pixels, `bin ${k} pixels`);
        close(r.bins[k].confidence, b.confidence, `bin ${k} confidence`);
        close(r.bins[k].accuracy, b.accuracy, `bin ${k} accuracy`);
      });
      c.perImage.forEach((e, i) => close(perImage[i], e, `image ${i}`));
      truth.dispose();
      probs.dispose();
    });
  }

  it('merges across shards and through JSON like one metric', () => {
    const c = DOC.cases[2];
    const n = c.truthShape[0],
      per = c.truth.length / n,
      ch = c.probShape[3];
    const part = (from, to) => ({
      truth: Tensor.from(Int32Array.from(c.truth.slice(from * per, to * per)), {
        shape: [to - from, ...c.truthShape.slice(1)],
      }),
      probs: Tensor.from(Float32Array.from(c.probs.slice(from * per * ch, to * per * ch)), {
        shape: [to - from, ...c.probShape.slice(1)],
      }),
    });
    const a = new CalibrationError(),
      b = new CalibrationError();
    const p1 = part(0, 1),
      p2 = part(1, n);
    a.updateSync(p1.truth, p1.probs);
    b.updateSync(p2.truth, p2.probs);
    const merged = Metric.fromJSON(JSON.stringify(a.toJSON())).merge(Metric.fromJSON(b.toJSON()));
    close(merged.result().value, c.value, 'merged ECE');
    assert.equal(merged.result().pixels, c.pixels);
    merged.reset();
    assert.ok(Number.isNaN(merged.result().value));
  });

  it('bad input: logits, shapes, Mats, unknown options, a corrupt state', () => {
    const truth = Tensor.from(new Int32Array(4), { shape: [1, 2, 2] });
    throwsTyped(
      () =>
        new CalibrationError().updateSync(truth, Tensor.from(new Float32Array([0.2, 1.5, 0, 0]), { shape: [1, 2, 2] })),
      ArgumentError,
      /probability in \[0, 1\], got 1\.5 \(apply softmax/,
    );
    throwsTyped(
      () => new CalibrationError().updateSync(truth, Tensor.from(new Float32Array(6), { shape: [1, 3, 2] })),
      ShapeError,
      /same N, H, W/,
    );
    throwsTyped(
      () => new CalibrationError().updateSync(truth, [tfcv.Mat.zeros(2, 2)]),
      ArgumentError,
      /reads a Tensor/,
    );
    throwsTyped(() => new CalibrationError({ bin: 10 }), ArgumentError, /options\.bin: unknown option/);
    throwsTyped(() => new CalibrationError({ bins: 0 }), ArgumentError, /options\.bins/);
    const json = new CalibrationError({ bins: 2 }).toJSON();
    json.state.bins[1] = [1, -2, 0];
    throwsTyped(() => Metric.fromJSON(json), ArgumentError, /json\.state\.bins\[1\]/);
  });
});

describe('per-image IoU histogram (mask plots) against numpy.histogram', () => {
  for (const h of DOC.histograms)
    it(`${h.values.length} values, ${h.bins} bins, edges included`, () => {
      assert.deepEqual(histogram([...h.values, NaN], h.bins), h.counts);
    });
});
