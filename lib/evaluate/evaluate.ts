// evaluate(): a model over a dataset into metrics, as a pipeline. While the model runs
// batch k, batch k+1 is read, decoded and preprocessed (on the libuv pool), so the slowest
// stage sets the pace instead of the sum of all. Every batch's outputs and truth go to
// every metric; results come back with timing per stage and, per sample, each metric's
// value (for per-image reports and for finding the worst images).
import { AbortError, ArgumentError, DisposedError } from '../errors';
import { Feeds } from '../feeds';
import { Mat, matHandle } from '../mat';
import { Model } from '../model';
import { MetricJSON, MetricResult, Metric } from '../metrics/metric';
import { TensorSpec } from '../signature';
import { Tensor, tensorFromNative } from '../tensor';
import * as v from '../validate';
import { InputRecipe, buildInput, defaultRecipe } from './input_plan';
import { LoadedSample, loadSample } from './load_sample';
import { DetectionOptions, evaluateDetection } from './evaluate_detection';
import { evaluateNative } from './native_evaluate';
import { Dataset, Sample } from './sample';
import { StageTimer, StageTimes } from './stage_timer';

export interface PreprocessContext {
  /** The signature's inputs (key -> dtype / shape / tensor name). */
  inputs: Record<string, TensorSpec>;
  /** The ids of the batch's samples, in order. */
  ids: string[];
}

/** Builds the model's feeds from a batch of decoded images. evaluate() disposes the tensors it returns after the run. */
export type Preprocess = (images: Mat[], context: PreprocessContext) => Feeds | Promise<Feeds>;

export interface EvaluateProgress {
  /** Samples evaluated so far. */
  done: number;
  /** Samples skipped so far (onError 'skip'). */
  skipped: number;
  /** The dataset's size when known (arrays, or options.total). */
  total: number | null;
  elapsedMs: number;
  imagesPerSecond: number;
  /** Estimated time left (null when the total is unknown). */
  etaMs: number | null;
}

/** What onBatch sees before the batch's tensors are released. */
export interface EvaluatedBatch {
  ids: string[];
  images: Mat[];
  /** The truth class-id tensor [N,H,W] (uint8, 0/1 for binary masks: not 0/255) when samples have masks. */
  truth: Tensor | null;
  /** The output fed to the metrics. */
  predictions: Tensor;
  /** Per metric name, one value per sample. */
  values: Record<string, number[]>;
}

export interface EvaluateOptions {
  /** Samples per model run. Default 16. */
  batchSize?: number;
  /** Samples read and decoded at once. Default 4 (the libuv pool's size). */
  concurrency?: number;
  /** The signature to run. Default: the model's default. */
  signature?: string;
  /**
   * The output fed to the metrics. Default: the only output, else the first (by name) with
   * one channel (a probability or mask map), else the first by name.
   */
  output?: string;
  /** Custom input building (default: resize to the input's H x W, channelOrder, pixel / pixelDivisor). */
  preprocess?: Preprocess;
  /** Default preprocessing: channel order fed to the model. Default 'rgb'. */
  channelOrder?: 'rgb' | 'bgr';
  /** Default preprocessing of float inputs: pixel / pixelDivisor. Default 255. */
  pixelDivisor?: number;
  /**
   * Truth masks: 'auto' (default: a mask holding only 0 and 255 is binary, any other keeps its
   * values as class ids, which the metrics check against numClasses / ignoreClass, naming
   * values that fit neither), 'binary' (non-zero is class 1, whatever the values) or 'ids'
   * (pixel values are class ids). The truth tensor onBatch sees and the metrics get holds the
   * class ids after this step.
   */
  masks?: 'binary' | 'ids' | 'auto';
  /** A sample that cannot be read or decoded: 'throw' (default) or 'skip' (listed in `skipped`). */
  onError?: 'throw' | 'skip';
  onProgress?: (progress: EvaluateProgress) => void;
  /** Called per batch while its images, truth and predictions are alive (reports, overlays). */
  onBatch?: (batch: EvaluatedBatch) => void | Promise<void>;
  /** Stops the evaluation: the promise rejects with AbortError; in-flight work is released. */
  signal?: AbortSignal;
  /** The dataset's size, for progress ETA when the dataset is not an array. */
  total?: number;
  /**
   * Evaluates a detection model instead: samples are { image, detections: { boxes, classes,
   * iscrowd?, area? } }, the metrics detection metrics (MeanAveragePrecision), and these
   * options say which outputs hold boxes / scores / classes (see README "Detection").
   */
  detection?: DetectionOptions;
}

export interface SkippedSample {
  id: string;
  error: string;
}

export interface SampleValues {
  id: string;
  /** Per metric name; null where the sample has no value (e.g. no contour with emptyPolicy 'skip'). */
  values: Record<string, number | null>;
}

