// Dynamic batching (TensorFlow Serving's BatchingSession, Triton's dynamic batcher) for a
// Node server: concurrent run() calls with the same non-batch shapes are concatenated into
// one aligned batch tensor and run once; each caller gets zero-copy row views of the batch
// outputs. A lone request on an idle model runs at once; while a batch runs, requests
// wait for company at most maxDelayMs before a second batch starts beside it. Encoded images go straight into their rows of
// the batch tensor (one native preprocess pass for the whole batch).
import { withCallerStack } from './async_stack';
import { BatcherCounters, BatcherStats } from './batcher_stats';
import { AbortError, ArgumentError, BusyError, DisposedError, ShapeError, TfError } from './errors';
import { Feed, checkFeedKeys, prepareFeeds } from './feeds';
import { Mat, matHandle } from './mat';
import { Model } from './model';
import type { Outputs } from './model';
import { native } from './binding';
import { guardReceivers } from './receiver';
import { ScopeOwner, adopt, scopeOwner, unscoped } from './scope';
import { PreprocessSpec, ResolvedPreprocessSpec, nativeSpec, specFromSignature } from './preprocess_spec';
import { TensorSpec } from './signature';
import { Tensor, tensorHandle } from './tensor';
import { BATCHER_KEYS, BATCHER_PREPROCESS_KEYS, BATCH_RUN_KEYS } from './batcher_options';
import * as v from './validate';

export interface BatcherOptions {
  /** Most rows (samples) in one batch. Default 8, or the largest of allowedBatchSizes. */
  maxBatchSize?: number;
  /**
   * How long the first queued request may wait for company while another batch is running
   * and a slot is free (concurrency > 1), ms. A request never waits on an idle model: when
   * nothing runs, what is queued goes at once. Default 2.
   */
  maxDelayMs?: number;
  /** Most requests waiting; beyond it run() rejects at once with BusyError. Default 256. */
  maxQueue?: number;
  /** Batch sizes to run (ascending); a batch is padded with zero rows up to the next one. */
  allowedBatchSizes?: readonly number[];
  /** Run every allowed batch size (or 1 and maxBatchSize) once at creation; see `ready`. Default false. */
  warmup?: boolean;
  /** Signature to run. Default: the model's default signature. */
  signature?: string;
  /** Output keys to fetch. Default: all of the signature's outputs. */
  outputs?: readonly string[];
  /**
   * Accept encoded images (and Mats) for rank-4 image inputs: each is decoded and written
   * into its row of the batch tensor, with this spec over the signature's (specFromSignature).
   */
  preprocess?: Partial<PreprocessSpec>;
  /**
   * Batches running at once. Default 2: one batch decodes its images (or is split and
   * answered) while the other runs; TensorFlow's threads are shared between the two.
   */
  concurrency?: number;
}

export interface BatchRunOptions {
  /** Rejects the request (queued: it leaves the queue; running: its rows are dropped). */
  signal?: AbortSignal;
  /** Deadline from the call, ms (an integer in 1..2^31-1, model.run's rule): TfError DEADLINE_EXCEEDED, queued or running. */
  timeoutMs?: number;
}

/** An encoded image (JPEG, PNG, ...) or a uint8 Mat, for an input the batcher preprocesses. */
export type BatchImage = ArrayBufferView | ArrayBuffer | Mat;
/** A feed of the batcher: what Model.run takes, or image(s) for a preprocessed input. */
export type BatchFeed = Feed | BatchImage | readonly BatchImage[];
export type BatchFeeds = Record<string, BatchFeed>;

// `tensor`: the caller's own Tensor, fed as is when its request makes a batch on its own.
type Part = { images: Array<ArrayBufferView | ArrayBuffer | Mat> } | { data: Uint8Array; tensor: Tensor | undefined };

interface Pending {
  key: string;
  rows: number;
  parts: Part[];
  arrived: number;
  deadline: number;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  resolve: (outputs: Outputs) => void;
  reject: (error: unknown) => void;
  state: 'queued' | 'running' | 'done';
  /** The scope run() was called in: its outputs are that scope's, whoever's context ran the batch. */
  owner: ScopeOwner;
}

interface InputPlan {
  key: string;
  spec: TensorSpec;
  image: ResolvedPreprocessSpec | undefined;
}

