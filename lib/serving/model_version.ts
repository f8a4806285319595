// One loaded version of a served model (TF Serving's "servable"): its Model, one Batcher per
// batchable signature, the requests in flight, and its life cycle START -> LOADING ->
// AVAILABLE -> UNLOADING -> END. A version takes traffic only once it is loaded and warmed
// (every allowed batch size, then the SavedModel's own warm-up requests); when it is
// replaced it refuses new requests, lets the ones in flight finish, then closes its batchers
// and disposes its model, so its memory goes back.
import fs from 'node:fs';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import * as v from '../validate';
import { optionKeys } from '../option_keys';
import path from 'node:path';
import { Batcher, BatcherOptions, BatchFeeds } from '../batcher';
import { Model, Outputs, SavedModelOptions } from '../model';
import type { PreprocessSpec } from '../preprocess_spec';
import { Tensor } from '../tensor';
import { HostTensor, toTensor } from './host_tensor';
import { ServingError } from './serving_error';
import { WarmupRequest, readWarmupRequests } from './warmup_requests';

export type VersionState = 'START' | 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

/** Batcher settings of every version (signature, outputs, warmup and preprocess are set per signature). */
export type VersionBatcherOptions = Pick<
  BatcherOptions,
  'maxBatchSize' | 'maxDelayMs' | 'maxQueue' | 'allowedBatchSizes' | 'concurrency'
>;

export interface VersionOptions {
  load: SavedModelOptions;
  batcher: VersionBatcherOptions;
  /** Spec (over the signature's) for encoded-image feeds; default scale 1/255. */
  image: Partial<PreprocessSpec>;
  /** Charge the RSS growth over the load too (else the files only). */
  measureRss: boolean;
}

export interface VersionRunOptions {
  signature?: string;
  outputs?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A feed of a served request: a host tensor, or encoded images for an image input. */
export type ServingFeed = HostTensor | { images: Uint8Array[] };

const VERSION_KEYS = optionKeys<VersionOptions>('new ModelVersion', {
  load: true,
  batcher: true,
  image: true,
  measureRss: true,
});
const RUN_KEYS = optionKeys<VersionRunOptions>('ModelVersion.run', {
  signature: true,
  outputs: true,
  signal: true,
  timeoutMs: true,
});

export class ModelVersion {
  readonly name: string;
  readonly version: number;
  readonly dir: string;
  state: VersionState = 'START';
  /** Why the version failed to load or warm up, or was unloaded by the memory budget. */
  error: ServingError | null = null;
  /** Resident bytes attributed to this version: max(files on disk, RSS growth over its load). */
  bytes = 0;
  lastUsed = 0;
  /** Set when the memory budget unloaded the version (it loads again on demand). */
  evicted = false;
  #model: Model | null = null;
  #batchers = new Map<string, Batcher | null>();
  #inFlight = 0;
  #idle: Array<() => void> = [];
  #options: VersionOptions;

  constructor(name: string, version: number, dir: string, options: VersionOptions) {
    markConstructed(this);
    this.name = name;
    this.version = version;
    this.dir = dir;
    this.#options = v.optionsObject(options, VERSION_KEYS) as VersionOptions;
  }

  get model(): Model | null {
    return this.#model;
  }

