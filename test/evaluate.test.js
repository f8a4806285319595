// evaluate(): the pipeline over the committed reference set gives the Python reference's
// numbers; the next batch is prepared while the current one runs; samples come as paths,
// bytes or Mats, with masks or labels; bad samples fail with their name or are skipped;
// AbortSignal stops it; nothing leaks on any path. Also folderDataset and shards.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { tfcv, throwsTyped, rejectsTyped, collect } = require('./helpers');
const { Mat, Tensor, Model, evaluate, folderDataset, parseShard, selectShard, syntheticShapes, stats } = tfcv;
const { MeanIoU, Circularity, SegmentationAccuracy, AvgPixelValue, Dice, Precision, Recall } = tfcv;
const { ArgumentError, DecodeError, DisposedError, AbortError } = tfcv;

const REF = path.join(__dirname, 'fixtures/reference/metrics');
const SEGNET = path.join(__dirname, 'fixtures/models/segnet');
const ref = JSON.parse(fs.readFileSync(path.join(REF, 'values.json'), 'utf8'));
const near = (a, b, label) =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b) || Math.abs(a - b) <= 1e-12, `${label}: ${a} vs ${b}`);

describe('evaluate', () => {
  let model;
  const cleanup = [];
  before(async () => {
    model = await Model.loadSavedModel(SEGNET);
  });
  after(() => {
    model.dispose();
    for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
  });
  const scratch = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-eval-'));
    cleanup.push(dir);
    return dir;
  };
  const referenceSet = () => folderDataset(path.join(REF, 'images'), { masksDir: path.join(REF, 'masks') });

  it('the reference folder through segnet gives the Python reference values (Keras MeanIoU, cv2 circularity)', async () => {
    const metrics = [new MeanIoU(2), new Circularity(), new Dice(2), new Precision(), new Recall()];
    const { samples, missingMasks } = referenceSet();
    assert.deepEqual(missingMasks, []);
    const result = await evaluate(model, samples, metrics, { batchSize: 5 });
    assert.equal(result.images, 24);
    assert.equal(result.batches, 5);
    assert.equal(result.output, 'foreground');
    near(result.metrics['mean-iou'].value, ref.binary.keras_mean_iou, 'mean IoU');
    near(result.metrics.circularity.value, ref.circularity.probabilities.mean, 'circularity');
    result.metrics.dice.perClass.forEach((d, c) => near(d, ref.binary.dice_per_class[c], `dice ${c}`));
    near(result.metrics.precision.value, ref.binary.keras_precision, 'precision');
    near(result.metrics.recall.value, ref.binary.keras_recall, 'recall');
    assert.deepEqual(
      result.samples.map((s) => s.id),
      ref.files,
    );
    result.samples.forEach((s, i) =>
      near(s.values.circularity, ref.circularity.probabilities.per_image[i], `circularity ${s.id}`),
    );
    assert.deepEqual(result.states['mean-iou'].state.matrix, ref.binary.confusion_matrix);
    assert.deepEqual(Object.keys(result.timing.stages), ['decode', 'preprocess', 'run', 'metrics']);
    assert.ok(result.timing.imagesPerSecond > 0);
  });

  it('prepares batch k+1 while the model runs batch k', async () => {
    const shapes = syntheticShapes(12, { seed: 2 });
    const events = [];
    let batch = 0;
    await evaluate(
      model,
      shapes.map((s) => ({ id: s.id, image: s.image, mask: s.mask })),
      [new MeanIoU(2)],
      {
        batchSize: 4,
        preprocess: (images) => {
          events.push(`prepare ${++batch}`);
          const t = Tensor.alloc('float32', [images.length, 64, 64, 3]);
          images.forEach((m, i) =>
            t.data.set(
              Float32Array.from(m.data, (x) => x / 255),
              i * 64 * 64 * 3,
            ),
          );
          return { image: t };
        },
        onBatch: (b) => events.push(`metrics ${b.ids[0]}`),
      },
    );
    assert.deepEqual(events, [
      'prepare 1',
      'prepare 2',
      `metrics ${shapes[0].id}`,
      'prepare 3',
      `metrics ${shapes[4].id}`,
      `metrics ${shapes[8].id}`,
    ]);
  });

  it('samples as file paths, encoded bytes or Mats give the same result; masks at another size are resized to the predictions', async () => {
    const samples = referenceSet().samples.slice(0, 6);
    const fromPaths = await evaluate(model, samples, [new MeanIoU(2)]);
    const fromBytes = await evaluate(
      model,
      samples.map((s) => ({ id: s.id, image: fs.readFileSync(s.image), mask: fs.readFileSync(s.mask) })),
      [new MeanIoU(2)],
    );
    const mats = samples.map((s) => ({
      id: s.id,
      image: Mat.decodeSync(fs.readFileSync(s.image)),
      mask: Mat.decodeSync(fs.readFileSync(s.mask), { flags: 'grayscale' }),
    }));
    // Masks twice as large (nearest neighbour both ways loses nothing).
    const big = mats.map((m) => {
      const px = m.mask.data;
      const up = new Uint8Array(128 * 128);
      for (let r = 0; r < 128; r++) for (let c = 0; c < 128; c++) up[r * 128 + c] = px[(r >> 1) * 64 + (c >> 1)];
      return { id: m.id, image: m.image, mask: Mat.fromBuffer(up, { rows: 128, cols: 128 }) };
    });
    const fromMats = await evaluate(
      model,
      (async function* () {
        yield* big;
      })(),
      [new MeanIoU(2)],
    );
    assert.deepEqual(fromBytes.states, fromPaths.states);
    assert.deepEqual(fromMats.states, fromPaths.states);
    for (const m of mats) assert.equal(m.image.disposed, false, "the caller's Mats are not disposed");
  });

  it('per-sample labels feed SegmentationAccuracy; metrics of predictions alone need no truth', async () => {
    const shapes = syntheticShapes(6, { seed: 4 });
    const labels = [1, 0, 1, 1, 0, 1];
    const r = await evaluate(
      model,
      shapes.map((s, i) => ({ image: s.image, label: labels[i] })),
      [new SegmentationAccuracy({ minPixels: 100 }), new AvgPixelValue()],
    );
    assert.equal(r.metrics['segmentation-accuracy'].total, 6);
    assert.deepEqual(
      r.samples.map((s) => s.id),
      ['0', '1', '2', '3', '4', '5'],
    );
    const noTruth = await evaluate(
      model,
      shapes.map((s) => ({ image: s.image })),
      { c: new Circularity() },
    );
    assert.equal(noTruth.metrics.circularity.images, 6);
  });

  it("masks: 'ids' reads pixel values as class ids", async () => {
    const shapes = syntheticShapes(3, { seed: 8 });
    const ids = shapes.map((s) => s.mask.thresholdSync(0, 1));
    const binary = await evaluate(
      model,
      shapes.map((s) => ({ image: s.image, mask: s.mask })),
      [new MeanIoU(2)],
    );
    const asIds = await evaluate(
      model,
      shapes.map((s, i) => ({ image: s.image, mask: ids[i] })),
      [new MeanIoU(2)],
      { masks: 'ids' },
    );
    assert.deepEqual(asIds.states, binary.states);
    await rejectsTyped(
      evaluate(
        model,
        shapes.map((s) => ({ image: s.image, mask: s.mask })),
        [new MeanIoU(2, { masks: 'ids' })],
        { masks: 'ids' },
      ),
      ArgumentError,
      /class id 255/,
    );
    // masks 'auto': 0/255 masks become 0/1 like 'binary', 0/1 masks stay as they are.
    const auto255 = await evaluate(
      model,
      shapes.map((s) => ({ image: s.image, mask: s.mask })),
      [new MeanIoU(2)],
      { masks: 'auto' },
    );
    const auto01 = await evaluate(
      model,
      shapes.map((s, i) => ({ image: s.image, mask: ids[i] })),
      [new MeanIoU(2)],
      { masks: 'auto' },
    );
    assert.deepEqual(auto255.states, binary.states);
    assert.deepEqual(auto01.states, binary.states);
    // The default is 'auto': other masks keep their values for the metrics to check. A 0/1 mask
    // with an ignored 255 border counts only the inside; a stray 2 under numClasses 2 is named.
    const bordered = ids.map((m) => {
      const copy = Mat.fromBuffer(m.data, { rows: m.rows, cols: m.cols });
      copy.data.fill(255, 0, m.cols); // first row ignored
      return copy;
    });
    const withIgnore = await evaluate(
      model,
      shapes.map((s, i) => ({ image: s.image, mask: bordered[i] })),
      [new MeanIoU(2, { ignoreClass: 255 })],
    );
    const total = withIgnore.metrics['mean-iou'];
    assert.ok(total.value > 0.5, `mean IoU ${total.value}`);
    const counted = withIgnore.states['mean-iou'].state.matrix.flat().reduce((a, b) => a + b, 0);
    assert.equal(counted, shapes.length * (64 * 64 - 64), 'the 255 row is left out');
    bordered.forEach((m) => m.data.fill(2, 0, m.cols));
    await rejectsTyped(
      evaluate(
        model,
        shapes.map((s, i) => ({ image: s.image, mask: bordered[i] })),
        [new MeanIoU(2)],
      ),
      ArgumentError,
      /masks 'auto' found the values 0, 1, 2 \(numClasses 2/,
    );
    bordered.forEach((m) => m.dispose());
  });

  it('onBatch truth is 0/1 class ids whose circularity (threshold auto) equals that of the 0/255 masks', async () => {
    const shapes = syntheticShapes(6, { seed: 4 });
    const fromTruth = new Circularity();
    const seen = [];
    await evaluate(
      model,
      shapes.map((s) => ({ image: s.image, mask: s.mask })),
      [new MeanIoU(2)],
      {
        batchSize: 3,
        onBatch: async ({ truth }) => {
          assert.ok(
            truth.data.every((x) => x === 0 || x === 1),
            'truth holds class ids 0/1',
          );
          seen.push(...(await fromTruth.update(null, truth)));
        },
      },
    );
    const fromMasks = new Circularity();
    const expected = await fromMasks.update(
      null,
      shapes.map((s) => s.mask),
    );
    assert.equal(fromTruth.result().empty, fromMasks.result().empty);
    assert.ok(fromTruth.result().empty < shapes.length, 'not every truth mask is empty');
    seen.forEach((c, i) => assert.equal(c, expected[i], `image ${i}`));
  });

  it('any number of concurrent updates of one metric add up to the sequential state', async () => {
    const ids = syntheticShapes(40, { seed: 3 }).map((s) => s.mask.thresholdSync(0, 1));
    const concurrent = new MeanIoU(2);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => concurrent.update(ids.slice(i * 4, i * 4 + 4), ids.slice(i * 4, i * 4 + 4))),
    );
    const sequential = new MeanIoU(2);
    sequential.updateSync(ids, ids);
    assert.deepEqual(concurrent.toJSON(), sequential.toJSON());
  });

  it('reports progress after every batch with the total and an ETA', async () => {
    const shapes = syntheticShapes(10, { seed: 1 });
    const seen = [];
    await evaluate(
      model,
      shapes.map((s) => ({ image: s.image })),
      [new Circularity()],
      { batchSize: 4, onProgress: (p) => seen.push(p) },
    );
    assert.deepEqual(
      seen.map((p) => p.done),
      [4, 8, 10],
    );
    assert.ok(seen.every((p) => p.total === 10 && p.imagesPerSecond > 0 && p.etaMs >= 0));
    assert.equal(seen[2].etaMs, 0);
  });

  it("a corrupt or missing file fails with the sample's name, or is skipped and listed with onError 'skip'", async () => {
    const dir = scratch();
    fs.copyFileSync(path.join(REF, 'images/000.png'), path.join(dir, 'good.png'));
    fs.writeFileSync(path.join(dir, 'corrupt.png'), fs.readFileSync(path.join(REF, 'images/001.png')).subarray(0, 60));
    const samples = [
      { image: path.join(dir, 'good.png') },
      { id: 'broken', image: path.join(dir, 'corrupt.png') },
      { image: path.join(dir, 'gone.png') },
    ];
    await collect();
    const before = stats();
    await rejectsTyped(
      evaluate(model, samples, [new Circularity()]),
      DecodeError,
      /sample 'broken': the image \(.*corrupt.png\) is not a decodable image/,
    );
    await rejectsTyped(
      evaluate(model, [samples[0], samples[2]], [new Circularity()]),
      ArgumentError,
      /cannot read the image file .*gone.png: no such file/,
    );
    const r = await evaluate(model, samples, [new Circularity()], { onError: 'skip', batchSize: 2 });
    assert.equal(r.images, 1);
    assert.deepEqual(
      r.skipped.map((s) => s.id),
      ['broken', path.join(dir, 'gone.png')],
    );
    assert.match(r.skipped[0].error, /not a decodable image/);
    await collect();
    const after = stats();
    assert.equal(after.liveTensors, before.liveTensors, 'no tensor leaked');
    assert.equal(after.liveMats, before.liveMats, 'no Mat leaked');
  });

  it('an AbortSignal stops the evaluation with AbortError and releases what was prepared', async () => {
    const shapes = syntheticShapes(40, { seed: 6 });
    const samples = shapes.map((s) => ({ image: s.image, mask: s.mask }));
    await collect(); // handles left to GC by earlier tests must not change the count meanwhile
    const before = stats();
    const controller = new AbortController();
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2)], {
        batchSize: 4,
        signal: controller.signal,
        onProgress: (p) => p.done === 8 && controller.abort(),
      }),
      AbortError,
      /aborted/,
    );
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2)], { signal: AbortSignal.abort() }),
      AbortError,
      /aborted/,
    );
    await new Promise((r) => setTimeout(r, 50)); // the batch prepared ahead settles and is released
    await collect();
    assert.equal(stats().liveTensors, before.liveTensors);
  });

  it('bad arguments are typed errors', async () => {
    const samples = syntheticShapes(2, { seed: 1 }).map((s) => ({ image: s.image, mask: s.mask }));
    await rejectsTyped(evaluate({}, samples, [new MeanIoU(2)]), ArgumentError, /model: expected a Model/);
    await rejectsTyped(evaluate(model, samples, []), ArgumentError, /metrics: expected a non-empty array/);
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2), new MeanIoU(2)]),
      ArgumentError,
      /two metrics are named 'mean-iou'/,
    );
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2), 'dice']),
      ArgumentError,
      /metrics\[1\]: expected a Metric/,
    );
    await rejectsTyped(evaluate(model, 42, [new MeanIoU(2)]), ArgumentError, /dataset: expected an iterable/);
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2)], { batchSize: 0 }),
      ArgumentError,
      /options.batchSize/,
    );
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2)], { output: 'logits' }),
      ArgumentError,
      /options.output: unknown output 'logits' \(available: classes, foreground\)/,
    );
    await rejectsTyped(
      evaluate(model, samples, [new MeanIoU(2)], { signature: 'nope' }),
      ArgumentError,
      /options.signature: unknown signature/,
    );
    await rejectsTyped(evaluate(model, samples, [new MeanIoU(2)], { masks: 'rgb' }), ArgumentError, /options.masks/);
    await rejectsTyped(
      evaluate(
        model,
        samples.map((s) => ({ image: s.image })),
        [new MeanIoU(2)],
      ),
      ArgumentError,
      /metric 'mean-iou' needs truth masks/,
    );
    await rejectsTyped(
      evaluate(model, [samples[0], { image: samples[1].image }], [new MeanIoU(2)]),
      ArgumentError,
      /sample '1': has no mask while other samples have one/,
    );
    await rejectsTyped(
      evaluate(model, [{ image: 12 }], [new Circularity()]),
      ArgumentError,
      /sample '0': image: expected a Mat, encoded bytes or a file path/,
    );
    await rejectsTyped(evaluate(model, [null], [new Circularity()]), ArgumentError, /dataset\[0\]: expected a sample/);
    await rejectsTyped(
      evaluate(model, [{ image: samples[0].image, label: 3 }], [new Circularity()]),
      ArgumentError,
      /label: expected 0, 1, true or false/,
    );
    await rejectsTyped(
      evaluate(model, [{ id: 'f', image: Mat.zeros(8, 8, { dtype: 'float32' }) }], [new Circularity()]),
      ArgumentError,
      /sample 'f': image: the default preprocessing reads uint8 images with 1, 3 or 4 channels, got float32 with 1/,
    );
    await rejectsTyped(
      evaluate(model, [{ image: samples[0].image, mask: Mat.zeros(8, 8, { channels: 3 }) }], [new MeanIoU(2)]),
      ArgumentError,
      /sample '0': mask: expected a one-channel uint8 Mat, got 3 channel\(s\) uint8/,
    );
    const gone = Mat.zeros(4, 4);
    gone.dispose();
    await rejectsTyped(
      evaluate(model, [{ image: gone }], [new Circularity()]),
      ArgumentError,
      /the image Mat was disposed/,
    );
    const other = await Model.loadSavedModel(SEGNET);
    other.dispose();
    await rejectsTyped(evaluate(other, samples, [new MeanIoU(2)]), DisposedError, /model: the Model was disposed/);
  });

  // The two helpers the command builds on.
  describe('folderDataset and shards', () => {
    it('pairs images with masks by file stem, sorted by name, and lists images without a mask', () => {
      const dir = scratch();
      fs.mkdirSync(path.join(dir, 'img'));
      fs.mkdirSync(path.join(dir, 'msk'));
      for (const f of ['b.jpg', 'a.png', 'c.png', 'notes.txt', '.hidden.png'])
        fs.writeFileSync(path.join(dir, 'img', f), 'x');
      for (const f of ['a.png', 'b.png']) fs.writeFileSync(path.join(dir, 'msk', f), 'x');
      const d = folderDataset(path.join(dir, 'img'), { masksDir: path.join(dir, 'msk') });
      assert.deepEqual(
        d.samples.map((s) => [s.id, path.basename(s.mask)]),
        [
          ['a.png', 'a.png'],
          ['b.jpg', 'b.png'],
        ],
      );
      assert.deepEqual(d.missingMasks, ['c.png']);
      assert.equal(d.totalImages, 3);
      fs.writeFileSync(path.join(dir, 'msk', 'a.bmp'), 'x');
      throwsTyped(
        () => folderDataset(path.join(dir, 'img'), { masksDir: path.join(dir, 'msk') }),
        ArgumentError,
        /a.bmp and a.png both match images named a\.\*/,
      );
    });

    it('a missing directory or one without images is an error naming it', () => {
      const dir = scratch();
      throwsTyped(
        () => folderDataset(path.join(dir, 'nope')),
        ArgumentError,
        /images directory .*nope: does not exist/,
      );
      throwsTyped(() => folderDataset(dir), ArgumentError, /images directory .*: no image files/);
      throwsTyped(() => folderDataset(path.join(REF, 'values.json')), ArgumentError, /is not a directory/);
    });

    it('shards I/N are disjoint, deterministic and cover everything', () => {
      const items = Array.from({ length: 11 }, (_, i) => i);
      const shards = [1, 2, 3].map((i) => selectShard(items, parseShard(`${i}/3`)));
      assert.deepEqual(shards, [
        [0, 3, 6, 9],
        [1, 4, 7, 10],
        [2, 5, 8],
      ]);
      for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', 3, '1/2/3'])
        throwsTyped(() => parseShard(bad), ArgumentError, /expected I\/N/);
    });
  });
});