interface Queue {
  items: Pending[];
  rows: number;
  /** dtype and row shape per input (tensor inputs), fixed by the first request of this key. */
  layouts: Array<{ dtype: string; rowShape: number[] } | null>;
}

const now = () => performance.now();
/** Largest batch (rows), and so the most allowed batch sizes. */
const MAX_BATCH_SIZE = 65536;
/** Most output keys options.outputs may list. */
const MAX_OUTPUTS = 4096;

function deadlineError(timeoutMs: number, where: string): TfError {
  const error = new TfError(`batcher: the deadline of ${timeoutMs} ms passed while ${where}`);
  (error as { tfCode: string }).tfCode = 'DEADLINE_EXCEEDED';
  return error;
}

export class Batcher {
  /** Settles when the warm-up runs are done (at once without `warmup`); rejects with their error. */
  readonly ready: Promise<void>;
  readonly maxBatchSize: number;
  readonly allowedBatchSizes: readonly number[] | null;
  #model: Model;
  #inputs: InputPlan[];
  #signature: string;
  #outputs: string[] | undefined;
  #maxDelayMs: number;
  #maxQueue: number;
  #concurrency: number;
  #queues = new Map<string, Queue>();
  #queued = 0;
  #running = 0;
  #warming = false;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;
  #drained: (() => void) | undefined;
  #counters = new BatcherCounters();

  /** @internal A real Batcher, not a look-alike. */
  static isBatcher(value: unknown): value is Batcher {
    return typeof value === 'object' && value !== null && #model in value;
  }

