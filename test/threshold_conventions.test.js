// Thresholds that cannot separate the data are refused, and the seed's three metrics reproduce
// on a probability model: `tfcv evaluate --prediction-scale 255 --metric circularity:threshold=127
// --metric segmentation-accuracy:threshold=100,min-pixels=500 --metric avg-pixel-value` on
// segnet equals evaluate() with the same settings and the seed's Python code
// (scripts/fixtures/make_seed_metrics.py -> test/fixtures/reference/metrics/seed_on_probabilities.json).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tfcv = require('../dist');
const { runCli } = require('../dist/cli/run_cli');

const ROOT = path.join(__dirname, '..');
const SEGNET = path.join(__dirname, 'fixtures', 'models', 'segnet');
const REF = path.join(__dirname, 'fixtures', 'reference', 'metrics');
const SEED = JSON.parse(fs.readFileSync(path.join(REF, 'seed_on_probabilities.json'), 'utf8'));
const near = (a, b, label) =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b) || Math.abs(a - b) <= 1e-12, `${label}: ${a} vs ${b}`);

async function cli(args) {
  const chunks = { out: [], err: [] };
  const stream = (list) => ({ write: (s) => (list.push(String(s)), true), isTTY: false, columns: 100 });
  const code = await runCli(args, { stdout: stream(chunks.out), stderr: stream(chunks.err), cwd: ROOT });
  return { code, stdout: chunks.out.join(''), stderr: chunks.err.join('') };
}

const SEED_ARGS = [
  '--prediction-scale',
  '255',
  '--metric',
  'circularity:threshold=127',
  '--metric',
  'segmentation-accuracy:threshold=100,min-pixels=500',
  '--metric',
  'avg-pixel-value',
];
const baseArgs = (extra) => [
  'evaluate',
  '--model',
  SEGNET,
  '--images',
  path.join(REF, 'images'),
  '--masks',
  path.join(REF, 'masks'),
  '--output',
  'foreground',
  '--batch-size',
  '8',
  '--no-progress',
  ...extra,
];

function probabilities() {
  const bytes = fs.readFileSync(path.join(REF, 'probabilities.bin'));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return tfcv.Tensor.from(data, { shape: [24, 64, 64, 1] });
}

describe('thresholds that cannot separate the data are refused', function () {
  this.timeout(120_000);

  it('a 0..255 threshold on float probabilities in [0, 1]: names the convention seen and both ways out', async () => {
    const p = probabilities();
    try {
      for (const metric of [
        new tfcv.Circularity({ threshold: 100 }),
        new tfcv.SegmentationAccuracy({ threshold: 100, minPixels: 500 }),
      ]) {
        const truth = metric.usesTruth ? new Array(24).fill(0) : null;
        assert.throws(
          () => metric.updateSync(truth, p),
          (e) =>
            e instanceof tfcv.ArgumentError &&
            /options\.threshold: 100 cannot separate yPred: its values are float probabilities in \[0, 1\]/.test(
              e.message,
            ) &&
            /0\.3922 on probabilities \(100 \/ 255\)/.test(e.message) &&
            /predictionScale: 255/.test(e.message),
        );
        await assert.rejects(metric.update(truth, p), tfcv.ArgumentError);
        assert.equal(metric.result().images ?? metric.result().total, 0, 'nothing was counted');
      }
      // The pixel metrics reading one-channel probabilities too.
      const truth = tfcv.Tensor.from(new Uint8Array(24 * 64 * 64), { shape: [24, 64, 64] });
      for (const metric of [new tfcv.BinaryAccuracy({ threshold: 100 }), new tfcv.MeanIoU(2, { threshold: 127 })]) {
        assert.throws(() => metric.updateSync(truth, p), /options\.threshold: \d+ cannot separate yPred/);
      }
      assert.doesNotThrow(() => new tfcv.BinaryAccuracy({ threshold: 0.5 }).updateSync(truth, p));
      // And the one-shot measurements of one probability map.
      const one = tfcv.Tensor.from(p.data.slice(0, 64 * 64), { shape: [64, 64] });
      assert.throws(
        () => tfcv.foregroundFractionSync(one, { threshold: 100 }),
        /options\.threshold: 100 cannot separate mask/,
      );
      assert.throws(
        () => tfcv.circularitySync(one, { threshold: 127 }),
        /options\.threshold: 127 cannot separate yPred/,
      );
      one.dispose();
      truth.dispose();
      // The same data on the scale the threshold was written for is measured.
      const scaled = tfcv.Tensor.from(
        Float32Array.from(p.data, (x) => x * 255),
        { shape: p.shape },
      );
      const c = new tfcv.Circularity({ threshold: 127 });
      c.updateSync(null, scaled);
      near(c.result().value, SEED.circularity.mean, 'circularity at 127 on probabilities x 255');
      scaled.dispose();
      // A threshold inside [0, 1] that happens to leave a batch empty is data, not a mismatch.
      assert.doesNotThrow(() => new tfcv.Circularity({ threshold: 0.9999999 }).updateSync(null, p));
    } finally {
      p.dispose();
    }
  });

  it('a probability threshold (a fraction) on uint8 0..255 images, unless they are 0/1 masks', () => {
    const gray = tfcv.Mat.zeros(16, 16, { channels: 1 });
    gray.rectangle({ x: 2, y: 2, width: 8, height: 8 }, 200, { thickness: 'filled' });
    assert.throws(
      () => new tfcv.Circularity({ threshold: 0.5 }).updateSync(null, gray),
      /options\.threshold: 0\.5 is a probability threshold, but yPred holds uint8 values on a 0\.\.255 scale \(seen up to 200\).*128 on 0\.\.255 masks/,
    );
    const ones = tfcv.Mat.zeros(16, 16, { channels: 1 });
    ones.rectangle({ x: 2, y: 2, width: 8, height: 8 }, 1, { thickness: 'filled' });
    const c = new tfcv.Circularity({ threshold: 0.5 });
    assert.doesNotThrow(() => c.updateSync(null, ones));
    assert.ok(c.result().value > 0.7, 'a 0/1 square at 0.5 is measured');
    gray.dispose();
    ones.dispose();
  });

  it('minPixels no image can exceed', () => {
    const m = tfcv.Mat.zeros(20, 20, { channels: 1 });
    assert.throws(
      () => new tfcv.SegmentationAccuracy({ minPixels: 500 }).updateSync([1], m),
      /options\.minPixels: 500 is not below the 20x20 = 400 pixels of yPred\[0\]: .*every prediction would be negative/,
    );
    assert.doesNotThrow(() => new tfcv.SegmentationAccuracy({ minPixels: 399 }).updateSync([1], m));
    m.dispose();
  });

  it('tfcv evaluate --threshold 100 on a probability model fails with the same message (exit 1)', async () => {
    const r = await cli(baseArgs(['--metrics', 'circularity', '--threshold', '100']));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /100 cannot separate yPred: its values are float probabilities in \[0, 1\]/);
  });
});

