// Model: a SavedModel or frozen graph loaded through the TensorFlow C API. Loading and
// running happen on the libuv pool (sync twins exist for scripts); feeds are checked
// against the signature first; outputs are Tensors the caller owns, without a copy.
import fs from 'node:fs';
import path from 'node:path';
import { withCallerStack } from './async_stack';
import { Batcher, BatcherOptions } from './batcher';
import { AbortError, ArgumentError, TfError } from './errors';
import { Feeds, PreparedFeeds, PreprocessedFeeds, prepareFeeds, preprocessFeeds, preprocessFeedsSync } from './feeds';
import {
  MAX_FILE_BYTES,
  fileKind,
  readRegularFile,
  readRegularFileSync,
  regularFileProblem,
  requireDirectorySync,
} from './files';
import { preprocess, preprocessSync } from './preprocess';
import type { PreprocessSpec } from './preprocess_spec';
import { native, NativeModel, NativeTensor } from './binding';
import { encodeRunOptions, encodeSessionOptions, SessionOptions } from './session_options';
import { GraphOperation, MetaGraphInfo, SignatureInfo, decodeMetaGraph, graphSignature } from './signature';
import { Tensor, tensorHandle } from './tensor';
import { trackInScope } from './scope';
import { optionKeys, OptionKeys } from './option_keys';
import { guardReceivers } from './receiver';
import * as v from './validate';

export interface LoadOptions extends SessionOptions {
  /** Run one batch of zeros through the default signature after loading (batch 1 for unknown dims). Default false. */
  warmup?: boolean;
}

export interface SavedModelOptions extends LoadOptions {
  /** MetaGraph tags. Default ['serve']. */
  tags?: string[];
  /** The signature run() uses when none is given. Default 'serving_default'. */
  signature?: string;
}

export interface RunOptions {
  /** Output keys to fetch (default: all of the signature's outputs). */
  outputs?: readonly string[];
  /** Signature to run (SavedModel). Default: the model's default signature. */
  signature?: string;
  /** Deadline enforced by TensorFlow (RunOptions.timeout_in_ms): TfError DEADLINE_EXCEEDED. */
  timeoutMs?: number;
  /** Rejects the promise at once with AbortError; outputs of the native run are freed when it ends. */
  signal?: AbortSignal;
  /**
   * Turns every Mat or encoded-image (Buffer) feed into a [1,H,W,C] tensor with
   * preprocess(image, spec) first: the spec states size, channel order and normalisation
   * (e.g. specFromSignature(model.inputs().image, { scale: 1 / 255 })). Without it a Mat
   * must already have the input's dtype (tfcv never guesses scale or channel order).
   */
  preprocess?: PreprocessSpec;
}

export type Outputs = Record<string, Tensor>;

const sessionTable = { intraOpThreads: true, interOpThreads: true, xla: true, warmup: true } as const;
const LOAD_FROZEN_KEYS = optionKeys<LoadOptions>('loadFrozenGraph', sessionTable);
const LOAD_SAVED_KEYS = optionKeys<SavedModelOptions>('loadSavedModel', {
  ...sessionTable,
  tags: true,
  signature: true,
});
const runTable = { outputs: true, signature: true, timeoutMs: true, preprocess: true } as const;
const RUN_KEYS = optionKeys<RunOptions>('model.run', { ...runTable, signal: true });
const RUN_SYNC_KEYS = optionKeys<Omit<RunOptions, 'signal'>>('model.runSync', runTable);

// Only this module creates Models: the constructor wants this token, so `new Model(...)`
// from user code is an ArgumentError rather than a half-built object.
const kCreate = Symbol('tfcv.Model.create');

export class Model {
  #native: NativeModel;

  /** @internal A real Model (not a look-alike made with Object.create or a Proxy). */
  static isModel(value: unknown): value is Model {
    return typeof value === 'object' && value !== null && #native in value;
  }
  /** 'saved-model' or 'frozen-graph'. */
  readonly format: 'saved-model' | 'frozen-graph';
  /** Every signature with its inputs and outputs (a frozen graph has one: 'graph'). */
  readonly signatures: Readonly<Record<string, SignatureInfo>>;
  /** The signature run() uses by default. */
  readonly defaultSignature: string;
  /** MetaGraph facts (SavedModel only). */
  readonly metaGraph: MetaGraphInfo | null;

