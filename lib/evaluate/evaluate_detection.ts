// evaluate() for detection models: each batch is preprocessed with a PreprocessSpec built from
// the model's input (stretch, letterbox or center-crop), run, and its box / score / class
// outputs are mapped back to source pixels (boxesFromTensor with the same geometry), thinned
// with tfcv.nms per class, and fed with each image's true boxes to the detection metrics
// (MeanAveragePrecision, DetectionConfusionMatrix; the latter also marks each prediction and
// true box TP / FP / FN in the per-image results). evaluate() hands over here when
// options.detection is given.
import { AbortError, ArgumentError, ShapeError } from '../errors';
import { BOX_FORMATS, BoxFormat } from '../detection/boxes';
import { boxesFromTensor } from '../detection/boxes_from_tensor';
import { nmsSync } from '../detection/nms';
import { Mat } from '../mat';
import { DetectionPrediction, DetectionTruth, MeanAveragePrecision } from '../metrics/mean_average_precision';
import { DetectionConfusionMatrix } from '../metrics/detection_confusion_matrix';
import type { ImageOutcomes } from '../detection/confusion_match';
import { Metric, MetricJSON, MetricResult } from '../metrics/metric';
import { Model } from '../model';
import { preprocess } from '../preprocess';
import { ResizeMode, specFromSignature } from '../preprocess_spec';
import { Tensor } from '../tensor';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { loadSample } from './load_sample';
import { StageTimer, StageTimes } from './stage_timer';

/** A detection sample: an image and its true boxes. */
export interface DetectionSample {
  id?: string;
  /** A decoded image (BGR Mat, uint8), encoded bytes, or a file path. */
  image: Mat | Uint8Array | ArrayBuffer | string;
  /** The true boxes ([x, y, w, h] source pixels), classes, crowd flags and areas. */
  detections: DetectionTruth;
}

/** Which model outputs hold the detections, and how. */
export interface DetectionOutputs {
  /** Output with boxes [N, K, 4]. */
  boxes: string;
  /** Output with scores [N, K]. */
  scores: string;
  /** Output with class ids [N, K] (any numeric dtype; floats are rounded). Without it every box is class 0. */
  classes?: string;
  /** Layout of the boxes. Default 'yxyx' (TensorFlow's object detection API). */
  format?: BoxFormat;
  /** Boxes in [0, 1] of the model input (true, default) or in its pixels. */
  normalized?: boolean;
  /** Added to the model's class ids to give the dataset's (e.g. 1 when the model counts from 0 and COCO from 1). Default 0. */
  classOffset?: number;
}

/** evaluate()'s non-maximum suppression per class (options.detection.nms). */
export interface DetectionNmsOptions {
  /** Default 0.5. */
  iouThreshold?: number;
  /** Default 0.05. */
  scoreThreshold?: number;
}

export interface DetectionOptions {
  outputs: DetectionOutputs;
  /** How images are fitted to the model input. Default 'stretch'. */
  resize?: ResizeMode;
  /** Non-maximum suppression per class before scoring, or false for none. Default { iouThreshold: 0.5, scoreThreshold: 0.05 }. */
  nms?: DetectionNmsOptions | false;
  /** Called per batch with the images, truth and final predictions (source pixels), e.g. to draw them. */
  onBatch?: (batch: DetectionBatch) => void | Promise<void>;
}

export interface DetectionBatch {
  ids: string[];
  images: Mat[];
  truth: DetectionTruth[];
  predictions: Array<{ boxes: Float32Array; classes: Int32Array; scores: Float32Array }>;
  /** Per metric name, one value per image (MeanAveragePrecision: the image's AP). */
  values: Record<string, number[]>;
}

/** @internal The options evaluate() passes on. */
export interface DetectionRunOptions {
  batchSize: number;
  signature: string | undefined;
  channelOrder: 'rgb' | 'bgr';
  pixelDivisor: number;
  onError: 'throw' | 'skip';
  onProgress?: (p: {
    done: number;
    skipped: number;
    total: number | null;
    elapsedMs: number;
    imagesPerSecond: number;
    etaMs: number | null;
  }) => void;
  signal?: AbortSignal;
  total: number | null;
}

