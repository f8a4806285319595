// A stream pipeline: frames from one or more video sources through an async process()
// (a model run, usually through one shared Batcher so frames of several sources share
// batches), with an explicit policy for when processing is slower than the source:
//  - 'latest': at most maxInFlight frames per source in process; while they are busy the
//    source is still read, and only the newest frames wait (`queue`, default 1) — an older
//    waiting frame is dropped when a newer one arrives (MediaPipe's FlowLimiterCalculator).
//    Latency stays bounded by one process time plus about one frame interval.
//  - 'wait': every frame, in order; the source is not read while the slots are busy, so the
//    decoder is held back through the pipe (files: nothing lost; live sources: they lag).
//  - 'drop-oldest': a FIFO of `queue` frames (default 8); when full, the oldest is dropped.
// Results come out per source in frame order, tagged with the source, and each frame's Mat
// is disposed when the consumer asks for the next result (clone() it to keep it).
import { ArgumentError, TfcvError } from '../errors';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import { refuseUnknownKey } from '../option_keys';
import * as v from '../validate';
import { FlowCounters, PipelineStats } from './pipeline_stats';
import { VideoFrame, VideoSource } from './video_source';

export type FlowPolicy = 'latest' | 'wait' | 'drop-oldest';

export interface PipelineOptions<R> {
  /** What runs per frame (e.g. detector(model)): its value becomes result.value. */
  process: (frame: VideoFrame) => Promise<R> | R;
  /** Default 'latest'. */
  policy?: FlowPolicy;
  /** Frames of one source in process at once (and not yet taken by the consumer). Default 1. */
  maxInFlight?: number;
  /** Frames of one source waiting for a slot: 'latest' default 1, 'drop-oldest' default 8; 'wait' takes none. */
  queue?: number;
  /** When process() throws: 'throw' (default; the iterator rejects and the pipeline closes) or 'skip' (counted as failed). */
  onError?: 'throw' | 'skip';
}

export interface PipelineResult<R> {
  /** The source's name. */
  source: string;
  /** The frame; its Mat lives until the next result is asked for. */
  frame: VideoFrame;
  value: R;
  /** From the frame's arrival to its result, ms. */
  latencyMs: number;
  /** process() time, ms. */
  processMs: number;
}

const OPTION_KEYS = ['process', 'policy', 'maxInFlight', 'queue', 'onError'];

interface Lane {
  source: VideoSource;
  counters: FlowCounters;
  waiting: VideoFrame[];
  inFlight: number;
  /** Next sequence number to start, and to deliver (results leave in frame order). */
  started: number;
  delivered: number;
  ready: Map<number, PipelineResult<unknown> | null>;
  /** Wakes a 'wait' pump when a slot frees. */
  slotFreed: (() => void) | undefined;
  done: boolean;
}

/**
 * Runs `options.process` on the frames of `sources` with a flow policy; iterate the
 * returned pipeline for results. Leaving the loop closes the pipeline and its sources.
 */
export function streamPipeline<R>(
  sources: VideoSource | readonly VideoSource[],
  options: PipelineOptions<R>,
): StreamPipeline<R> {
  return new StreamPipeline(sources, options);
}

export class StreamPipeline<R> implements AsyncIterable<PipelineResult<R>> {
  readonly policy: FlowPolicy;
  readonly maxInFlight: number;
  readonly queue: number;
  #process: (frame: VideoFrame) => Promise<R> | R;
  #onError: 'throw' | 'skip';
  #lanes: Lane[];
  #total = new FlowCounters();
  #out: PipelineResult<R>[] = [];
  #waiter: { resolve: (r: IteratorResult<PipelineResult<R>>) => void; reject: (e: unknown) => void } | undefined;
  #error: unknown;
  #started = false;
  #closing: Promise<void> | undefined;
  #handed: PipelineResult<R> | undefined;
  #iterating = false;