  /** The spec encoded images are preprocessed with (over the signature's). */
  get imageSpec(): Partial<PreprocessSpec> {
    return this.#options.image;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Loads, warms up every batch size and replays the warm-up requests. Rejects (state END, `error` set) on any failure. */
  async load(): Promise<void> {
    this.state = 'LOADING';
    this.error = null;
    this.evicted = false;
    const rssBefore = process.memoryUsage.rss();
    try {
      const warmups = readWarmupRequests(this.dir);
      this.#model = await Model.loadSavedModel(this.dir, this.#options.load);
      const batcher = this.#batcher(this.#model.defaultSignature, true);
      if (batcher) await batcher.ready;
      for (const request of warmups) await this.#replay(request);
      const grown = this.#options.measureRss ? process.memoryUsage.rss() - rssBefore : 0;
      this.bytes = Math.max(directoryBytes(this.dir), grown);
      this.state = 'AVAILABLE';
    } catch (error) {
      await this.#release();
      this.state = 'END';
      this.error =
        error instanceof ServingError
          ? error
          : new ServingError('FAILED_PRECONDITION', `version ${this.version}: ${(error as Error).message}`);
      throw this.error;
    }
  }

  /** Takes a slot for one request; the returned function gives it back. Throws UNAVAILABLE unless AVAILABLE. */
  acquire(): () => void {
    if (this.state !== 'AVAILABLE')
      throw new ServingError('UNAVAILABLE', `model '${this.name}' version ${this.version} is ${this.state}`);
    this.#inFlight++;
    this.lastUsed = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      if (this.#inFlight === 0) for (const f of this.#idle.splice(0)) f();
    };
  }

  /** Runs one request (hold a slot from acquire() around it). Resolves with outputs the caller disposes. */
  async run(feeds: Record<string, ServingFeed>, options: VersionRunOptions = {}): Promise<Outputs> {
    options = v.optionsObject(options, RUN_KEYS);
    const model = this.#model;
    if (model === null || this.state === 'END')
      throw new ServingError('UNAVAILABLE', `model '${this.name}' version ${this.version} is not loaded`);
    const signature = options.signature || model.defaultSignature;
    if (!Object.hasOwn(model.signatures, signature))
      throw new ServingError(
        'INVALID_ARGUMENT',
        `Serving signature key "${signature}" not found (available: ${Object.keys(model.signatures).join(', ')})`,
      );
    const hasImages = Object.values(feeds).some((f) => 'images' in f);
    const batcher = this.#batcher(signature, false);
    const rows = batchRows(feeds);
    if (batcher && rows >= 1 && rows <= batcher.maxBatchSize && options.outputs === undefined) {
      const batchFeeds: BatchFeeds = {};
      for (const [key, feed] of Object.entries(feeds))
        batchFeeds[key] = 'images' in feed ? feed.images : { data: feed.data as ArrayBufferView, shape: feed.shape };
      return batcher.run(batchFeeds, { signal: options.signal, timeoutMs: options.timeoutMs });
    }
    if (hasImages)
      throw new ServingError(
        'INVALID_ARGUMENT',
        `signature '${signature}' takes images only through the batcher (one image input of rank 4, 1..${batcher?.maxBatchSize ?? 0} images)`,
      );
    const tensors: Tensor[] = [];
    try {
      const runFeeds: Record<string, Tensor> = {};
      for (const [key, feed] of Object.entries(feeds)) {
        const t = toTensor(feed as HostTensor);
        tensors.push(t);
        runFeeds[key] = t;
      }
      return await model.run(runFeeds, {
        signature,
        outputs: options.outputs,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      });
    } finally {
      for (const t of tensors) t.dispose();
    }
  }

  /** Refuses new requests, waits for those in flight (at most drainTimeoutMs), then frees everything. */
  async unload(drainTimeoutMs: number): Promise<void> {
    if (this.state === 'END' || this.state === 'UNLOADING') return;
    this.state = 'UNLOADING';
    if (this.#inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    await this.#release();
    this.state = 'END';
  }

  /** Batchers' stats by signature (for metrics and status). */
  batcherStats(): Record<string, ReturnType<Batcher['stats']>> {
    const out: Record<string, ReturnType<Batcher['stats']>> = {};
    for (const [key, b] of this.#batchers) if (b) out[key] = b.stats();
    return out;
  }

  async #release(): Promise<void> {
    const batchers = [...this.#batchers.values()].filter((b): b is Batcher => b !== null);
    this.#batchers.clear();
    await Promise.all(batchers.map((b) => b.close()));
    this.#model?.dispose();
    this.#model = null;
  }

  // The signature's batcher, made on first use; null when the signature cannot be batched
  // (an input without a leading unknown batch dim, string inputs or outputs).
  #batcher(signature: string, warmup: boolean): Batcher | null {
    const cached = this.#batchers.get(signature);
    if (cached !== undefined) return cached;
    const model = this.#model!;
    const inputs = Object.values(model.inputs(signature));
    const outputs = Object.values(model.outputs(signature));
    const batchable =
      inputs.length > 0 &&
      inputs.every((s) => s.dtype !== 'string' && s.shape !== null && s.shape.length > 0 && s.shape[0]! < 0) &&
      outputs.every((s) => s.dtype !== 'string');
    let batcher: Batcher | null = null;
    if (batchable) {
      try {
        batcher = model.batcher({
          ...this.#options.batcher,
          signature,
          warmup: warmup && inputs.every((s) => s.shape!.slice(1).every((d) => d >= 0)),
          preprocess: this.#options.image,
        });
      } catch {
        batcher = null; // a signature the batcher refuses runs unbatched
      }
    }
    this.#batchers.set(signature, batcher);
    return batcher;
  }

  async #replay(request: WarmupRequest): Promise<void> {
    // Nobody else sees the version while it loads: no slot is needed.
    try {
      const outputs = await this.run(request.inputs, {
        signature: request.signatureName || undefined,
        outputs: request.outputFilter.length > 0 ? request.outputFilter : undefined,
      });
      for (const t of Object.values(outputs)) t.dispose();
    } catch (error) {
      throw new ServingError('FAILED_PRECONDITION', `warm-up request failed: ${(error as Error).message}`);
    }
  }
}

function batchRows(feeds: Record<string, ServingFeed>): number {
  let rows = -1;
  for (const feed of Object.values(feeds)) {
    const n = 'images' in feed ? feed.images.length : feed.shape.length === 0 ? -2 : feed.shape[0]!;
    if (n === -2) return -1;
    if (rows !== -1 && n !== rows) return -1;
    rows = n;
  }
  return rows;
}

/** Bytes of the files of a version directory (its graph and variables). */
export function directoryBytes(dir: string, depth = 0): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isFile()) total += fs.statSync(file).size;
    else if (entry.isDirectory() && depth < 4) total += directoryBytes(file, depth + 1);
  }
  return total;
}

guardReceivers(ModelVersion, (x) => wasConstructed(x, ModelVersion));