/** @internal */
export interface DetectionEvaluateResult {
  metrics: Record<string, MetricResult>;
  states: Record<string, MetricJSON>;
  images: number;
  batches: number;
  skipped: Array<{ id: string; error: string }>;
  /** outcomes: per DetectionConfusionMatrix (by name), the image's TP / FP / FN marks. */
  samples: Array<{ id: string; values: Record<string, number | null>; outcomes?: Record<string, ImageOutcomes> }>;
  output: string;
  timing: { totalMs: number; imagesPerSecond: number; stages: StageTimes };
}

const DETECTION_KEYS = optionKeys<DetectionOptions>('evaluate (options.detection)', {
  outputs: true,
  resize: true,
  nms: true,
  onBatch: true,
});
const OUTPUTS_KEYS = optionKeys<DetectionOutputs>('evaluate (options.detection.outputs)', {
  boxes: true,
  scores: true,
  classes: true,
  format: true,
  normalized: true,
  classOffset: true,
});
const NMS_KEYS = optionKeys<DetectionNmsOptions>('evaluate (options.detection.nms)', {
  iouThreshold: true,
  scoreThreshold: true,
});

/** @internal */
export function readOutputs(
  value: unknown,
  available: string[],
): Required<Omit<DetectionOutputs, 'classes'>> & { classes: string | null } {
  if (value === null || typeof value !== 'object')
    throw new ArgumentError(
      `options.detection.outputs: expected { boxes, scores, classes?, format?, normalized? }, got ${v.describe(value)}`,
    );
  const o = v.optionsObject(value as DetectionOutputs, OUTPUTS_KEYS, 'options.detection.outputs');
  const name = (x: unknown, key: string) => {
    if (typeof x !== 'string' || !available.includes(x))
      throw new ArgumentError(
        `options.detection.outputs.${key}: unknown output ${v.describe(x)} (available: ${available.join(', ')})`,
      );
    return x;
  };
  if (o.normalized !== undefined && typeof o.normalized !== 'boolean')
    throw new ArgumentError(
      `options.detection.outputs.normalized: expected a boolean, got ${v.describe(o.normalized)}`,
    );
  return {
    boxes: name(o.boxes, 'boxes'),
    scores: name(o.scores, 'scores'),
    classes: o.classes === undefined ? null : name(o.classes, 'classes'),
    format: v.oneOf(o.format, BOX_FORMATS, 'options.detection.outputs.format', 'yxyx'),
    normalized: o.normalized ?? true,
    classOffset:
      o.classOffset === undefined
        ? 0
        : v.integer(o.classOffset, 'options.detection.outputs.classOffset', -(2 ** 30), 2 ** 30),
  };
}

function iterate(dataset: unknown): Iterator<DetectionSample> | AsyncIterator<DetectionSample> {
  if (dataset !== null && typeof dataset === 'object') {
    const a = (dataset as AsyncIterable<DetectionSample>)[Symbol.asyncIterator];
    if (typeof a === 'function') return a.call(dataset);
    const s = (dataset as Iterable<DetectionSample>)[Symbol.iterator];
    if (typeof s === 'function') return s.call(dataset);
  }
  throw new ArgumentError(`dataset: expected an iterable of { image, detections } samples, got ${v.describe(dataset)}`);
}

