// evaluate(): a model over a dataset into metrics, as a pipeline. While the model runs
// batch k, batch k+1 is read, decoded and preprocessed (on the libuv pool), so the slowest
// stage sets the pace instead of the sum of all. Every batch's outputs and truth go to
// every metric; results come back with timing per stage and, per sample, each metric's
// value (for per-image reports and for finding the worst images). The stages, in order:
// plan.ts (arguments and defaults), read_batch.ts (read and decode), prepare_batch.ts
// (feeds and truth), run_batch.ts (model, metrics, onBatch); this file runs them one
// batch apart and reports progress.
import type { ImageOutcomes } from '../detection/confusion_match';
import { Feeds } from '../feeds';
import { Mat } from '../mat';
import { MetricJSON, MetricResult, Metric } from '../metrics/metric';
import { Model } from '../model';
import { TensorSpec } from '../signature';
import { Tensor } from '../tensor';
import { DetectionOptions, DetectionSample, evaluateDetection } from './evaluate_detection';
import { EvaluatePlan, planDetection, planEvaluation } from './plan';
import { BatchPreparer, PreparedBatch, releasePrepared } from './prepare_batch';
import { BatchReader } from './read_batch';
import { checkAbort, runBatch } from './run_batch';
import { Dataset } from './sample';
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
   * The scale the metrics (and onBatch) see the output on: every value is multiplied by it
   * (in float32) first. Default 1. E.g. 255 for probabilities in [0, 1] measured with
   * thresholds written for 0..255 masks (circularity's 127, segmentation accuracy's 100).
   * Only for float outputs.
   */
  predictionScale?: number;
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
  /** Detection: per DetectionConfusionMatrix (by name), the image's TP / FP / FN marks. */
  outcomes?: Record<string, ImageOutcomes>;
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

/**
 * Runs `model` over `dataset` and feeds its outputs (and the samples' masks or labels) to
 * every metric. Metrics keep accumulating: pass fresh ones (or reset them) per evaluation.
 * With `options.detection`, the samples are DetectionSamples (e.g. cocoDataset().samples).
 */
export async function evaluate(
  model: Model,
  dataset: Dataset | Iterable<DetectionSample> | AsyncIterable<DetectionSample>,
  metrics: readonly Metric[] | Record<string, Metric>,
  options?: EvaluateOptions,
): Promise<EvaluateResult> {
  const detection = planDetection(model, dataset, metrics, options);
  if (detection !== null)
    return evaluateDetection(model, dataset, detection.metrics, detection.detection, detection.options);
  const plan = planEvaluation(model, dataset, metrics, options);
  const timer = new StageTimer();
  const started = performance.now();
  const reader = new BatchReader(plan);
  const preparer = new BatchPreparer(plan);

  // Reading and preprocessing, the stages that run one batch ahead of the model.
  const produce = async (): Promise<PreparedBatch | null> => {
    checkAbort(plan.signal);
    const items = await reader.take();
    if (items.length === 0) return null;
    const read = await timer.time('decode', () => reader.load(items));
    checkAbort(plan.signal);
    return timer.time('preprocess', () => preparer.prepare(read.loaded, read.skipped));
  };

  const result: EvaluateResult = {
    metrics: {},
    states: {},
    images: 0,
    batches: 0,
    skipped: [],
    samples: [],
    output: plan.output,
    timing: { totalMs: 0, imagesPerSecond: 0, stages: timer.ms },
  };

  let next = produce();
  next.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    for (;;) {
      const current = await next;
      if (current === null) break;
      next = produce();
      next.catch(() => undefined);
      try {
        result.skipped.push(...current.skipped);
        if (current.loaded.length > 0) await runBatch(plan, timer, current, result);
      } finally {
        releasePrepared(current);
      }
      reportProgress(plan, result, started);
    }
  } catch (error) {
    // The batch being prepared ahead is released once it settles.
    next.then(releasePrepared, () => undefined);
    throw error;
  }

  for (const m of plan.metrics) {
    result.metrics[m.name] = m.result();
    result.states[m.name] = m.toJSON();
  }
  result.timing.totalMs = performance.now() - started;
  result.timing.imagesPerSecond = result.images / (result.timing.totalMs / 1000);
  return result;
}

function reportProgress(plan: EvaluatePlan, result: EvaluateResult, started: number): void {
  if (plan.onProgress === undefined) return;
  const elapsedMs = performance.now() - started;
  const rate = result.images / (elapsedMs / 1000);
  const total = plan.total;
  plan.onProgress({
    done: result.images,
    skipped: result.skipped.length,
    total,
    elapsedMs,
    imagesPerSecond: rate,
    etaMs:
      total === null || rate === 0 ? null : (Math.max(0, total - result.images - result.skipped.length) / rate) * 1000,
  });
}