  /** @internal Use model.batcher(options). */
  constructor(model: Model, options?: BatcherOptions) {
    if (!Model.isModel(model))
      throw new ArgumentError(`model: expected a Model (use model.batcher()), got ${v.describe(model)}`);
    const o = v.optionsObject(options, BATCHER_KEYS);
    if (model.disposed) throw new DisposedError('model.batcher: the model was disposed');
    this.#model = model;
    if (o.signature !== undefined && typeof o.signature !== 'string')
      throw new ArgumentError(`options.signature: expected a string, got ${v.describe(o.signature)}`);
    this.#signature = o.signature ?? model.defaultSignature;
    const inputs = model.inputs(this.#signature);
    const outputs = model.outputs(this.#signature);
    if (o.outputs !== undefined) {
      const keys = v.arrayItems(o.outputs, 'options.outputs', MAX_OUTPUTS, 'a non-empty array of output keys');
      if (keys.length === 0)
        throw new ArgumentError('options.outputs: expected a non-empty array of output keys, got an empty array');
      for (const key of keys) {
        if (typeof key !== 'string' || (model.format === 'saved-model' && !(key in outputs))) {
          throw new ArgumentError(
            `options.outputs: unknown output ${v.describe(key)} (available: ${Object.keys(outputs).join(', ')})`,
          );
        }
      }
      this.#outputs = keys as string[];
    }
    for (const key of this.#outputs ?? Object.keys(outputs)) {
      if (outputs[key]?.dtype === 'string')
        throw new ArgumentError(
          `options.outputs: output '${key}' is a string tensor; the batcher splits numeric outputs only`,
        );
    }
    let allowed: number[] | null = null;
    if (o.allowedBatchSizes !== undefined) {
      // Length first, then index by index: a hole is refused (undefined is no integer) and a
      // sparse array of length 2**32-1 is an error before anything iterates it.
      const sizes = v.arrayItems(
        o.allowedBatchSizes,
        'options.allowedBatchSizes',
        MAX_BATCH_SIZE,
        'a non-empty array of ascending integers',
      );
      if (sizes.length === 0)
        throw new ArgumentError(
          'options.allowedBatchSizes: expected a non-empty array of ascending integers, got an empty array',
        );
      allowed = sizes.map((n, i) => v.integer(n, `options.allowedBatchSizes[${i}]`, 1, MAX_BATCH_SIZE));
      allowed.forEach((n, i) => {
        if (i > 0 && n <= allowed![i - 1]!)
          throw new ArgumentError(`options.allowedBatchSizes: expected ascending sizes, got [${allowed!.join(',')}]`);
      });
    }
    const largest = allowed ? allowed[allowed.length - 1]! : 8;
    this.maxBatchSize =
      o.maxBatchSize === undefined ? largest : v.integer(o.maxBatchSize, 'options.maxBatchSize', 1, MAX_BATCH_SIZE);
    if (allowed && this.maxBatchSize !== largest) {
      throw new ArgumentError(
        `options.maxBatchSize: ${this.maxBatchSize} must equal the largest of options.allowedBatchSizes (${largest})`,
      );
    }
    this.allowedBatchSizes = allowed ? Object.freeze(allowed) : null;
    this.#maxDelayMs = o.maxDelayMs === undefined ? 2 : nonNegative(o.maxDelayMs, 'options.maxDelayMs');
    this.#maxQueue = o.maxQueue === undefined ? 256 : v.integer(o.maxQueue, 'options.maxQueue', 1);
    this.#concurrency = o.concurrency === undefined ? 2 : v.integer(o.concurrency, 'options.concurrency', 1, 64);
    if (o.warmup !== undefined && typeof o.warmup !== 'boolean')
      throw new ArgumentError(`options.warmup: expected a boolean, got ${v.describe(o.warmup)}`);
    if (o.preprocess !== undefined && (o.preprocess === null || typeof o.preprocess !== 'object')) {
      throw new ArgumentError(
        `options.preprocess: expected a partial preprocess spec, got ${v.describe(o.preprocess)}`,
      );
    }
    if (o.preprocess !== undefined) v.optionsObject(o.preprocess, BATCHER_PREPROCESS_KEYS, 'options.preprocess');
    this.#inputs = Object.entries(inputs).map(([key, spec]) => {
      if (spec.shape !== null && (spec.shape.length === 0 || spec.shape[0]! >= 0)) {
        throw new ShapeError(
          `input '${key}': the batcher needs a batch dim of unknown size first, the signature says [${spec.shape.join(',')}]`,
        );
      }
      const isImage =
        o.preprocess !== undefined &&
        spec.shape !== null &&
        spec.shape.length === 4 &&
        (spec.dtype === 'float32' || spec.dtype === 'uint8');
      return {
        key,
        spec,
        image: isImage ? specFromSignature(spec as { dtype: string; shape: number[] }, o.preprocess) : undefined,
      };
    });
    if (o.warmup === true) {
      const feeds = this.#inputs.map((input) => warmupRowShape(input));
      this.#warming = true;
      this.ready = unscoped(() => this.#warmup(feeds)).finally(() => {
        this.#warming = false;
        this.#schedule();
      });
      this.ready.catch(() => {}); // reported through `ready`; requests still run afterwards
    } else {
      this.ready = Promise.resolve();
    }
  }

  /**
   * Runs `feeds` (each with a batch dim of 1..maxBatchSize, the same for all inputs, or
   * encoded images for preprocessed inputs) as part of a batch. Resolves with the caller's
   * rows of each output: zero-copy views that keep the batch output alive, owned by the
   * caller (dispose in any order). Rejects with BusyError when the queue is full,
   * TfError DEADLINE_EXCEEDED past `timeoutMs`, AbortError on `signal`, DisposedError after close().
   */
  run(feeds: BatchFeeds, options?: BatchRunOptions): Promise<Outputs> {
    return withCallerStack(new Promise<Outputs>((resolve, reject) => this.#enqueue(feeds, options, resolve, reject)));
  }

  /** Counters, the batch-size histogram and the queue-wait / run-time percentiles since creation. */
  stats(): BatcherStats {
    return this.#counters.snapshot(this.#queued, this.#running);
  }

  /**
   * Refuses new requests (DisposedError), runs everything queued without waiting for company,
   * and settles when the last batch is done and the warm-up runs (if any) have ended.
   */
  close(): Promise<void> {
    this.#closing = true;
    this.#schedule();
    // The warm-up's runs are batches too: disposing the model after close() must not race them.
    const warm = this.ready.then(
      () => {},
      () => {},
    );
    if (this.#queued === 0 && this.#running === 0) return warm;
    const drained = new Promise<void>((resolve) => {
      const previous = this.#drained;
      this.#drained = () => {
        previous?.();
        resolve();
      };
    });
    return Promise.all([warm, drained]).then(() => {});
  }

  /** True after close(). */
  get closed(): boolean {
    return this.#closing;
  }

  #enqueue(
    feeds: BatchFeeds,
    options: BatchRunOptions | undefined,
    resolve: (o: Outputs) => void,
    reject: (e: unknown) => void,
  ): void {
    try {
      if (this.#closing) throw new DisposedError('batcher.run: the batcher is closed');
      const o = v.optionsObject(options, BATCH_RUN_KEYS);
      const signal = o.signal;
      if (signal !== undefined && !(signal instanceof AbortSignal))
        throw new ArgumentError(`options.signal: expected an AbortSignal, got ${v.describe(signal)}`);
      // The rule model.run applies to the batch's own deadline, checked here: an option one
      // request passes never fails the other requests of its batch.
      const timeoutMs = o.timeoutMs === undefined ? undefined : v.timeoutMs(o.timeoutMs, 'options.timeoutMs');
      if (signal?.aborted) throw new AbortError('batcher.run: aborted before it started');
      const { key, rows, parts, layouts } = this.#readFeeds(feeds);
      if (this.#queued >= this.#maxQueue) {
        this.#counters.rejected.full++;
        throw new BusyError(
          `batcher.run: the queue is full (${this.#queued} requests waiting, maxQueue ${this.#maxQueue})`,
        );
      }
      const p: Pending = {
        key,
        rows,
        parts,
        arrived: now(),
        deadline: timeoutMs === undefined ? Infinity : now() + timeoutMs,
        timer: undefined,
        signal,
        onAbort: undefined,
        resolve,
        reject,
        state: 'queued',
        owner: scopeOwner(),
      };
      if (timeoutMs !== undefined) {
        p.timer = setTimeout(() => {
          this.#counters.rejected.deadline++;
          this.#drop(p, deadlineError(timeoutMs, p.state === 'queued' ? 'queued' : 'its batch was running'));
        }, timeoutMs);
      }
      if (signal !== undefined) {
        p.onAbort = () => {
          this.#counters.rejected.aborted++;
          this.#drop(
            p,
            new AbortError(p.state === 'queued' ? 'batcher.run: aborted while queued' : 'batcher.run: aborted'),
          );
        };
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      let queue = this.#queues.get(key);
      if (queue === undefined) {
        queue = { items: [], rows: 0, layouts };
        this.#queues.set(key, queue);
      }
      queue.items.push(p);
      queue.rows += rows;
      this.#queued++;
      // Same-tick callers (Promise.all) share one batch: scheduling waits for the microtask.
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => {
          this.#scheduled = false;
          this.#schedule();
        });
      }
    } catch (error) {
      reject(error);
    }
  }

  /** Checks the feeds against the signature and reads them into plain parts; the queue key is the non-batch shapes. */
  #readFeeds(feeds: BatchFeeds) {
    checkFeedKeys(
      feeds,
      this.#inputs.map((i) => i.key),
    );
    const tensorInputs: Record<string, TensorSpec> = {};
    const tensorFeeds: Record<string, Feed> = {};
    const imageParts = new Map<string, Array<ArrayBufferView | ArrayBuffer | Mat>>();
    for (const input of this.#inputs) {
      const feed = feeds[input.key];
      if (input.image && feed !== undefined && isImageFeed(feed)) {
        const list = Array.isArray(feed) ? [...feed] : [feed as BatchImage];
        if (list.length === 0)
          throw new ArgumentError(`input '${input.key}': expected at least one image, got an empty array`);
        imageParts.set(
          input.key,
          list.map((image, i) => {
            if (image instanceof Mat) {
              matHandle(image); // DisposedError now rather than in the batch
              return image;
            }
            if (!v.isBinary(image))
              throw new ArgumentError(
                `input '${input.key}'[${i}]: expected a Buffer (an encoded image) or a Mat, got ${v.describe(image)}`,
              );
            // Copied: the caller may reuse its buffer while the request waits.
            const bytes =
              image instanceof ArrayBuffer
                ? new Uint8Array(image)
                : new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
            return bytes.slice();
          }),
        );
      } else {
        tensorInputs[input.key] = input.spec;
        if (feed !== undefined) tensorFeeds[input.key] = feed as Feed;
      }
    }
    const prepared = prepareFeeds(tensorFeeds, tensorInputs, 'batcher');
    try {
      let rows = -1;
      const keyParts: string[] = [];
      const parts: Part[] = [];
      const layouts: Queue['layouts'] = [];
      let t = 0;
      for (const input of this.#inputs) {
        const images = imageParts.get(input.key);
        let n: number;
        if (images) {
          n = images.length;
          parts.push({ images });
          layouts.push(null);
          keyParts.push('image');
        } else {
          const tensor = prepared.tensors[t++]!;
          const shape = tensor.shape;
          if (shape.length === 0)
            throw new ShapeError(`input '${input.key}': expected a batch dim first, got a scalar`);
          if (tensor.dtype === 'string')
            throw new ArgumentError(
              `input '${input.key}': the batcher concatenates numeric inputs only, got a string tensor`,
            );
          n = shape[0]!;
          const rowShape = shape.slice(1);
          const view = tensor.data as ArrayBufferView;
          const own = prepared.temporaries.includes(tensor) ? undefined : tensor;
          parts.push({ data: new Uint8Array(view.buffer, view.byteOffset, view.byteLength), tensor: own });
          layouts.push({ dtype: tensor.dtype, rowShape });
          keyParts.push(`${tensor.dtype}[${rowShape.join(',')}]`);
        }
        if (n < 1 || n > this.maxBatchSize)
          throw new ShapeError(
            `input '${input.key}': expected a batch of 1..${this.maxBatchSize} (maxBatchSize), got ${n}`,
          );
        if (rows !== -1 && n !== rows)
          throw new ShapeError(`input '${input.key}': batch of ${n}, but the other inputs have ${rows}`);
        rows = n;
      }
      return { key: keyParts.join(';'), rows, parts, layouts };
    } finally {
      // Their data views (held in `parts`) keep the memory alive.
      for (const tensor of prepared.temporaries) tensor.dispose();
    }
  }

  /** Rejects a request at once: a queued one leaves its queue; a running one's rows are dropped when its batch ends. */
  #drop(p: Pending, error: unknown): void {
    if (p.state === 'done') return;
    if (p.state === 'queued') {
      const queue = this.#queues.get(p.key)!;
      queue.items.splice(queue.items.indexOf(p), 1);
      queue.rows -= p.rows;
      this.#queued--;
      if (queue.items.length === 0) this.#queues.delete(p.key);
      this.#checkDrained();
    }
    this.#settle(p);
    p.reject(error);
  }

  #settle(p: Pending): void {
    p.state = 'done';
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (p.onAbort !== undefined) p.signal!.removeEventListener('abort', p.onAbort);
  }

  #checkDrained(): void {
    if (this.#queued === 0 && this.#running === 0 && this.#drained) {
      const done = this.#drained;
      this.#drained = undefined;
      done();
    }
  }

  /**
   * Starts every batch that is due: all of them while nothing runs (an idle model never
   * waits), else a full one or one whose oldest request waited maxDelayMs, or all when
   * closing. Otherwise sets a timer for the first one due.
   */
  #schedule(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#warming) return;
    while (this.#running < this.#concurrency && this.#queued > 0) {
      const t = now();
      let due: Queue | undefined;
      let wait = Infinity;
      // Oldest head first: no shape starves another.
      const queues = [...this.#queues.values()].sort((a, b) => a.items[0]!.arrived - b.items[0]!.arrived);
      for (const q of queues) {
        const head = q.items[0]!;
        const left = head.arrived + this.#maxDelayMs - t;
        if (this.#closing || this.#running === 0 || q.rows >= this.maxBatchSize || left <= 0) {
          due = q;
          break;
        }
        wait = Math.min(wait, left);
      }
      if (due === undefined) {
        this.#timer = setTimeout(() => this.#schedule(), Math.max(0, wait));
        return;
      }
      this.#start(due);
    }
  }

  #start(queue: Queue): void {
    const batch: Pending[] = [];
    let rows = 0;
    while (queue.items.length > 0 && rows + queue.items[0]!.rows <= this.maxBatchSize) {
      const p = queue.items.shift()!;
      rows += p.rows;
      batch.push(p);
    }
    queue.rows -= rows;
    this.#queued -= batch.length;
    if (queue.items.length === 0) this.#queues.delete(batch[0]!.key);
    this.#running++;
    const started = now();
    for (const p of batch) {
      p.state = 'running';
      this.#counters.recordWait(started - p.arrived);
    }
    // A batch serves several callers: it runs outside every scope (a caller's scope closing
    // must not dispose the batch's tensors), and each caller's outputs go to its own scope.
    unscoped(() => this.#runBatch(batch, rows, queue.layouts, started)).finally(() => {
      this.#running--;
      this.#checkDrained();
      this.#schedule();
    });
  }

  #sizeFor(rows: number): number {
    if (this.allowedBatchSizes === null) return rows;
    return this.allowedBatchSizes.find((n) => n >= rows)!;
  }

  async #runBatch(batch: Pending[], rows: number, layouts: Queue['layouts'], started: number): Promise<void> {
    const size = this.#sizeFor(rows);
    const feeds: Record<string, Tensor> = {};
    const borrowed = new Set<Tensor>();
    // A request alone in an unpadded batch: its tensors are fed and its outputs handed over
    // as they are, so a lone request costs what model.run costs.
    const alone = batch.length === 1 && size === rows;
    let outputs: Outputs | undefined;
    try {
      for (let i = 0; i < this.#inputs.length; i++) {
        const input = this.#inputs[i]!;
        const layout = layouts[i];
        const own =
          alone && layout !== null ? (batch[0]!.parts[i] as { tensor: Tensor | undefined }).tensor : undefined;
        if (own !== undefined && !own.disposed) {
          feeds[input.key] = own;
          borrowed.add(own);
        } else {
          feeds[input.key] =
            layout === null ? await this.#imageBatch(batch, i, input, size) : concatenate(batch, i, layout, size);
        }
      }
      const live = batch.filter((p) => p.state === 'running');
      if (live.length === 0) return; // every caller gave up: skip the run
      // TensorFlow ends the run once no caller is waiting for it any more.
      const latest = Math.max(...live.map((p) => p.deadline));
      const timeoutMs = Number.isFinite(latest) ? Math.max(1, Math.ceil(latest - now())) : undefined;
      outputs = await this.#model.run(feeds, { signature: this.#signature, outputs: this.#outputs, timeoutMs });
      if (alone && batch[0]!.state === 'running') {
        const p = batch[0]!;
        const mine = outputs;
        outputs = undefined; // the caller's now
        this.#counters.requests++;
        this.#settle(p);
        adopt(p.owner, Object.values(mine));
        p.resolve(mine);
      } else {
        this.#split(batch, outputs, size);
      }
      this.#counters.recordBatch(rows, size - rows, now() - started);
    } catch (error) {
      for (const p of batch) {
        if (p.state !== 'running') continue;
        this.#counters.rejected.failed++;
        this.#settle(p);
        p.reject(error);
      }
    } finally {
      for (const t of Object.values(feeds)) if (!borrowed.has(t)) t.dispose();
      // The callers' views hold the batch outputs' memory; these handles can go.
      if (outputs) for (const t of Object.values(outputs)) t.dispose();
    }
  }

  /** Decodes the batch's images straight into their rows; an image that fails rejects its request only. */
  async #imageBatch(batch: Pending[], index: number, input: InputPlan, size: number): Promise<Tensor> {
    const list: Array<ArrayBufferView | ArrayBuffer | ReturnType<typeof matHandle>> = [];
    const owners: Pending[] = [];
    for (const p of batch) {
      const { images } = p.parts[index] as { images: Array<ArrayBufferView | ArrayBuffer | Mat> };
      for (const image of images) {
        if (image instanceof Mat && image.disposed) {
          // The row stays (a byte that fails to decode leaves it zeros); the request fails now.
          list.push(new Uint8Array(1));
          if (p.state === 'running') {
            this.#counters.rejected.failed++;
            this.#settle(p);
            p.reject(new DisposedError(`input '${input.key}': the Mat was disposed while the request was queued`));
          }
        } else {
          list.push(image instanceof Mat ? matHandle(image) : image);
        }
        owners.push(p);
      }
    }
    const result = await withCallerStack(native.preprocessRows(list, nativeSpec(input.image!), size));
    result.failures.forEach((failure, i) => {
      const p = owners[i]!;
      if (failure === null || p.state !== 'running') return;
      // "images[i]" is the row in the batch, meaningless to this caller.
      failure.message = `input '${input.key}': ${failure.message.replace(/^images\[\d+\]: /, '')}`;
      this.#counters.rejected.failed++;
      this.#settle(p);
      p.reject(failure);
    });
    return new Tensor(result.tensor);
  }

  /** Hands each live request its rows of every output, as zero-copy views. */
  #split(batch: Pending[], outputs: Outputs, size: number): void {
    for (const [key, out] of Object.entries(outputs)) {
      const shape = out.shape;
      if (shape.length === 0 || shape[0] !== size) {
        throw new ShapeError(
          `output '${key}': expected the batch dim first ([${size},...]), got [${shape.join(',')}]; this output cannot be split per request`,
        );
      }
    }
    let row = 0;
    for (const p of batch) {
      const first = row;
      row += p.rows;
      if (p.state !== 'running') continue;
      const mine: Outputs = {};
      for (const [key, out] of Object.entries(outputs)) {
        mine[key] = new Tensor(native.tensorRows(tensorHandle(out), first, p.rows));
      }
      this.#counters.requests++;
      this.#settle(p);
      adopt(p.owner, Object.values(mine));
      p.resolve(mine);
    }
  }

  async #warmup(rowShapes: Array<{ dtype: string; rowShape: number[] }>): Promise<void> {
    const sizes = this.allowedBatchSizes ?? [...new Set([1, this.maxBatchSize])];
    for (const size of sizes) {
      const feeds: Record<string, Tensor> = {};
      try {
        this.#inputs.forEach((input, i) => {
          const { dtype, rowShape } = rowShapes[i]!;
          const t = Tensor.alloc(dtype as 'float32', [size, ...rowShape]);
          new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).fill(0);
          feeds[input.key] = t;
        });
        const out = await this.#model.run(feeds, { signature: this.#signature, outputs: this.#outputs });
        for (const t of Object.values(out)) t.dispose();
      } finally {
        for (const t of Object.values(feeds)) t.dispose();
      }
    }
  }
}