/** @internal */
export async function evaluateDetection(
  model: Model,
  dataset: unknown,
  metrics: Metric[],
  detection: unknown,
  run: DetectionRunOptions,
): Promise<DetectionEvaluateResult> {
  if (detection === null || typeof detection !== 'object')
    throw new ArgumentError(`options.detection: expected { outputs, resize?, nms? }, got ${v.describe(detection)}`);
  const d = v.optionsObject(detection as DetectionOptions, DETECTION_KEYS, 'options.detection');
  const signatureKey = run.signature ?? model.defaultSignature;
  const sig = model.signatures[signatureKey];
  if (sig === undefined)
    throw new ArgumentError(
      `options.signature: unknown signature ${v.describe(signatureKey)} (available: ${Object.keys(model.signatures).join(', ')})`,
    );
  const outputs = readOutputs(d.outputs, Object.keys(sig.outputs).sort());
  const resize = v.oneOf(
    d.resize,
    ['stretch', 'letterbox', 'center-crop'] as const,
    'options.detection.resize',
    'stretch',
  );
  let nms: { iouThreshold: number; scoreThreshold: number } | null = { iouThreshold: 0.5, scoreThreshold: 0.05 };
  if (d.nms === false) nms = null;
  else if (d.nms !== undefined) {
    const n = v.optionsObject(d.nms, NMS_KEYS, 'options.detection.nms');
    nms = {
      iouThreshold:
        n.iouThreshold === undefined ? 0.5 : v.finiteNumber(n.iouThreshold, 'options.detection.nms.iouThreshold'),
      scoreThreshold:
        n.scoreThreshold === undefined
          ? 0.05
          : v.finiteNumber(n.scoreThreshold, 'options.detection.nms.scoreThreshold'),
    };
  }
  if (d.onBatch !== undefined && typeof d.onBatch !== 'function')
    throw new ArgumentError(`options.detection.onBatch: expected a function, got ${v.describe(d.onBatch)}`);
  const boxMetrics = metrics.map((m, i) => {
    if (!(m instanceof MeanAveragePrecision) && !(m instanceof DetectionConfusionMatrix))
      throw new ArgumentError(
        `metrics[${i}]: detection evaluation feeds boxes; '${m.name}' (${m.kind}) measures masks or images`,
      );
    return m;
  });
  const inputKeys = Object.keys(sig.inputs);
  if (inputKeys.length !== 1)
    throw new ArgumentError(
      `options.detection: the signature has ${inputKeys.length} inputs (${inputKeys.join(', ')}); detection evaluation feeds one image input`,
    );
  const inputKey = inputKeys[0]!;
  const input = sig.inputs[inputKey]!;
  const spec = specFromSignature(
    { dtype: input.dtype, shape: input.shape ?? [] },
    {
      resize,
      channelOrder: run.channelOrder === 'rgb' ? 'RGB' : 'BGR',
      ...(input.dtype === 'float32' ? { scale: 1 / run.pixelDivisor } : {}),
    },
  );
  const target = { width: spec.width, height: spec.height };

  const timer = new StageTimer();
  const started = performance.now();
  const iterator = iterate(dataset);
  const result: DetectionEvaluateResult = {
    metrics: {},
    states: {},
    images: 0,
    batches: 0,
    skipped: [],
    samples: [],
    output: outputs.boxes,
    timing: { totalMs: 0, imagesPerSecond: 0, stages: timer.ms },
  };
  let index = 0;
  for (;;) {
    if (run.signal?.aborted) throw new AbortError('evaluate: aborted');
    const batch: Array<{ id: string; image: Mat; owned: Mat[]; truth: DetectionTruth }> = [];
    let exhausted = false;
    await timer.time('decode', async () => {
      while (batch.length < run.batchSize) {
        const r = await iterator.next();
        if (r.done) {
          exhausted = true;
          break;
        }
        const sample = r.value as DetectionSample;
        const at = index++;
        try {
          if (
            sample === null ||
            typeof sample !== 'object' ||
            sample.detections === null ||
            typeof sample.detections !== 'object'
          ) {
            throw new ArgumentError(
              `dataset[${at}]: expected a sample { image, detections: { boxes, classes } }, got ${v.describe(sample)}`,
            );
          }
          const loaded = await loadSample({ id: sample.id, image: sample.image }, at);
          batch.push({ id: loaded.id, image: loaded.image, owned: loaded.owned, truth: sample.detections });
        } catch (error) {
          if (run.onError === 'throw') {
            for (const b of batch) for (const m of b.owned) m.dispose();
            throw error;
          }
          result.skipped.push({
            id:
              typeof sample?.id === 'string'
                ? sample.id
                : typeof sample?.image === 'string'
                  ? sample.image
                  : String(at),
            error: (error as Error).message,
          });
        }
      }
    });
    if (batch.length === 0 && exhausted) break;
    if (batch.length === 0) continue;
    try {
      const feed = await timer.time('preprocess', () =>
        preprocess(
          batch.map((b) => b.image),
          spec,
        ),
      );
      let out: Record<string, Tensor>;
      try {
        out = await timer.time('run', () =>
          model.run(
            { [inputKey]: feed },
            {
              signature: signatureKey,
              outputs: [outputs.boxes, outputs.scores, ...(outputs.classes ? [outputs.classes] : [])],
              signal: run.signal,
            },
          ),
        );
      } finally {
        feed.dispose();
      }
      try {
        const predictions = batch.map((b, i) =>
          decodeImage(out, outputs, i, { resize, source: { width: b.image.cols, height: b.image.rows }, target }, nms),
        );
        const values = await timer.time('metrics', () =>
          Promise.all(
            boxMetrics.map((m) =>
              m.update(
                batch.map((b) => b.truth),
                predictions,
              ),
            ),
          ),
        );
        const byName: Record<string, number[]> = {};
        metrics.forEach((m, j) => (byName[m.name] = values[j]!));
        const outcomes = boxMetrics
          .filter((m): m is DetectionConfusionMatrix => m instanceof DetectionConfusionMatrix)
          .map((m) => ({
            name: m.name,
            images: m.outcomes(
              batch.map((b) => b.truth),
              predictions,
            ),
          }));
        batch.forEach((b, i) => {
          const row: Record<string, number | null> = {};
          for (const m of metrics) row[m.name] = Number.isNaN(byName[m.name]![i]!) ? null : byName[m.name]![i]!;
          const sample: DetectionEvaluateResult['samples'][number] = { id: b.id, values: row };
          if (outcomes.length > 0) sample.outcomes = Object.fromEntries(outcomes.map((o) => [o.name, o.images[i]!]));
          result.samples.push(sample);
        });
        result.images += batch.length;
        result.batches++;
        await d.onBatch?.({
          ids: batch.map((b) => b.id),
          images: batch.map((b) => b.image),
          truth: batch.map((b) => b.truth),
          predictions,
          values: byName,
        });
      } finally {
        for (const t of Object.values(out)) t.dispose();
      }
    } finally {
      for (const b of batch) for (const m of b.owned) m.dispose();
    }
    const elapsedMs = performance.now() - started;
    const rate = result.images / (elapsedMs / 1000);
    run.onProgress?.({
      done: result.images,
      skipped: result.skipped.length,
      total: run.total,
      elapsedMs,
      imagesPerSecond: rate,
      etaMs:
        run.total === null || rate === 0
          ? null
          : (Math.max(0, run.total - result.images - result.skipped.length) / rate) * 1000,
    });
    if (exhausted) break;
  }
  for (const m of metrics) {
    result.metrics[m.name] = m.result();
    result.states[m.name] = m.toJSON();
  }
  result.timing.totalMs = performance.now() - started;
  result.timing.imagesPerSecond = result.images / (result.timing.totalMs / 1000);
  return result;
}