  constructor(sources: VideoSource | readonly VideoSource[], options: PipelineOptions<R>) {
    markConstructed(this);
    const list = sources instanceof VideoSource ? [sources] : sources;
    if (!Array.isArray(list) || list.length === 0 || !list.every((s) => s instanceof VideoSource))
      throw new ArgumentError(
        `sources: expected a VideoSource or a non-empty array of them (openVideo()), got ${v.describe(sources)}`,
      );
    const names = new Set(list.map((s: VideoSource) => s.name));
    if (names.size !== list.length)
      throw new ArgumentError(
        `sources: two sources have the same name; give each its own with openVideo(..., { name })`,
      );
    if (options === null || typeof options !== 'object')
      throw new ArgumentError(
        `options: expected { process, policy?, maxInFlight?, queue?, onError? }, got ${v.describe(options)}`,
      );
    for (const key of Object.keys(options))
      if (!OPTION_KEYS.includes(key)) refuseUnknownKey(key, 'streamPipeline', OPTION_KEYS, 'options');
    if (typeof options.process !== 'function')
      throw new ArgumentError(
        `options.process: expected a function (frame) => result, got ${v.describe(options.process)}`,
      );
    this.#process = options.process;
    this.policy = v.oneOf(options.policy, ['latest', 'wait', 'drop-oldest'] as const, 'options.policy', 'latest');
    this.maxInFlight = v.integer(options.maxInFlight ?? 1, 'options.maxInFlight', 1, 1024);
    if (this.policy === 'wait' && options.queue !== undefined)
      throw new ArgumentError(
        `options.queue: the 'wait' policy queues nothing (the source's own queue holds frames); remove the option`,
      );
    this.queue = v.integer(options.queue ?? (this.policy === 'drop-oldest' ? 8 : 1), 'options.queue', 1, 1024);
    this.#onError = v.oneOf(options.onError, ['throw', 'skip'] as const, 'options.onError', 'throw');
    this.#lanes = list.map((source: VideoSource) => ({
      source,
      counters: new FlowCounters(),
      waiting: [],
      inFlight: 0,
      started: 0,
      delivered: 0,
      ready: new Map(),
      slotFreed: undefined,
      done: false,
    }));
  }

  [Symbol.asyncIterator](): AsyncIterator<PipelineResult<R>> {
    if (this.#iterating) throw new ArgumentError('pipeline: already being iterated; a pipeline has one consumer');
    this.#iterating = true;
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /** The next result (any source); { done: true } when every source ended. Rejects on a source or process error. */
  next(): Promise<IteratorResult<PipelineResult<R>>> {
    if (this.#waiter)
      return Promise.reject(new ArgumentError('pipeline: next() called again before the last call settled'));
    this.#release();
    if (!this.#started) this.#start();
    const r = this.#out.shift();
    if (r) return Promise.resolve(this.#hand(r));
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#error = undefined;
      return this.close().then(() => Promise.reject(error));
    }
    if (this.#closing || this.#lanes.every((l) => l.done && l.inFlight === 0 && l.waiting.length === 0))
      return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  /** Counters per source and in total (see PipelineStats). */
  stats(): PipelineStats {
    const now = performance.now();
    const sources: PipelineStats['sources'] = {};
    let queued = 0;
    let inFlight = 0;
    for (const l of this.#lanes) {
      queued += l.waiting.length;
      inFlight += l.inFlight;
      sources[l.source.name] = { ...l.counters.snapshot(l.waiting.length, l.inFlight, now), source: l.source.stats() };
    }
    return { policy: this.policy, ...this.#total.snapshot(queued, inFlight, now), sources };
  }

  /** Stops reading, closes every source (decoders reaped), waits for running process() calls and disposes every frame it holds. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      for (const l of this.#lanes) {
        for (const f of l.waiting.splice(0)) f.mat.dispose();
        l.slotFreed?.();
      }
      await Promise.all(this.#lanes.map((l) => l.source.close()));
      this.#release();
      // Running process() calls finish on their own; their frames are disposed when they settle.
      await this.#idle();
      for (const r of this.#out.splice(0)) r.frame.mat.dispose();
      const w = this.#waiter;
      this.#waiter = undefined;
      w?.resolve({ done: true, value: undefined });
    })();
    return this.#closing;
  }

  #idleWaiters: Array<() => void> = [];
  #idle(): Promise<void> {
    if (this.#lanes.every((l) => l.inFlight === 0)) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #hand(r: PipelineResult<R>): IteratorResult<PipelineResult<R>> {
    this.#handed = r;
    return { done: false, value: r };
  }

  /** The consumer is done with the last result: its frame is disposed and its slot freed. */
  #release(): void {
    const r = this.#handed;
    if (!r) return;
    this.#handed = undefined;
    r.frame.mat.dispose();
    const lane = this.#lanes.find((l) => l.source.name === r.source)!;
    this.#freeSlot(lane);
  }

  #freeSlot(lane: Lane): void {
    lane.inFlight--;
    if (this.#lanes.every((l) => l.inFlight === 0)) for (const w of this.#idleWaiters.splice(0)) w();
    if (this.#closing) return;
    const wake = lane.slotFreed;
    lane.slotFreed = undefined;
    wake?.();
    this.#startWaiting(lane);
    this.#maybeFinish();
  }

  #start(): void {
    this.#started = true;
    for (const lane of this.#lanes) void this.#pump(lane);
  }

  async #pump(lane: Lane): Promise<void> {
    try {
      for (;;) {
        if (this.#closing) break;
        if (this.policy === 'wait' && lane.inFlight >= this.maxInFlight) {
          await new Promise<void>((resolve) => (lane.slotFreed = resolve));
          continue;
        }
        const r = await lane.source.next();
        if (r.done || this.#closing) {
          if (!r.done) r.value.mat.dispose();
          break;
        }
        lane.counters.frames++;
        this.#total.frames++;
        this.#admit(lane, r.value);
      }
    } catch (error) {
      this.#failWith(error);
    } finally {
      lane.done = true;
      this.#maybeFinish();
    }
  }

  #admit(lane: Lane, frame: VideoFrame): void {
    if (lane.inFlight < this.maxInFlight && lane.waiting.length === 0) {
      this.#run(lane, frame);
      return;
    }
    lane.waiting.push(frame);
    while (lane.waiting.length > this.queue) this.#drop(lane, lane.waiting.shift()!);
  }

  #drop(lane: Lane, frame: VideoFrame): void {
    frame.mat.dispose();
    lane.counters.dropped++;
    this.#total.dropped++;
  }

  #startWaiting(lane: Lane): void {
    while (lane.inFlight < this.maxInFlight && lane.waiting.length > 0) {
      // 'latest' takes the newest frame and drops the older ones; the other policies go in order.
      if (this.policy === 'latest') while (lane.waiting.length > 1) this.#drop(lane, lane.waiting.shift()!);
      this.#run(lane, lane.waiting.shift()!);
    }
  }

  #run(lane: Lane, frame: VideoFrame): void {
    lane.inFlight++;
    const seq = lane.started++;
    const t0 = performance.now();
    let promise: Promise<R>;
    try {
      promise = Promise.resolve(this.#process(frame));
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => {
        const t1 = performance.now();
        const result: PipelineResult<R> = {
          source: lane.source.name,
          frame,
          value,
          latencyMs: t1 - frame.receivedAt,
          processMs: t1 - t0,
        };
        lane.counters.recordResult(result.latencyMs, result.processMs, t1);
        this.#total.recordResult(result.latencyMs, result.processMs, t1);
        this.#deliver(lane, seq, result as PipelineResult<unknown>);
      },
      (error: unknown) => {
        frame.mat.dispose();
        lane.counters.failed++;
        this.#total.failed++;
        this.#deliver(lane, seq, null);
        if (this.#onError === 'throw') this.#failWith(error);
      },
    );
  }

  /** Results leave per source in frame order; a failed frame (null) only frees its slot. */
  #deliver(lane: Lane, seq: number, result: PipelineResult<unknown> | null): void {
    lane.ready.set(seq, result);
    while (lane.ready.has(lane.delivered)) {
      const r = lane.ready.get(lane.delivered) as PipelineResult<R> | null;
      lane.ready.delete(lane.delivered);
      lane.delivered++;
      if (r === null) {
        this.#freeSlot(lane);
        continue;
      }
      if (this.#closing) {
        r.frame.mat.dispose();
        this.#freeSlot(lane);
        continue;
      }
      const w = this.#waiter;
      if (w) {
        this.#waiter = undefined;
        w.resolve(this.#hand(r));
      } else this.#out.push(r);
    }
  }

  #failWith(error: unknown): void {
    if (this.#error !== undefined || this.#closing) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      void this.close().then(() => w.reject(error));
    } else {
      this.#error = error instanceof TfcvError || error instanceof Error ? error : new Error(String(error));
      // Stop the sources now; the consumer sees the error at its next call.
      for (const l of this.#lanes) void l.source.close();
    }
  }

  #maybeFinish(): void {
    if (!this.#waiter || this.#out.length > 0) return;
    if (this.#lanes.every((l) => l.done && l.inFlight === 0 && l.waiting.length === 0)) {
      const w = this.#waiter;
      this.#waiter = undefined;
      w.resolve({ done: true, value: undefined });
    }
  }
}

guardReceivers(StreamPipeline, (x) => wasConstructed(x, StreamPipeline));
