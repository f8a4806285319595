// Turning user feeds into input tensors and checking them against the signature before
// TensorFlow sees anything: missing or unknown keys, dtype, rank and known dims, each a
// typed error that names the input, the expected and the actual value. Feeds may be
// Tensors, typed arrays with a shape, or Mats of the input's dtype. A Mat is never
// converted to another dtype here: a BGR uint8 image fed to a float32 RGB input would need
// a scale, a channel order and a normalisation that only the caller knows, so that is a
// DTypeError pointing at preprocess / specFromSignature / toTensor (or run's `preprocess`).
import { DType, isDType } from './dtype';
import { ArgumentError, DTypeError, ShapeError } from './errors';
import { Mat } from './mat';
import { toTensorSync } from './convert';
import { TensorSpec } from './signature';
import { Tensor } from './tensor';
import * as v from './validate';
import { TwinSteps, driveAsync, driveSync } from './twin_steps';

/** A typed array (or string array) with its shape. */
export interface ArrayFeed {
  data: ArrayBufferView | readonly string[];
  shape: readonly number[];
}

/** A Tensor, a Mat of the input's dtype, a typed array with its shape, or (with run's `preprocess` option) encoded image bytes. */
export type Feed = Tensor | Mat | ArrayFeed | Uint8Array;
export type Feeds = Record<string, Feed>;

export interface PreparedFeeds {
  names: string[];
  tensors: Tensor[];
  /** Tensors made here from arrays or Mats, disposed once the run has ended. */
  temporaries: Tensor[];
}

const fmtShape = (s: readonly number[] | null) => (s === null ? '[?]' : `[${s.join(',')}]`);

function describeSpec(spec: TensorSpec): string {
  return `${spec.dtype} ${fmtShape(spec.shape)}`;
}

function checkAgainstSpec(key: string, spec: TensorSpec, tensor: Tensor): void {
  const dtype = tensor.dtype;
  const shape = tensor.shape;
  const actual = `${dtype} ${fmtShape(shape)}`;
  if (spec.dtype !== dtype) {
    throw new DTypeError(`input '${key}': expected ${describeSpec(spec)}, got ${actual}`);
  }
  if (spec.shape === null) return;
  if (spec.shape.length !== shape.length) {
    throw new ShapeError(`input '${key}': expected rank ${spec.shape.length} ${describeSpec(spec)}, got ${actual}`);
  }
  spec.shape.forEach((want, i) => {
    if (want >= 0 && shape[i] !== want) {
      throw new ShapeError(`input '${key}': expected ${describeSpec(spec)}, got ${actual} (dim ${i})`);
    }
  });
}

// A Mat becomes [1,H,W,C] for a rank-4 input (NCHW when the spec's dim 1 is the channel
// count and its last dim is not), [H,W,C] otherwise. Its dtype must be the input's.
/**
 * Where the preprocess spec of an image feed goes: run's options, or (for a batcher, whose
 * run takes no spec) the batcher's own options.
 */
export type FeedCaller = 'run' | 'batcher';

function preprocessFix(key: string, caller: FeedCaller, feed: 'bytes' | 'mat'): string {
  if (caller === 'batcher')
    return `model.batcher({ preprocess: { scale: 1 / 255, ... } }) (the batcher's own option), then batcher.run({ ${key}: ${feed} })`;
  const spec = feed === 'mat' ? 'spec' : `specFromSignature(model.inputs().${key}, { scale: 1 / 255, ... })`;
  return `run({ ${key}: ${feed} }, { preprocess: ${spec} })`;
}