/** @internal One image of a batch: boxes in source pixels, classes, scores, after per-class NMS. */
export function decodeImage(
  out: Record<string, Tensor>,
  o: ReturnType<typeof readOutputs>,
  i: number,
  geometry: {
    resize: ResizeMode;
    source: { width: number; height: number };
    target: { width: number; height: number };
  },
  nms: { iouThreshold: number; scoreThreshold: number } | null,
): DetectionPrediction & { boxes: Float32Array; classes: Int32Array; scores: Float32Array } {
  const boxTensor = out[o.boxes]!;
  const boxes = boxesFromTensor(boxTensor, {
    format: o.format,
    normalized: o.normalized,
    geometry,
    batchIndex: i,
    name: o.boxes,
  });
  const k = boxes.length / 4;
  const rowOf = (t: Tensor, name: string): Float64Array => {
    const s = t.shape;
    const per = s.length === 1 ? s[0]! : s.slice(1).reduce((a, b) => a * b, 1);
    if ((s.length !== 2 && !(s.length === 3 && s[2] === 1)) || per !== k)
      throw new ShapeError(`${name}: expected [N,${k}] (one value per box of '${o.boxes}'), got [${s.join(',')}]`);
    const data = t.data as ArrayLike<number | bigint>;
    const row = new Float64Array(k);
    for (let j = 0; j < k; j++) row[j] = Number(data[i * k + j]);
    return row;
  };
  const scores = rowOf(out[o.scores]!, o.scores);
  const rawClasses = o.classes ? rowOf(out[o.classes]!, o.classes) : new Float64Array(k);
  const classes = new Int32Array(k);
  for (let j = 0; j < k; j++) classes[j] = Math.round(rawClasses[j]!) + o.classOffset;
  let keep: ArrayLike<number>;
  if (nms === null) keep = Array.from({ length: k }, (_, j) => j);
  else keep = nmsSync(boxes, Float32Array.from(scores), { ...nms, classes });
  const n = keep.length;
  const pick = { boxes: new Float32Array(n * 4), classes: new Int32Array(n), scores: new Float32Array(n) };
  for (let j = 0; j < n; j++) {
    const s = keep[j]!;
    pick.boxes.set(boxes.subarray(s * 4, s * 4 + 4), j * 4);
    pick.classes[j] = classes[s]!;
    pick.scores[j] = scores[s]!;
  }
  return pick;
}
