// Every public options object is checked against its declared keys. The public entry points
// are enumerated from the generated typings (dist/index.d.ts, with the TypeScript compiler):
// every exported function, constructor, static method and instance method (Mat's operations
// included; members inherited from Node's own types left out), and every parameter that is
// an options object (named options / spec / overrides / settings / opts / config, or typed
// as an object whose properties are all optional). Each such
// entry point must be called below with an unknown key and answer with an ArgumentError
// naming the key and the nearest valid one: a new options-taking entry point without a
// call here fails the first test, one without a key check fails the second.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');
const tfcv = require('../dist');

const ROOT = path.join(__dirname, '..');
const SEGNET = path.join(__dirname, 'fixtures', 'models', 'segnet');
const FROZEN = path.join(__dirname, 'fixtures', 'models', 'frozen', 'graph.pb');
const OPTION_NAMES = /^(options|opts|settings|overrides|spec|config)$/;
const BOGUS = 'zzUnknownKey';
const NO_VIDEO = path.join(os.tmpdir(), 'tfcv-option-keys-no-such-video.mp4');
const repository = () =>
  new tfcv.ModelRepository({ models: [{ name: 'm', basePath: path.join(os.tmpdir(), 'tfcv-none') }] });

/** 'name(params)' of every public callable whose parameters include an options object. */
function optionsTakingEntryPoints() {
  const entry = path.join(ROOT, 'dist', 'index.d.ts');
  const program = ts.createProgram([entry], { noEmit: true, strict: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const found = new Set();
  const isOptionsType = (type) => {
    const t = checker.getNonNullableType(type);
    const parts = t.isUnion() ? t.types : [t];
    return parts.some((p) => {
      if (!(p.flags & ts.TypeFlags.Object) || checker.isArrayLikeType(p) || p.getCallSignatures().length) return false;
      const sym = p.getSymbol();
      if (sym && sym.flags & ts.SymbolFlags.Class) return false;
      const props = p.getProperties();
      return props.length > 0 && props.every((prop) => prop.flags & ts.SymbolFlags.Optional);
    });
  };
  const DIST = path.join(ROOT, 'dist');
  const ours = (symbol) =>
    (symbol.getDeclarations() ?? []).some((d) => path.resolve(d.getSourceFile().fileName).startsWith(DIST));
  const visit = (name, signatures, where) => {
    for (const s of signatures) {
      for (const p of s.getParameters()) {
        const type = checker.getTypeOfSymbolAtLocation(p, where);
        if (OPTION_NAMES.test(p.getName()) || isOptionsType(type)) found.add(`${name}(${p.getName()})`);
      }
    }
  };
  const mod = checker.getSymbolAtLocation(program.getSourceFile(entry));
  for (let sym of checker.getExportsOfModule(mod)) {
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const name = sym.getName();
    const decl = sym.valueDeclaration;
    if (decl === undefined) continue; // types only
    if (sym.flags & ts.SymbolFlags.Class) {
      const statics = checker.getTypeOfSymbolAtLocation(sym, decl);
      visit(`new ${name}`, statics.getConstructSignatures(), decl);
      for (const p of statics.getProperties().filter(ours)) {
        visit(`${name}.${p.getName()}`, checker.getTypeOfSymbolAtLocation(p, decl).getCallSignatures(), decl);
      }
      for (const p of checker.getDeclaredTypeOfSymbol(sym).getProperties().filter(ours)) {
        visit(`${name}#${p.getName()}`, checker.getTypeOfSymbolAtLocation(p, decl).getCallSignatures(), decl);
      }
    } else if (sym.flags & ts.SymbolFlags.Function) {
      visit(name, checker.getTypeOfSymbolAtLocation(sym, decl).getCallSignatures(), decl);
    }
  }
  return found;
}

describe('options: every public options object is checked against its declared keys', function () {
  this.timeout(60_000);
  let model;
  let tmp;
  const png = () => fs.readFileSync(path.join(__dirname, 'fixtures', 'images', 'photo_317x233.png'));
  const mat = () => tfcv.Mat.zeros(8, 8, { channels: 1 });
  const mat3 = () => tfcv.Mat.zeros(8, 8, { channels: 3 });
  const tensor = () => tfcv.Tensor.from(new Float32Array(64), { shape: [1, 8, 8, 1] });

  before(async () => {
    model = await tfcv.loadSavedModel(SEGNET);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-option-keys-'));
  });
  after(() => {
    model.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // Entry point (as the typings name it, with its options parameter) -> a call with an unknown key `k`.
  const calls = {
    'Tensor.from(options)': (k) => tfcv.Tensor.from(new Float32Array(2), { [k]: 1 }),
    'Mat.fromBuffer(options)': (k) => tfcv.Mat.fromBuffer(new Uint8Array(4), { rows: 2, cols: 2, [k]: 1 }),
    'Mat.zeros(options)': (k) => tfcv.Mat.zeros(2, 2, { [k]: 1 }),
    'Mat.decode(options)': (k) => tfcv.Mat.decode(png(), { [k]: 1 }),
    'Mat.decodeSync(options)': (k) => tfcv.Mat.decodeSync(png(), { [k]: 1 }),
    'Mat.read(options)': (k) =>
      tfcv.Mat.read(path.join(__dirname, 'fixtures', 'images', 'photo_317x233.png'), { [k]: 1 }),
    'Mat.readSync(options)': (k) =>
      tfcv.Mat.readSync(path.join(__dirname, 'fixtures', 'images', 'photo_317x233.png'), { [k]: 1 }),
    'Mat#setTo(options)': (k) => mat().setTo(0, { [k]: 1 }),
    'Mat#threshold(options)': (k) => mat().threshold(1, 255, { [k]: 1 }),
    'Mat#thresholdSync(options)': (k) => mat().thresholdSync(1, 255, { [k]: 1 }),
    'Mat#encode(options)': (k) => mat().encode('png', { [k]: 1 }),
    'Mat#encodeSync(options)': (k) => mat().encodeSync('png', { [k]: 1 }),
    'Mat#write(options)': (k) => mat().write(path.join(tmp, 'a.png'), { [k]: 1 }),
    'Mat#writeSync(options)': (k) => mat().writeSync(path.join(tmp, 'a.png'), { [k]: 1 }),
    'Mat#resize(options)': (k) => mat().resize({ width: 4, height: 4 }, { [k]: 1 }),
    'Mat#resizeSync(options)': (k) => mat().resizeSync({ width: 4, height: 4 }, { [k]: 1 }),
    'Mat#crop(options)': (k) => mat().crop({ x: 0, y: 0, width: 2, height: 2 }, { [k]: 1 }),
    'Mat#cropSync(options)': (k) => mat().cropSync({ x: 0, y: 0, width: 2, height: 2 }, { [k]: 1 }),
    'Mat#pad(options)': (k) => mat().pad(1, { [k]: 1 }),
    'Mat#padSync(options)': (k) => mat().padSync(1, { [k]: 1 }),
    'Mat#letterbox(options)': (k) => mat().letterbox({ width: 4, height: 4 }, { [k]: 1 }),
    'Mat#letterboxSync(options)': (k) => mat().letterboxSync({ width: 4, height: 4 }, { [k]: 1 }),
    'Mat#convertTo(options)': (k) => mat().convertTo('float32', { [k]: 1 }),
    'Mat#convertToSync(options)': (k) => mat().convertToSync('float32', { [k]: 1 }),
    'Mat#normalize(options)': (k) => mat().normalize({ [k]: 1 }),
    'Mat#normalizeSync(options)': (k) => mat().normalizeSync({ [k]: 1 }),
    'Mat#findContours(options)': (k) => mat().findContours({ [k]: 1 }),
    'Mat#findContoursSync(options)': (k) => mat().findContoursSync({ [k]: 1 }),
    'Mat#mean(options)': (k) => mat().mean({ [k]: 1 }),
    'Mat#meanSync(options)': (k) => mat().meanSync({ [k]: 1 }),
    'Mat#moments(options)': (k) => mat().moments({ [k]: 1 }),
    'Mat#momentsSync(options)': (k) => mat().momentsSync({ [k]: 1 }),
    'Mat#rectangle(options)': (k) => mat().rectangle({ x: 0, y: 0, width: 2, height: 2 }, 255, { [k]: 1 }),
    'Mat#circle(options)': (k) => mat().circle({ x: 2, y: 2 }, 1, 255, { [k]: 1 }),
    'Mat#line(options)': (k) => mat().line({ x: 0, y: 0 }, { x: 2, y: 2 }, 255, { [k]: 1 }),
    'Mat#drawContours(options)': (k) => mat().drawContours([new Int32Array([0, 0, 2, 2])], 255, { [k]: 1 }),
    'Mat#putText(options)': (k) => mat().putText('a', { x: 0, y: 6 }, 255, { [k]: 1 }),
    'Mat#addWeighted(options)': (k) => mat().addWeighted(0.5, mat(), 0.5, { [k]: 1 }),
    'Mat#addWeightedSync(options)': (k) => mat().addWeightedSync(0.5, mat(), 0.5, { [k]: 1 }),
    'Mat#drawDetections(options)': (k) => mat3().drawDetections([[0, 0, 2, 2]], { [k]: 1 }),
    'toTensor(options)': (k) => tfcv.toTensor(mat(), { [k]: 1 }),
    'toTensorSync(options)': (k) => tfcv.toTensorSync(mat(), { [k]: 1 }),
    'toMat(options)': (k) => tfcv.toMat(tensor(), { [k]: 1 }),
    'toMatSync(options)': (k) => tfcv.toMatSync(tensor(), { [k]: 1 }),
    'setLimits(options)': (k) => tfcv.setLimits({ [k]: 1 }),
    'Model.loadSavedModel(options)': (k) => tfcv.Model.loadSavedModel(SEGNET, { [k]: 1 }),
    'Model.loadSavedModelSync(options)': (k) => tfcv.Model.loadSavedModelSync(SEGNET, { [k]: 1 }),
    'Model.loadFrozenGraph(options)': (k) => tfcv.Model.loadFrozenGraph(FROZEN, { [k]: 1 }),
    'Model.loadFrozenGraphSync(options)': (k) => tfcv.Model.loadFrozenGraphSync(FROZEN, { [k]: 1 }),
    'Model#run(options)': (k) =>
      model.run({ image: tfcv.Tensor.from(new Float32Array(64 * 64 * 3), { shape: [1, 64, 64, 3] }) }, { [k]: 1 }),
    'Model#runSync(options)': (k) =>
      model.runSync({ image: tfcv.Tensor.from(new Float32Array(64 * 64 * 3), { shape: [1, 64, 64, 3] }) }, { [k]: 1 }),
    'Model#batcher(options)': (k) => model.batcher({ [k]: 1 }),
    'Batcher#run(options)': async (k) => {
      const batcher = model.batcher();
      try {
        await batcher.run({ image: { data: new Float32Array(64 * 64 * 3), shape: [1, 64, 64, 3] } }, { [k]: 1 });
      } finally {
        await batcher.close();
      }
    },
    'preprocess(spec)': (k) => tfcv.preprocess([png()], { width: 8, height: 8, [k]: 1 }),
    'preprocessSync(spec)': (k) => tfcv.preprocessSync([png()], { width: 8, height: 8, [k]: 1 }),
    'specFromSignature(overrides)': (k) =>
      tfcv.specFromSignature({ dtype: 'float32', shape: [-1, 8, 8, 3] }, { [k]: 1 }),
    'evaluate(options)': (k) => tfcv.evaluate(model, [], [new tfcv.Circularity()], { [k]: 1 }),
    'folderDataset(opts)': (k) => tfcv.folderDataset(path.join(__dirname, 'fixtures', 'images'), { [k]: 1 }),
    'cocoDataset(options)': (k) => {
      const file = path.join(tmp, 'coco.json');
      fs.writeFileSync(file, JSON.stringify({ images: [], annotations: [], categories: [] }));
      return tfcv.cocoDataset(file, tmp, { [k]: 1 });
    },
    'syntheticShapes(options)': (k) => tfcv.syntheticShapes(1, { [k]: 1 }),
    'contourArea(options)': (k) => tfcv.contourArea(new Int32Array([0, 0, 2, 0, 2, 2]), { [k]: 1 }),
    'arcLength(options)': (k) => tfcv.arcLength(new Int32Array([0, 0, 2, 0, 2, 2]), { [k]: 1 }),
    'nms(options)': (k) => tfcv.nms([[0, 0, 2, 2]], [1], { [k]: 1 }),
    'nmsSync(options)': (k) => tfcv.nmsSync([[0, 0, 2, 2]], [1], { [k]: 1 }),
    'boxesFromTensor(options)': (k) => tfcv.boxesFromTensor(new Float32Array(4), { format: 'xywh', [k]: 1 }),
    'topK(options)': (k) => tfcv.topK([0.1, 0.9], { [k]: 1 }),
    'softmax(options)': (k) => tfcv.softmax([0.1, 0.9], { [k]: 1 }),
    'new Circularity(options)': (k) => new tfcv.Circularity({ [k]: 1 }),
    'new SegmentationAccuracy(options)': (k) => new tfcv.SegmentationAccuracy({ [k]: 1 }),
    'new AvgPixelValue(options)': (k) => new tfcv.AvgPixelValue({ [k]: 1 }),
    'new MeanIoU(options)': (k) => new tfcv.MeanIoU(2, { [k]: 1 }),
    'new IoU(options)': (k) => new tfcv.IoU(2, { [k]: 1 }),
    'new Dice(options)': (k) => new tfcv.Dice(2, { [k]: 1 }),
    'new PixelAccuracy(options)': (k) => new tfcv.PixelAccuracy({ [k]: 1 }),
    'new BinaryAccuracy(options)': (k) => new tfcv.BinaryAccuracy({ [k]: 1 }),
    'new Precision(options)': (k) => new tfcv.Precision({ [k]: 1 }),
    'new Recall(options)': (k) => new tfcv.Recall({ [k]: 1 }),
    'new ConfusionMatrix(options)': (k) => new tfcv.ConfusionMatrix(2, { [k]: 1 }),
    'new MeanAveragePrecision(options)': (k) => new tfcv.MeanAveragePrecision({ [k]: 1 }),
    'metricByName(options)': (k) => tfcv.metricByName('circularity', { [k]: 1 }),
    'circularity(options)': (k) => tfcv.circularity(mat(), { [k]: 1 }),
    'circularitySync(options)': (k) => tfcv.circularitySync(mat(), { [k]: 1 }),
    'foregroundFraction(options)': (k) => tfcv.foregroundFraction(mat(), { [k]: 1 }),
    'foregroundFractionSync(options)': (k) => tfcv.foregroundFractionSync(mat(), { [k]: 1 }),
    'meanIoU(options)': (k) => tfcv.meanIoU(mat(), mat(), { [k]: 1 }),
    'meanIoUSync(options)': (k) => tfcv.meanIoUSync(mat(), mat(), { [k]: 1 }),
    'dice(options)': (k) => tfcv.dice(mat(), mat(), { [k]: 1 }),
    'diceSync(options)': (k) => tfcv.diceSync(mat(), mat(), { [k]: 1 }),
    'new CalibrationError(options)': (k) => new tfcv.CalibrationError({ [k]: 1 }),
    'new DetectionConfusionMatrix(options)': (k) => new tfcv.DetectionConfusionMatrix([1], { [k]: 1 }),
    // Serving (a repository is not started by its constructor: nothing is loaded here).
    'new ModelRepository(options)': (k) => new tfcv.ModelRepository({ models: [], [k]: 1 }),
    'ModelRepository#acquire(selector)': (k) => repository().acquire('m', { [k]: 1 }),
    'createServingHandler(options)': (k) => tfcv.createServingHandler(repository(), { [k]: 1 }),
    'new ModelVersion(options)': (k) => new tfcv.ModelVersion('m', 1, os.tmpdir(), { [k]: 1 }),
    'ModelVersion#run(options)': (k) => new tfcv.ModelVersion('m', 1, os.tmpdir(), {}).run({}, { [k]: 1 }),
    // Streams (a source starts its decoder on first read: none starts here).
    'openVideo(options)': (k) => tfcv.openVideo(NO_VIDEO, { [k]: 1 }),
    'new VideoSource(options)': (k) => new tfcv.VideoSource(NO_VIDEO, { [k]: 1 }),
    'streamPipeline(options)': (k) => tfcv.streamPipeline(tfcv.openVideo(NO_VIDEO), { process: () => 1, [k]: 1 }),
    'new StreamPipeline(options)': (k) =>
      new tfcv.StreamPipeline(tfcv.openVideo(NO_VIDEO), { process: () => 1, [k]: 1 }),
    'detector(options)': (k) => tfcv.detector(model, { [k]: 1 }),
    'inspector(options)': (k) => tfcv.inspector(model, { [k]: 1 }),
    'judgePart(rule)': (k) => tfcv.judgePart({ area: 1, circularity: 1, mean: 1 }, { [k]: 1 }),
    'annotate(options)': (k) => tfcv.annotate(mat(), { detections: [], counts: {} }, { [k]: 1 }),
    'new EventSink(options)': (k) => new tfcv.EventSink({ [k]: 1 }),
    'new MjpegSink(options)': (k) => new tfcv.MjpegSink({ [k]: 1 }),
    'new VideoWriter(options)': (k) => new tfcv.VideoWriter(NO_VIDEO, { width: 8, height: 8, [k]: 1 }),
    'writeSampleVideo(options)': (k) => tfcv.writeSampleVideo(NO_VIDEO, { [k]: 1 }),
  };

  it('the typings and this table name the same options-taking entry points', () => {
    const typed = optionsTakingEntryPoints();
    assert.ok(typed.size >= 80, `expected the public API's options parameters, found ${typed.size}`);
    const missing = [...typed].filter((name) => !(name in calls)).sort();
    const stale = Object.keys(calls)
      .filter((name) => !typed.has(name))
      .sort();
    assert.deepEqual(missing, [], `entry points taking options without a call in this test: ${missing.join(', ')}`);
    assert.deepEqual(stale, [], `calls in this test for no public entry point: ${stale.join(', ')}`);
  });

  for (const [name, call] of Object.entries(calls)) {
    it(`${name}: an unknown key is an ArgumentError naming it and the nearest valid key`, async () => {
      await tfcv.scope(async () => {
        let error;
        try {
          await call(BOGUS);
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof tfcv.ArgumentError, `${name} accepted { ${BOGUS} }: ${error}`);
        assert.equal(error.code, 'ERR_TFCV_ARGUMENT');
        assert.match(error.message, new RegExp(`unknown option '${BOGUS}' for [\\w. ()#]+; did you mean '\\w+'\\?`));
      });
    });
  }

  it('the nearest key: typos, abbreviations and case', () => {
    const cases = [
      [
        () => tfcv.preprocessSync([png()], { width: 8, height: 8, dtype: 'float32', scal: 1 / 255 }),
        'scal',
        'preprocess',
        'scale',
      ],
      [() => tfcv.nmsSync([[0, 0, 1, 1]], [1], { iou: 0.5 }), 'iou', 'nms', 'iouThreshold'],
      [() => tfcv.Mat.decodeSync(png(), { reducedScale: 2 }), 'reducedScale', 'Mat.decode', 'reduce'],
      [() => tfcv.toTensorSync(mat(), { dtpye: 'float32' }), 'dtpye', 'toTensor', 'dtype'],
      [() => mat().resizeSync({ width: 4, height: 4 }, { interp: 'area' }), 'interp', 'Mat.resize', 'interpolation'],
      [() => model.runSync({}, { timeout: 1 }), 'timeout', 'model.runSync', 'timeoutMs'],
      [() => model.batcher({ maxBatch: 4 }), 'maxBatch', 'model.batcher', 'maxBatchSize'],
      [() => new tfcv.Circularity({ Threshold: 0.5 }), 'Threshold', 'new Circularity', 'threshold'],
    ];
    for (const [call, key, owner, near] of cases) {
      assert.throws(call, (e) => {
        assert.ok(e instanceof tfcv.ArgumentError, String(e));
        assert.ok(
          e.message.includes(`unknown option '${key}' for ${owner}; did you mean '${near}'?`),
          `${key}: ${e.message}`,
        );
        return true;
      });
    }
  });

  it("batcher.run(feeds, { preprocess }) is refused, naming the batcher's own option", async () => {
    const batcher = model.batcher();
    try {
      await assert.rejects(
        batcher.run({ image: png() }, { preprocess: { scale: 1 / 255 } }),
        (e) =>
          e instanceof tfcv.ArgumentError &&
          /options\.preprocess: not an option of batcher\.run; .*model\.batcher\(\{ preprocess/.test(e.message),
      );
      // Without it, the bytes are refused with the same advice (not run's option).
      await assert.rejects(
        batcher.run({ image: png() }),
        (e) =>
          e instanceof tfcv.ArgumentError &&
          /model\.batcher\(\{ preprocess/.test(e.message) &&
          !/run\(\{ image: bytes \}, \{ preprocess/.test(e.message),
      );
    } finally {
      await batcher.close();
    }
  });

  it('nested options objects are checked too (the batcher preprocess spec, evaluate detection options)', async () => {
    assert.throws(
      () => model.batcher({ preprocess: { scael: 1 / 255 } }),
      /options\.preprocess\.scael: unknown option 'scael' for model\.batcher \(options\.preprocess\); did you mean 'scale'\?/,
    );
    await assert.rejects(
      tfcv.evaluate(model, [], [new tfcv.MeanAveragePrecision()], {
        detection: { outputs: { boxes: 'foreground', scores: 'foreground' }, nms: { iou: 0.5 } },
      }),
      /options\.detection\.nms\.iou: unknown option 'iou'.*did you mean 'iouThreshold'\?/,
    );
  });
});