  /** @internal Use loadSavedModel / loadFrozenGraph. */
  constructor(
    token: symbol,
    handle: NativeModel,
    format: 'saved-model' | 'frozen-graph',
    meta: MetaGraphInfo | null,
    defaultSignature: string,
  ) {
    if (token !== kCreate)
      throw new ArgumentError('Model: not constructible directly; use loadSavedModel() or loadFrozenGraph()');
    this.#native = handle;
    this.format = format;
    this.metaGraph = meta;
    this.signatures = Object.freeze(meta ? meta.signatures : { graph: graphSignature(handle.operations()) });
    this.defaultSignature = defaultSignature;
    trackInScope(this);
    if (!(defaultSignature in this.signatures)) {
      handle.dispose();
      throw new ArgumentError(
        `options.signature: unknown signature '${defaultSignature}' (available: ${Object.keys(this.signatures).join(', ') || 'none'})`,
      );
    }
    if (meta) this.#checkVariablesRestored(meta);
  }

  /** Loads a SavedModel directory off the event loop. */
  static async loadSavedModel(dir: string, options?: SavedModelOptions): Promise<Model> {
    const { tags, config, signature, warmup } = readSavedModelOptions(dir, options);
    const loaded = await withCallerStack(native.loadSavedModel(dir, tags, config));
    const model = new Model(kCreate, loaded.model, 'saved-model', decodeMetaGraph(loaded.metaGraphDef), signature);
    if (warmup) await model.#warmup();
    return model;
  }

  /** Synchronous twin of loadSavedModel(). */
  static loadSavedModelSync(dir: string, options?: SavedModelOptions): Model {
    const { tags, config, signature, warmup } = readSavedModelOptions(dir, options);
    const loaded = native.loadSavedModelSync(dir, tags, config);
    const model = new Model(kCreate, loaded.model, 'saved-model', decodeMetaGraph(loaded.metaGraphDef), signature);
    if (warmup) model.#warmupSync();
    return model;
  }

  /** Loads a frozen GraphDef (a file path or its bytes) off the event loop. Inputs and outputs are keyed by tensor name ('input:0'). */
  static async loadFrozenGraph(graph: string | Uint8Array, options?: LoadOptions): Promise<Model> {
    const { config, warmup } = readLoadOptions(options);
    const bytes =
      typeof graph === 'string'
        ? await readRegularFile(graph, 'graph').catch((error: unknown) => {
            throw explainGraphPath(error, graph);
          })
        : graphBytes(graph);
    const loaded = await withCallerStack(native.loadFrozenGraph(bytes, config));
    const model = new Model(kCreate, loaded.model, 'frozen-graph', null, 'graph');
    if (warmup) await model.#warmup();
    return model;
  }

  /** Synchronous twin of loadFrozenGraph(). */
  static loadFrozenGraphSync(graph: string | Uint8Array, options?: LoadOptions): Model {
    const { config, warmup } = readLoadOptions(options);
    let bytes: Uint8Array;
    try {
      bytes = typeof graph === 'string' ? readRegularFileSync(graph, 'graph') : graphBytes(graph);
    } catch (error) {
      throw explainGraphPath(error, graph);
    }
    const model = new Model(kCreate, native.loadFrozenGraphSync(bytes, config).model, 'frozen-graph', null, 'graph');
    if (warmup) model.#warmupSync();
    return model;
  }

  /** The graph's operations (name, type, first output's dtype and shape): placeholders are discoverable here. */
  operations(): GraphOperation[] {
    return this.#native.operations();
  }

  /** The inputs of the default (or given) signature. */
  inputs(signature: string = this.defaultSignature): SignatureInfo['inputs'] {
    return this.#signature(signature).inputs;
  }

  /** The outputs of the default (or given) signature. */
  outputs(signature: string = this.defaultSignature): SignatureInfo['outputs'] {
    return this.#signature(signature).outputs;
  }

  get disposed(): boolean {
    return this.#native.disposed;
  }