export interface EvaluateResult {
  /** Per metric name, its result. */
  metrics: Record<string, MetricResult>;
  /** Per metric name, its state (Metric.fromJSON / merge across shards or processes). */
  states: Record<string, MetricJSON>;
  /** Samples evaluated. */
  images: number;
  batches: number;
  skipped: SkippedSample[];
  samples: SampleValues[];
  /** The output key fed to the metrics. */
  output: string;
  timing: { totalMs: number; imagesPerSecond: number; stages: StageTimes };
}

interface Prepared {
  ids: string[];
  loaded: LoadedSample[];
  skipped: SkippedSample[];
  feeds: Feeds | null;
  truth: Tensor | null;
  labels: number[] | null;
}

function release(p: Prepared | null): void {
  if (p === null) return;
  for (const s of p.loaded) for (const m of s.owned) m.dispose();
  if (p.feeds) for (const t of Object.values(p.feeds)) if (t instanceof Tensor) t.dispose();
  p.truth?.dispose();
}

function readMetrics(metrics: unknown): Metric[] {
  const list = Array.isArray(metrics) ? v.arrayItems(metrics, 'metrics', 1000, 'an array of Metrics') : metrics !== null && typeof metrics === 'object' && !(metrics instanceof Metric) ? Object.values(metrics) : null;
  if (list === null || list.length === 0) throw new ArgumentError(`metrics: expected a non-empty array of Metrics, got ${v.describe(metrics)}`);
  const names = new Set<string>();
  list.forEach((m, i) => {
    if (!(m instanceof Metric)) throw new ArgumentError(`metrics[${i}]: expected a Metric, got ${v.describe(m)}`);
    if (names.has(m.name)) throw new ArgumentError(`metrics[${i}]: two metrics are named '${m.name}'; give one { name }`);
    names.add(m.name);
  });
  return list as Metric[];
}

function chooseOutput(outputs: Record<string, TensorSpec>, requested: unknown): string {
  const keys = Object.keys(outputs).sort();
  if (requested !== undefined) {
    if (typeof requested !== 'string' || !(requested in outputs)) {
      throw new ArgumentError(`options.output: unknown output ${v.describe(requested)} (available: ${keys.join(', ')})`);
    }
    return requested;
  }
  if (keys.length === 1) return keys[0]!;
  const oneChannel = keys.find((k) => {
    const s = outputs[k]!.shape;
    return s !== null && (s.length === 3 || (s.length === 4 && s[3] === 1));
  });
  return oneChannel ?? keys[0]!;
}

function iterate(dataset: unknown): { iterator: Iterator<Sample> | AsyncIterator<Sample>; size: number | null } {
  if (dataset !== null && typeof dataset === 'object') {
    const asyncIt = (dataset as AsyncIterable<Sample>)[Symbol.asyncIterator];
    if (typeof asyncIt === 'function') return { iterator: asyncIt.call(dataset), size: null };
    const it = (dataset as Iterable<Sample>)[Symbol.iterator];
    if (typeof it === 'function') return { iterator: it.call(dataset), size: Array.isArray(dataset) ? dataset.length : null };
  }
  throw new ArgumentError(`dataset: expected an iterable or async iterable of samples, got ${v.describe(dataset)}`);
}

function metricName(m: Metric): string {
  return `metric '${m.name}'`;
}

/**
 * Runs `model` over `dataset` and feeds its outputs (and the samples' masks or labels) to
 * every metric. Metrics keep accumulating: pass fresh ones (or reset them) per evaluation.
 */