function matFeed(key: string, spec: TensorSpec, mat: Mat, caller: FeedCaller): Tensor {
  const shape = spec.shape;
  const nchw = shape !== null && shape.length === 4 && shape[1] === mat.channels && shape[3] !== mat.channels;
  const layout = shape !== null && shape.length === 4 ? (nchw ? 'NCHW' : 'NHWC') : 'HWC';
  const dtype = spec.dtype;
  if (
    !isDType(dtype) ||
    !['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'uint8', 'uint16'].includes(dtype)
  ) {
    throw new DTypeError(`input '${key}': a Mat cannot feed a ${dtype} input`);
  }
  if (mat.dtype !== dtype) {
    throw new DTypeError(
      `input '${key}': expected ${describeSpec(spec)}, got a ${mat.dtype} Mat (${mat.rows}x${mat.cols}, ${mat.channels} channels); ` +
        `tfcv does not guess the scale, channel order or normalisation of a Mat feed. Use preprocess(images, specFromSignature(model.inputs().${key}, { scale: 1 / 255, ... })), ` +
        `toTensor(mat, { dtype, layout }) after cvtColor / convertTo with explicit options, or ${preprocessFix(key, caller, 'mat')}`,
    );
  }
  return toTensorSync(mat, { layout, dtype: dtype as 'float32', mode: 'share' });
}

/**
 * @internal Feeds are a plain object keyed by input name, every key one of `expected`
 * (model.run and the batcher check the same way, with the same messages).
 */
export function checkFeedKeys(feeds: unknown, expected: readonly string[]): void {
  if (
    feeds === null ||
    typeof feeds !== 'object' ||
    Array.isArray(feeds) ||
    feeds instanceof Tensor ||
    feeds instanceof Mat
  ) {
    throw new ArgumentError(
      `feeds: expected an object keyed by input name (${expected.join(', ')}), got ${v.describe(feeds)}`,
    );
  }
  for (const key of Object.keys(feeds)) {
    if (!expected.includes(key))
      throw new ArgumentError(`feeds: unknown input '${key}' (expected: ${expected.join(', ') || 'none'})`);
  }
}

export function prepareFeeds(
  feeds: Feeds,
  inputs: Record<string, TensorSpec>,
  caller: FeedCaller = 'run',
): PreparedFeeds {
  const expected = Object.keys(inputs);
  checkFeedKeys(feeds, expected);
  const prepared: PreparedFeeds = { names: [], tensors: [], temporaries: [] };
  try {
    for (const key of expected) {
      const spec = inputs[key]!;
      const feed = (feeds as Record<string, Feed | undefined>)[key];
      if (feed === undefined) throw new ArgumentError(`feeds: missing input '${key}' (${describeSpec(spec)})`);
      let tensor: Tensor;
      if (feed instanceof Tensor) {
        tensor = feed;
      } else if (feed instanceof Mat) {
        tensor = matFeed(key, spec, feed, caller);
        prepared.temporaries.push(tensor);
      } else if (v.isBinary(feed)) {
        throw new ArgumentError(
          `input '${key}': encoded image bytes need a preprocess spec: ${preprocessFix(key, caller, 'bytes')}, ` +
            `or pass a Tensor / { data, shape } (got ${v.describe(feed)})`,
        );
      } else if (feed !== null && typeof feed === 'object' && 'data' in feed && 'shape' in feed) {
        const dtype = isDType(spec.dtype) ? (spec.dtype as DType) : undefined;
        try {
          tensor = Tensor.from(feed.data as ArrayBufferView, { shape: feed.shape, dtype });
        } catch (error) {
          if (error instanceof Error) error.message = `input '${key}': ${error.message}`;
          throw error;
        }
        prepared.temporaries.push(tensor);
      } else {
        throw new ArgumentError(`input '${key}': expected a Tensor, a Mat or { data, shape }, got ${v.describe(feed)}`);
      }
      checkAgainstSpec(key, spec, tensor);
      prepared.names.push(spec.name);
      prepared.tensors.push(tensor);
    }
  } catch (error) {
    for (const t of prepared.temporaries) t.dispose();
    throw error;
  }
  return prepared;
}

/** @internal The keys of feeds that run's `preprocess` option turns into tensors: Mats and encoded image bytes. */
export function imageFeedKeys(feeds: unknown): string[] {
  if (
    feeds === null ||
    typeof feeds !== 'object' ||
    Array.isArray(feeds) ||
    feeds instanceof Tensor ||
    feeds instanceof Mat
  )
    return [];
  return Object.entries(feeds as Record<string, unknown>)
    .filter(([, feed]) => feed instanceof Mat || v.isBinary(feed))
    .map(([key]) => key);
}

function imageKeysFor(feeds: Feeds, spec: unknown): string[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ArgumentError(
      `options.preprocess: expected a preprocess spec ({ width, height, scale, ... } or specFromSignature(...)), got ${v.describe(spec)}`,
    );
  }
  const keys = imageFeedKeys(feeds);
  if (keys.length === 0) {
    throw new ArgumentError(
      'options.preprocess: no feed is a Mat or encoded image bytes, so there is nothing to preprocess (Tensors and { data, shape } feeds go in as they are)',
    );
  }
  return keys;
}

function named(key: string, error: unknown): unknown {
  if (error instanceof Error) error.message = `input '${key}' (options.preprocess): ${error.message}`;
  return error;
}

/** @internal The feeds after preprocessing and the tensors made, which the caller disposes once the run holds them. */
export interface PreprocessedFeeds {
  feeds: Feeds;
  made: Tensor[];
}

// The body both twins below run (lib/twin_steps.ts): yields each image feed, receives its tensor.
function* feedSteps(feeds: Feeds, spec: unknown): TwinSteps<Mat | Uint8Array, Tensor, PreprocessedFeeds> {
  const keys = imageKeysFor(feeds, spec);
  const out: PreprocessedFeeds = { feeds: { ...feeds }, made: [] };
  try {
    for (const key of keys) {
      let tensor: Tensor;
      try {
        tensor = yield (feeds as Record<string, Mat | Uint8Array>)[key]!;
      } catch (error) {
        throw named(key, error);
      }
      out.made.push(tensor);
      out.feeds[key] = tensor;
    }
  } catch (error) {
    for (const t of out.made) t.dispose();
    throw error;
  }
  return out;
}

/**
 * @internal Applies run's `preprocess` spec to every Mat / encoded-image feed (one image
 * each, batch 1) with `make` (preprocess), one image after the other.
 */
export function preprocessFeeds(
  feeds: Feeds,
  spec: unknown,
  make: (image: Mat | Uint8Array) => Promise<Tensor>,
): Promise<PreprocessedFeeds> {
  return driveAsync(feedSteps(feeds, spec), make);
}

/** @internal Synchronous twin of preprocessFeeds (`make`: preprocessSync). */
export function preprocessFeedsSync(
  feeds: Feeds,
  spec: unknown,
  make: (image: Mat | Uint8Array) => Tensor,
): PreprocessedFeeds {
  return driveSync(feedSteps(feeds, spec), make);
}
