// evaluate()'s first stage: every argument checked and every default settled before any
// sample is read, into one plain plan the later stages read (no option is looked at twice).
import { ArgumentError, DisposedError } from '../errors';
import { Metric } from '../metrics/metric';
import { Model } from '../model';
import { TensorSpec } from '../signature';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import type { EvaluateOptions } from './evaluate';
import { InputRecipe, defaultRecipe } from './input_plan';
import { Sample } from './sample';

export interface EvaluatePlan {
  model: Model;
  metrics: Metric[];
  batchSize: number;
  concurrency: number;
  maskMode: 'auto' | 'binary' | 'ids';
  onError: 'throw' | 'skip';
  signatureKey: string;
  inputs: Record<string, TensorSpec>;
  /** The output key fed to the metrics. */
  output: string;
  /** Multiplies the output before the metrics (1: as is). */
  predictionScale: number;
  /** The default input building, or null when options.preprocess builds the feeds. */
  recipe: InputRecipe | null;
  preprocess: EvaluateOptions['preprocess'];
  onProgress: EvaluateOptions['onProgress'];
  onBatch: EvaluateOptions['onBatch'];
  signal: AbortSignal | undefined;
  iterator: Iterator<Sample> | AsyncIterator<Sample>;
  /** The dataset's size when known (arrays, or options.total). */
  total: number | null;
}

function readMetrics(metrics: unknown): Metric[] {
  const list = Array.isArray(metrics)
    ? v.arrayItems(metrics, 'metrics', 1000, 'an array of Metrics')
    : metrics !== null && typeof metrics === 'object' && !(metrics instanceof Metric)
      ? Object.values(metrics)
      : null;
  if (list === null || list.length === 0)
    throw new ArgumentError(`metrics: expected a non-empty array of Metrics, got ${v.describe(metrics)}`);
  const names = new Set<string>();
  list.forEach((m, i) => {
    if (!(m instanceof Metric)) throw new ArgumentError(`metrics[${i}]: expected a Metric, got ${v.describe(m)}`);
    if (names.has(m.name))
      throw new ArgumentError(`metrics[${i}]: two metrics are named '${m.name}'; give one { name }`);
    names.add(m.name);
  });
  return list as Metric[];
}