export async function evaluate(model: Model, dataset: Dataset, metrics: readonly Metric[] | Record<string, Metric>, options?: EvaluateOptions): Promise<EvaluateResult> {
  if (!(model instanceof Model)) throw new ArgumentError(`model: expected a Model, got ${v.describe(model)}`);
  if (model.disposed) throw new DisposedError('model: the Model was disposed');
  const list = readMetrics(metrics);
  const o = v.optionsObject(options, 'options');
  const batchSize = o.batchSize === undefined ? 16 : v.integer(o.batchSize, 'options.batchSize', 1, 65536);
  const concurrency = o.concurrency === undefined ? 4 : v.integer(o.concurrency, 'options.concurrency', 1, 1024);
  const maskMode = v.oneOf(o.masks, ['auto', 'binary', 'ids'] as const, 'options.masks', 'auto');
  const onError = v.oneOf(o.onError, ['throw', 'skip'] as const, 'options.onError', 'throw');
  const channelOrder = v.oneOf(o.channelOrder, ['rgb', 'bgr'] as const, 'options.channelOrder', 'rgb');
  const divisor = o.pixelDivisor === undefined ? 255 : v.finiteNumber(o.pixelDivisor, 'options.pixelDivisor');
  if (!(divisor > 0)) throw new ArgumentError(`options.pixelDivisor: expected a number > 0, got ${divisor}`);
  for (const key of ['preprocess', 'onProgress', 'onBatch'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') throw new ArgumentError(`options.${key}: expected a function, got ${v.describe(o[key])}`);
  }
  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ArgumentError(`options.signal: expected an AbortSignal, got ${v.describe(signal)}`);
  if (o.detection !== undefined) {
    const total = o.total !== undefined ? v.integer(o.total, 'options.total', 0) : Array.isArray(dataset) ? dataset.length : null;
    return evaluateDetection(model, dataset, list, o.detection, { batchSize, signature: o.signature, channelOrder, pixelDivisor: divisor, onError, onProgress: o.onProgress, signal, total });
  }
  const signatureKey = o.signature ?? model.defaultSignature;
  const sig = model.signatures[signatureKey];
  if (typeof signatureKey !== 'string' || sig === undefined) {
    throw new ArgumentError(`options.signature: unknown signature ${v.describe(signatureKey)} (available: ${Object.keys(model.signatures).join(', ')})`);
  }
  const output = chooseOutput(sig.outputs, o.output);
  const recipe: InputRecipe | null = o.preprocess ? null : defaultRecipe(sig.inputs, channelOrder, divisor);
  const { iterator, size } = iterate(dataset);
  const total = o.total !== undefined ? v.integer(o.total, 'options.total', 0) : size;

  const timer = new StageTimer();
  const started = performance.now();
  const checkAbort = () => {
    if (signal?.aborted) throw new AbortError('evaluate: aborted');
  };

  let nextIndex = 0;
  let exhausted = false;
  const take = async (): Promise<Array<{ sample: Sample; index: number }>> => {
    const items: Array<{ sample: Sample; index: number }> = [];
    while (items.length < batchSize && !exhausted) {
      const r = await iterator.next();
      if (r.done) exhausted = true;
      else items.push({ sample: r.value, index: nextIndex++ });
    }
    return items;
  };

  // Decodes a batch with at most `concurrency` samples in flight, keeping dataset order. A
  // failure stops new decodes; the one reported is the first in dataset order (every
  // earlier sample had started), so the same bad file is named whatever the timing.
  const load = async (items: Array<{ sample: Sample; index: number }>): Promise<{ loaded: LoadedSample[]; skipped: SkippedSample[] }> => {
    const slots: Array<LoadedSample | SkippedSample | undefined> = new Array(items.length);
    const failures: Array<{ at: number; error: unknown }> = [];
    let cursor = 0;
    const worker = async () => {
      while (cursor < items.length && failures.length === 0) {
        const i = cursor++;
        const { sample, index } = items[i]!;
        try {
          slots[i] = await loadSample(sample, index);
        } catch (error) {
          if (onError === 'skip') {
            const id = sample && typeof sample === 'object' && typeof sample.id === 'string' ? sample.id : typeof sample?.image === 'string' ? sample.image : String(index);
            slots[i] = { id, error: (error as Error).message };
          } else failures.push({ at: i, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    const loaded = slots.filter((s): s is LoadedSample => s !== undefined && 'image' in s);
    if (failures.length > 0) {
      for (const s of loaded) for (const m of s.owned) m.dispose();
      throw failures.reduce((a, b) => (b.at < a.at ? b : a)).error;
    }
    return { loaded, skipped: slots.filter((s): s is SkippedSample => s !== undefined && !('image' in s)) };
  };

  let truthKind: 'masks' | 'labels' | 'none' | null = null;
  const prepare = async (loaded: LoadedSample[], skipped: SkippedSample[]): Promise<Prepared> => {
    const p: Prepared = { ids: loaded.map((s) => s.id), loaded, skipped, feeds: null, truth: null, labels: null };
    if (loaded.length === 0) return p;
    try {
      const withMask = loaded.filter((s) => s.mask !== null).length;
      const withLabel = loaded.filter((s) => s.label !== null).length;
      const kind = withMask > 0 ? 'masks' : withLabel > 0 ? 'labels' : 'none';
      truthKind ??= kind;
      if (kind !== truthKind || (withMask > 0 && withMask < loaded.length) || (kind === 'labels' && withLabel < loaded.length)) {
        const odd = loaded.find((s) => (truthKind === 'masks' ? s.mask === null : truthKind === 'labels' ? s.label === null : s.mask !== null || s.label !== null));
        throw new ArgumentError(`sample '${odd?.id ?? p.ids[0]}': ${truthKind === 'none' ? 'has a mask or label while the first samples had none' : `has no ${truthKind === 'masks' ? 'mask' : 'label'} while other samples have one`}`);
      }
      const needsTruth = list.find((m) => m.usesTruth && (kind === 'none' || (kind === 'labels' && m.kind !== 'SegmentationAccuracy')));
      if (needsTruth) {
        throw new ArgumentError(`${metricName(needsTruth)} needs truth ${needsTruth.kind === 'SegmentationAccuracy' ? 'masks or labels' : 'masks'}: give the samples a mask (tfcv evaluate --masks DIR)`);
      }
      const images = loaded.map((s) => s.image);
      let height: number;
      let width: number;
      if (recipe) {
        loaded.forEach(({ id, image }) => {
          if (image.dtype !== 'uint8' || ![1, 3, 4].includes(image.channels)) {
            throw new ArgumentError(`sample '${id}': image: the default preprocessing reads uint8 images with 1, 3 or 4 channels, got ${image.dtype} with ${image.channels}; pass options.preprocess`);
          }
        });
        const built = await buildInput(recipe, images);
        p.feeds = built.feeds;
        height = built.height;
        width = built.width;
      } else {
        p.feeds = await o.preprocess!(images, { inputs: sig.inputs, ids: p.ids });
        height = images[0]!.rows;
        width = images[0]!.cols;
      }
      if (kind === 'masks') {
        const handles = loaded.map((s, i) => matHandle(s.mask, `masks[${i}]`));
        p.truth = tensorFromNative(await evaluateNative.evalMaskBatchAsync(handles, { height, width, mode: maskMode }));
      }
      if (kind === 'labels') p.labels = loaded.map((s) => s.label!);
      return p;
    } catch (error) {
      release(p);
      throw error;
    }
  };

  const produce = async (): Promise<Prepared | null> => {
    checkAbort();
    const items = await take();
    if (items.length === 0) return null;
    const { loaded, skipped } = await timer.time('decode', () => load(items));
    checkAbort();
    return timer.time('preprocess', () => prepare(loaded, skipped));
  };

  const result: EvaluateResult = {
    metrics: {},
    states: {},
    images: 0,
    batches: 0,
    skipped: [],
    samples: [],
    output,
    timing: { totalMs: 0, imagesPerSecond: 0, stages: timer.ms },
  };

  let next: Promise<Prepared | null> = produce();
  next.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    for (;;) {
      const current = await next;
      if (current === null) break;
      next = produce();
      next.catch(() => undefined);
      try {
        result.skipped.push(...current.skipped);
        if (current.loaded.length > 0) await runBatch(current);
      } finally {
        release(current);
      }
      const elapsedMs = performance.now() - started;
      const rate = result.images / (elapsedMs / 1000);
      o.onProgress?.({
        done: result.images,
        skipped: result.skipped.length,
        total,
        elapsedMs,
        imagesPerSecond: rate,
        etaMs: total === null || rate === 0 ? null : (Math.max(0, total - result.images - result.skipped.length) / rate) * 1000,
      });
    }
  } catch (error) {
    // The batch being prepared ahead is released once it settles.
    next.then(release, () => undefined);
    throw error;
  }

  async function runBatch(current: Prepared): Promise<void> {
    checkAbort();
    const outputs = await timer.time('run', () => model.run(current.feeds!, { signature: signatureKey, outputs: [output], signal }));
    const predictions = outputs[output]!;
    let truth = current.truth;
    try {
      const ps = predictions.shape;
      if (truth !== null && ps.length >= 3 && (ps[1] !== truth.shape[1] || ps[2] !== truth.shape[2])) {
        // The model's output is not at its input's size: masks follow the predictions.
        const handles = current.loaded.map((s, i) => matHandle(s.mask, `masks[${i}]`));
        truth = tensorFromNative(evaluateNative.evalMaskBatch(handles, { height: ps[1]!, width: ps[2]!, mode: maskMode }));
      }
      const truthFor = (m: Metric) => (!m.usesTruth ? null : current.labels ?? truth);
      const values = await timer.time('metrics', () => Promise.all(list.map((m) => m.update(truthFor(m), predictions))));
      const byName: Record<string, number[]> = {};
      list.forEach((m, j) => (byName[m.name] = values[j]!));
      current.ids.forEach((id, i) => {
        const row: Record<string, number | null> = {};
        for (const m of list) {
          const x = byName[m.name]![i]!;
          row[m.name] = Number.isNaN(x) ? null : x;
        }
        result.samples.push({ id, values: row });
      });
      result.images += current.ids.length;
      result.batches++;
      await o.onBatch?.({ ids: current.ids, images: current.loaded.map((s) => s.image), truth, predictions, values: byName });
    } finally {
      predictions.dispose();
      if (truth !== current.truth) truth?.dispose();
    }
  }

  for (const m of list) {
    result.metrics[m.name] = m.result();
    result.states[m.name] = m.toJSON();
  }
  result.timing.totalMs = performance.now() - started;
  result.timing.imagesPerSecond = result.images / (result.timing.totalMs / 1000);
  return result;
}