guardReceivers(Batcher, (x) => Batcher.isBatcher(x));

function isImageFeed(feed: unknown): boolean {
  if (feed instanceof Mat || v.isBinary(feed)) return true;
  // The length bound keeps a sparse array of length 2**32-1 from being walked.
  return (
    Array.isArray(feed) &&
    feed.length > 0 &&
    feed.length <= 65536 &&
    feed.every((f) => f instanceof Mat || v.isBinary(f))
  );
}

/** One aligned batch tensor: each request's bytes at its rows, zero rows as padding. */
function concatenate(
  batch: Pending[],
  index: number,
  layout: { dtype: string; rowShape: number[] },
  size: number,
): Tensor {
  const tensor = Tensor.alloc(layout.dtype as 'float32', [size, ...layout.rowShape]);
  const view = tensor.data as ArrayBufferView;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let offset = 0;
  for (const p of batch) {
    const { data } = p.parts[index] as { data: Uint8Array };
    bytes.set(data, offset);
    offset += data.byteLength;
  }
  bytes.fill(0, offset);
  return tensor;
}

function warmupRowShape(input: InputPlan): { dtype: string; rowShape: number[] } {
  if (input.image) {
    const s = input.image;
    return {
      dtype: s.dtype,
      rowShape: s.layout === 'NHWC' ? [s.height, s.width, s.channels] : [s.channels, s.height, s.width],
    };
  }
  const shape = input.spec.shape;
  if (shape === null || shape.slice(1).some((d) => d < 0)) {
    throw new ArgumentError(
      `options.warmup: input '${input.key}' has unknown dims ([${shape?.join(',') ?? '?'}]); warm up with your own run() instead`,
    );
  }
  if (input.spec.dtype === 'string') throw new ArgumentError(`options.warmup: input '${input.key}' is a string tensor`);
  return { dtype: input.spec.dtype, rowShape: shape.slice(1) };
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ArgumentError(`${name}: expected a number >= 0, got ${v.describe(value)}`);
  return value;
}