function chooseOutput(outputs: Record<string, TensorSpec>, requested: unknown): string {
  const keys = Object.keys(outputs).sort();
  if (requested !== undefined) {
    if (typeof requested !== 'string' || !(requested in outputs)) {
      throw new ArgumentError(
        `options.output: unknown output ${v.describe(requested)} (available: ${keys.join(', ')})`,
      );
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

function readPredictionScale(value: unknown, output: string, spec: TensorSpec): number {
  if (value === undefined) return 1;
  const scale = v.finiteNumber(value, 'options.predictionScale');
  if (!(scale > 0)) throw new ArgumentError(`options.predictionScale: expected a number > 0, got ${scale}`);
  if (scale !== 1 && spec.dtype !== 'float32' && spec.dtype !== 'float64')
    throw new ArgumentError(
      `options.predictionScale: scales float outputs (probabilities); output '${output}' is ${spec.dtype}, whose values the metrics read as they are`,
    );
  return scale;
}

function iterate(dataset: unknown): { iterator: Iterator<Sample> | AsyncIterator<Sample>; size: number | null } {
  if (dataset !== null && typeof dataset === 'object') {
    const asyncIt = (dataset as AsyncIterable<Sample>)[Symbol.asyncIterator];
    if (typeof asyncIt === 'function') return { iterator: asyncIt.call(dataset), size: null };
    const it = (dataset as Iterable<Sample>)[Symbol.iterator];
    if (typeof it === 'function')
      return { iterator: it.call(dataset), size: Array.isArray(dataset) ? dataset.length : null };
  }
  throw new ArgumentError(`dataset: expected an iterable or async iterable of samples, got ${v.describe(dataset)}`);
}

/** @internal The keys of evaluate()'s options. */
export const EVALUATE_KEYS = optionKeys<EvaluateOptions>('evaluate', {
  batchSize: true,
  concurrency: true,
  signature: true,
  output: true,
  preprocess: true,
  channelOrder: true,
  pixelDivisor: true,
  predictionScale: true,
  masks: true,
  onError: true,
  onProgress: true,
  onBatch: true,
  signal: true,
  total: true,
  detection: true,
});

/**
 * @internal A detection evaluation's arguments (options.detection given), checked as
 * planEvaluation checks them, for evaluate_detection.ts; null for a segmentation evaluation.
 */
export function planDetection(model: unknown, dataset: unknown, metrics: unknown, options: unknown) {
  const o = v.optionsObject(options as EvaluateOptions | undefined, EVALUATE_KEYS);
  if (o.detection === undefined) return null;
  const c = planCommon(model, metrics, o);
  const total =
    o.total !== undefined ? v.integer(o.total, 'options.total', 0) : Array.isArray(dataset) ? dataset.length : null;
  const { batchSize, channelOrder, divisor: pixelDivisor, onError, signal } = c;
  return {
    metrics: c.list,
    detection: o.detection,
    options: {
      batchSize,
      signature: o.signature,
      channelOrder,
      pixelDivisor,
      onError,
      onProgress: o.onProgress,
      signal,
      total,
    },
  };
}

/** @internal evaluate()'s arguments, checked in the order the errors are documented. */
export function planEvaluation(model: unknown, dataset: unknown, metrics: unknown, options: unknown): EvaluatePlan {
  const o = v.optionsObject(options as EvaluateOptions | undefined, EVALUATE_KEYS);
  const { model: m, ...common } = planCommon(model, metrics, o);
  return planSegmentation(m, dataset, o, common);
}

// The checks both kinds of evaluation share, in the documented order.
function planCommon(model: unknown, metrics: unknown, o: Partial<EvaluateOptions>) {
  if (!(model instanceof Model)) throw new ArgumentError(`model: expected a Model, got ${v.describe(model)}`);
  if (model.disposed) throw new DisposedError('model: the Model was disposed');
  const list = readMetrics(metrics);
  const batchSize = o.batchSize === undefined ? 16 : v.integer(o.batchSize, 'options.batchSize', 1, 65536);
  const concurrency = o.concurrency === undefined ? 4 : v.integer(o.concurrency, 'options.concurrency', 1, 1024);
  const maskMode = v.oneOf(o.masks, ['auto', 'binary', 'ids'] as const, 'options.masks', 'auto');
  const onError = v.oneOf(o.onError, ['throw', 'skip'] as const, 'options.onError', 'throw');
  const channelOrder = v.oneOf(o.channelOrder, ['rgb', 'bgr'] as const, 'options.channelOrder', 'rgb');
  const divisor = o.pixelDivisor === undefined ? 255 : v.finiteNumber(o.pixelDivisor, 'options.pixelDivisor');
  if (!(divisor > 0)) throw new ArgumentError(`options.pixelDivisor: expected a number > 0, got ${divisor}`);
  for (const key of ['preprocess', 'onProgress', 'onBatch'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function')
      throw new ArgumentError(`options.${key}: expected a function, got ${v.describe(o[key])}`);
  }
  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new ArgumentError(`options.signal: expected an AbortSignal, got ${v.describe(signal)}`);
  return { model, list, batchSize, concurrency, maskMode, onError, channelOrder, divisor, signal };
}

function planSegmentation(
  model: Model,
  dataset: unknown,
  o: Partial<EvaluateOptions>,
  c: Omit<ReturnType<typeof planCommon>, 'model'>,
): EvaluatePlan {
  const { list, batchSize, concurrency, maskMode, onError, channelOrder, divisor, signal } = c;
  const signatureKey = o.signature ?? model.defaultSignature;
  const sig = model.signatures[signatureKey];
  if (typeof signatureKey !== 'string' || sig === undefined) {
    throw new ArgumentError(
      `options.signature: unknown signature ${v.describe(signatureKey)} (available: ${Object.keys(model.signatures).join(', ')})`,
    );
  }
  const output = chooseOutput(sig.outputs, o.output);
  const predictionScale = readPredictionScale(o.predictionScale, output, sig.outputs[output]!);
  const recipe = o.preprocess ? null : defaultRecipe(sig.inputs, channelOrder, divisor);
  const { iterator, size } = iterate(dataset);
  const total = o.total !== undefined ? v.integer(o.total, 'options.total', 0) : size;
  return {
    model,
    metrics: list,
    batchSize,
    concurrency,
    maskMode,
    onError,
    signatureKey,
    inputs: sig.inputs,
    output,
    predictionScale,
    recipe,
    preprocess: o.preprocess,
    onProgress: o.onProgress,
    onBatch: o.onBatch,
    signal,
    iterator,
    total,
  };
}