describe("the seed's three metrics from the command line on segnet's probabilities", function () {
  this.timeout(180_000);
  let dir;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-seed-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("equal the seed's Python code and evaluate() with the same settings", async () => {
    const json = path.join(dir, 'seed.json');
    const r = await cli(baseArgs([...SEED_ARGS, '--json', json]));
    assert.equal(r.code, 0, r.stderr);
    const fromCli = JSON.parse(fs.readFileSync(json, 'utf8'));
    const c = fromCli.results.circularity;
    const s = fromCli.results['segmentation-accuracy'];
    const a = fromCli.results['avg-pixel-value'];
    near(c.value, SEED.circularity.mean, 'circularity');
    assert.equal(c.images, 24);
    fromCli.perImage.forEach((row, i) =>
      near(row.values.circularity, SEED.circularity.per_image[i], `circularity ${i}`),
    );
    assert.equal(s.value, SEED.segmentation_accuracy.value);
    fromCli.perImage.forEach((row, i) =>
      assert.equal(
        row.values['segmentation-accuracy'],
        SEED.segmentation_accuracy.predictions[i] === SEED.segmentation_accuracy.labels[i] ? 1 : 0,
        `segmentation accuracy ${i}`,
      ),
    );
    near(a.value, SEED.avg_pixel_value.mean_of_batch_means, 'average pixel value (the seed: mean of batch means)');
    near(a.value, SEED.avg_pixel_value.pixels, 'average pixel value (over pixels)');

    const model = await tfcv.loadSavedModel(SEGNET);
    try {
      const { samples } = tfcv.folderDataset(path.join(REF, 'images'), { masksDir: path.join(REF, 'masks') });
      const result = await tfcv.evaluate(
        model,
        samples,
        [
          new tfcv.Circularity({ threshold: 127 }),
          new tfcv.SegmentationAccuracy({ threshold: 100, minPixels: 500 }),
          new tfcv.AvgPixelValue(),
        ],
        { output: 'foreground', batchSize: 8, predictionScale: 255 },
      );
      assert.deepEqual(result.metrics, fromCli.results);
    } finally {
      model.dispose();
    }
  });

  it('--metric settings are the metric’s own: unknown or foreign keys and names are usage errors', async () => {
    const cases = [
      [
        ['--metric', 'circularity:min-pixels=5'],
        /unknown setting 'minPixels' for circularity.*its settings: threshold, emptyPolicy/,
      ],
      [['--metric', 'circulrity'], /unknown metric 'circulrity'; did you mean 'circularity'\?/],
      [['--metric', 'avg-pixel-value:threshold=1'], /avg-pixel-value takes no settings/],
      [['--metric', 'circularity', '--metric', 'circularity:threshold=1'], /--metric circularity is given twice/],
      [
        ['--metrics', 'circularity', '--metric', 'circularity:threshold=0.5'],
        /circularity is in --metrics and in --metric/,
      ],
      [['--prediction-scale', '0', '--metric', 'circularity'], /--prediction-scale.*expected a number > 0/],
    ];
    for (const [extra, pattern] of cases) {
      const r = await cli(baseArgs(extra));
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
  });

  it('predictionScale is refused on an output that is not float', async () => {
    const model = await tfcv.loadSavedModel(path.join(__dirname, 'fixtures', 'models', 'typed_module'));
    try {
      await assert.rejects(
        tfcv.evaluate(model, [], [new tfcv.AvgPixelValue()], { output: 'sum', predictionScale: 255 }),
        /options\.predictionScale: scales float outputs \(probabilities\); output 'sum' is int32/,
      );
    } finally {
      model.dispose();
    }
  });
});