  /** Runs the model on the libuv pool. Resolves with the requested outputs, owned by the caller. */
  async run(feeds: Feeds, options?: RunOptions): Promise<Outputs> {
    const o = v.optionsObject(options, RUN_KEYS);
    const signal = o.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal))
      throw new ArgumentError(`options.signal: expected an AbortSignal, got ${v.describe(signal)}`);
    if (signal?.aborted) throw new AbortError('run: aborted before it started');
    const { sig, outputKeys, outputNames, runOptions } = this.#plan(o);
    const fed: PreprocessedFeeds =
      o.preprocess === undefined
        ? { feeds, made: [] }
        : await preprocessFeeds(feeds, o.preprocess, (image) => preprocess(image, o.preprocess!));
    const prepared = withMade(fed, sig.inputs);
    let pending: Promise<NativeTensor[]>;
    try {
      pending = native.modelRun(
        this.#native,
        prepared.names,
        prepared.tensors.map((t) => tensorHandle(t)),
        outputNames,
        runOptions,
      );
    } catch (error) {
      for (const t of prepared.temporaries) t.dispose();
      throw error;
    }
    // Temporaries stay pinned natively by the run; their JS handles can go now.
    for (const t of prepared.temporaries) t.dispose();
    const collect = (handles: NativeTensor[]) => toOutputs(outputKeys, handles);
    if (signal === undefined) return collect(await withCallerStack(pending));
    return new Promise<Outputs>((resolve, reject) => {
      let aborted = false;
      const onAbort = () => {
        aborted = true;
        reject(new AbortError('run: aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (handles) => {
          signal.removeEventListener('abort', onAbort);
          const outputs = collect(handles);
          if (aborted)
            for (const t of Object.values(outputs)) t.dispose(); // nobody will read them
          else resolve(outputs);
        },
        (error) => {
          signal.removeEventListener('abort', onAbort);
          if (!aborted) reject(error);
        },
      );
    });
  }

  /** Runs the model on the calling thread (blocks the event loop; for scripts). */
  runSync(feeds: Feeds, options?: Omit<RunOptions, 'signal'>): Outputs {
    const o = v.optionsObject(options, RUN_SYNC_KEYS);
    const { sig, outputKeys, outputNames, runOptions } = this.#plan(o);
    const fed: PreprocessedFeeds =
      o.preprocess === undefined
        ? { feeds, made: [] }
        : preprocessFeedsSync(feeds, o.preprocess, (image) => preprocessSync(image, o.preprocess!));
    const prepared = withMade(fed, sig.inputs);
    try {
      return toOutputs(
        outputKeys,
        native.modelRunSync(
          this.#native,
          prepared.names,
          prepared.tensors.map((t) => tensorHandle(t)),
          outputNames,
          runOptions,
        ),
      );
    } finally {
      for (const t of prepared.temporaries) t.dispose();
    }
  }

  /**
   * A dynamic batcher over this model: concurrent run() calls are merged into batches and
   * each caller gets zero-copy views of its rows (see Batcher).
   */
  batcher(options?: BatcherOptions): Batcher {
    return new Batcher(this, options);
  }

  /** Releases the model. Runs in flight finish first (the session closes after them); later calls throw DisposedError. */
  dispose(): void {
    this.#native.dispose();
  }

  /** dispose() for `using` (TypeScript 5.2+ / explicit resource management). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  #signature(key: unknown): SignatureInfo {
    const sig = typeof key === 'string' && Object.hasOwn(this.signatures, key) ? this.signatures[key] : undefined;
    if (sig === undefined) {
      throw new ArgumentError(
        `signature: unknown signature ${v.describe(key)} (available: ${Object.keys(this.signatures).join(', ')})`,
      );
    }
    return sig;
  }

  #plan(o: Partial<RunOptions>) {
    if (o.signature !== undefined && typeof o.signature !== 'string')
      throw new ArgumentError(`options.signature: expected a string, got ${v.describe(o.signature)}`);
    const sig = this.#signature(o.signature ?? this.defaultSignature);
    let outputKeys: string[];
    if (o.outputs === undefined) {
      outputKeys = Object.keys(sig.outputs);
    } else {
      if (!Array.isArray(o.outputs) || o.outputs.length === 0 || o.outputs.length > 100_000)
        throw new ArgumentError(
          `options.outputs: expected a non-empty array of output keys, got ${v.describe(o.outputs)}`,
        );
      outputKeys = v.arrayItems(o.outputs, 'options.outputs', 100_000).map((key) => {
        // A frozen graph may fetch any tensor by name ('output:0'); the native side resolves
        // it and reports an unknown operation as an ArgumentError.
        if (this.format === 'frozen-graph' && typeof key === 'string') return key;
        if (typeof key !== 'string' || !(key in sig.outputs)) {
          throw new ArgumentError(
            `options.outputs: unknown output ${v.describe(key)} (available: ${Object.keys(sig.outputs).join(', ')})`,
          );
        }
        return key;
      });
    }
    const outputNames = outputKeys.map((k) => sig.outputs[k]?.name ?? k);
    return { sig, outputKeys, outputNames, runOptions: encodeRunOptions(o.timeoutMs) };
  }

  #warmupFeeds(): Feeds {
    const feeds: Feeds = {};
    for (const [key, spec] of Object.entries(this.inputs())) {
      if (spec.shape === null)
        throw new ArgumentError(`warmup: input '${key}' has an unknown rank; warm up with your own run() instead`);
      const shape = spec.shape.map((d) => (d < 0 ? 1 : d));
      const tensor = Tensor.alloc(spec.dtype as 'uint8', shape); // strings start empty
      if (spec.dtype !== 'string') new Uint8Array(tensor.data.buffer).fill(0);
      feeds[key] = tensor;
    }
    return feeds;
  }

  async #warmup(): Promise<void> {
    const feeds = this.#warmupFeeds();
    try {
      for (const t of Object.values(await this.run(feeds))) t.dispose();
    } finally {
      for (const t of Object.values(feeds)) (t as Tensor).dispose();
    }
  }

  #warmupSync(): void {
    const feeds = this.#warmupFeeds();
    try {
      for (const t of Object.values(this.runSync(feeds))) t.dispose();
    } finally {
      for (const t of Object.values(feeds)) (t as Tensor).dispose();
    }
  }

  // A tf.Module holding a Keras 3 layer, saved with tf.saved_model.save, restores copies of
  // its variables while its signatures read the originals, which stay uninitialised: every
  // run would fail with "Could not find variable". Detected here, at load, with a way out.
  #checkVariablesRestored(meta: MetaGraphInfo): void {
    if (!meta.restoreOp) return;
    const h = this.#native;
    const variablesFeeding = (op: string) =>
      h
        .operationInputs(op)
        .filter((i) => i.type === 'VarHandleOp')
        .map((i) => i.name);
    const restored = new Set(variablesFeeding(meta.restoreOp));
    const missing = new Set<string>();
    for (const sig of Object.values(meta.signatures)) {
      for (const out of Object.values(sig.outputs)) {
        const op = out.name.split(':')[0]!;
        for (const variable of variablesFeeding(op)) if (!restored.has(variable)) missing.add(variable);
      }
    }
    if (missing.size > 0) {
      h.dispose();
      const error = new TfError(
        `loadSavedModel: the signatures read variables the SavedModel never restores (${[...missing].sort().join(', ')}); ` +
          'every run would fail with "Could not find variable". This happens when a tf.Module holding a Keras 3 layer is saved with ' +
          'tf.saved_model.save; re-export the Keras model with model.export(dir) (or keras.export.ExportArchive) instead.',
      );
      (error as { tfCode: string }).tfCode = 'FAILED_PRECONDITION';
      throw error;
    }
  }
}

guardReceivers(Model, (x) => Model.isModel(x));

// Checks the (preprocessed) feeds; the tensors preprocessing made become temporaries of the run.
function withMade(fed: PreprocessedFeeds, inputs: SignatureInfo['inputs']): PreparedFeeds {
  try {
    const prepared = prepareFeeds(fed.feeds, inputs);
    prepared.temporaries.push(...fed.made);
    return prepared;
  } catch (error) {
    for (const t of fed.made) t.dispose();
    throw error;
  }
}

function toOutputs(keys: string[], handles: NativeTensor[]): Outputs {
  const out: Outputs = {};
  keys.forEach((key, i) => {
    out[key] = new Tensor(handles[i]);
  });
  return out;
}

// What a wrong frozen-graph path was expected to be (and the SavedModel case named).
function explainGraphPath(error: unknown, graph: unknown): unknown {
  if (error instanceof ArgumentError && typeof graph === 'string') {
    const savedModel = ['saved_model.pb', 'saved_model.pbtxt'].some((f) => fs.existsSync(path.join(graph, f)));
    error.message += savedModel
      ? '; that is a SavedModel directory: load it with loadSavedModel(dir)'
      : '; loadFrozenGraph expects a frozen GraphDef file (.pb), or its bytes';
  }
  return error;
}

function graphBytes(graph: unknown): Uint8Array {
  if (!(graph instanceof Uint8Array))
    throw new ArgumentError(`graph: expected a file path or the GraphDef bytes, got ${v.describe(graph)}`);
  return graph;
}

function readLoadOptions(options: LoadOptions | undefined, keys: OptionKeys<LoadOptions> = LOAD_FROZEN_KEYS) {
  const o = v.optionsObject(options, keys);
  if (o.warmup !== undefined && typeof o.warmup !== 'boolean')
    throw new ArgumentError(`options.warmup: expected a boolean, got ${v.describe(o.warmup)}`);
  return { config: encodeSessionOptions(o), warmup: o.warmup === true };
}

// TensorFlow reads a SavedModel's files with plain reads: a saved_model.pb that is a FIFO or
// a link to /dev/zero would block a thread (and the load) forever. So the directory and
// the files TensorFlow will open are checked to be what they should be, before loading.
function checkSavedModelFiles(dir: string): void {
  try {
    requireDirectorySync(dir, 'dir');
  } catch (error) {
    if (error instanceof ArgumentError) {
      const pb = /\.pbt?x?t?$/i.test(dir) && fs.existsSync(dir);
      error.message +=
        '; loadSavedModel expects a SavedModel directory (a folder holding saved_model.pb and variables/)' +
        (pb ? ': for a frozen GraphDef file use loadFrozenGraph(file)' : '');
    }
    throw error;
  }
  const graph = ['saved_model.pb', 'saved_model.pbtxt'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (graph === undefined)
    throw new ArgumentError(
      `dir: ${v.describe(dir)} holds no saved_model.pb or saved_model.pbtxt: not a SavedModel directory`,
    );
  const problem = regularFileProblem(graph, MAX_FILE_BYTES);
  if (problem !== null) throw new ArgumentError(`dir: ${path.basename(graph)} in ${v.describe(dir)} is ${problem}`);
  const variables = path.join(dir, 'variables');
  let entries: string[] = [];
  try {
    if (fs.statSync(variables).isDirectory()) entries = fs.readdirSync(variables);
  } catch {
    return; // no variables: a graph without any, TensorFlow says so itself if it needs them
  }
  for (const name of entries) {
    const file = path.join(variables, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      throw new ArgumentError(
        `dir: variables/${name} in ${v.describe(dir)} cannot be read: ${(error as Error).message}`,
      );
    }
    if (!stat.isFile())
      throw new ArgumentError(
        `dir: variables/${name} in ${v.describe(dir)} is ${fileKind(stat)}, expected a regular file`,
      );
  }
}

function readSavedModelOptions(dir: string, options: SavedModelOptions | undefined) {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new ArgumentError(`dir: expected a SavedModel directory path, got ${v.describe(dir)}`);
  checkSavedModelFiles(dir);
  const o = v.optionsObject(options, LOAD_SAVED_KEYS);
  const tags = o.tags ?? ['serve'];
  if (
    !Array.isArray(tags) ||
    tags.length > 1000 ||
    v.arrayItems(tags, 'options.tags', 1000).some((t) => typeof t !== 'string')
  )
    throw new ArgumentError(`options.tags: expected an array of strings, got ${v.describe(tags)}`);
  const signature = o.signature ?? 'serving_default';
  if (typeof signature !== 'string')
    throw new ArgumentError(`options.signature: expected a string, got ${v.describe(signature)}`);
  return { tags, signature, ...readLoadOptions(o, LOAD_SAVED_KEYS) };
}

export const loadSavedModel = Model.loadSavedModel;
export const loadSavedModelSync = Model.loadSavedModelSync;
export const loadFrozenGraph = Model.loadFrozenGraph;
export const loadFrozenGraphSync = Model.loadFrozenGraphSync;
