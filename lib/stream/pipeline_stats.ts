// What a stream pipeline reports through stats(): per source and in total, frames in,
// processed, dropped by the flow policy, failed, processed frames per second, the
// capture-to-result latency and processing time percentiles (HDR histograms over the whole
// run, plus the last 512 results for a live view), and the queue depth now.
import { RecordableHistogram, createHistogram } from 'node:perf_hooks';
import type { VideoSourceStats } from './video_source';

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface StreamCounters {
  /** Frames taken from the source. */
  frames: number;
  /** Frames whose result was delivered. */
  processed: number;
  /** Frames dropped by the flow policy (replaced by a newer one, or the oldest of a full queue). */
  dropped: number;
  /** Frames whose process() threw (onError 'skip'). */
  failed: number;
  /** Processed frames per second over the last 2 seconds. */
  fps: number;
  /** From the frame's arrival from the decoder to its result, ms: the whole run / the last 512 results. */
  latencyMs: Percentiles;
  recentLatencyMs: Percentiles;
  /** process() time, ms (whole run). */
  processMs: Percentiles;
  /** Frames waiting for a slot now. */
  queued: number;
  /** Frames being processed (or whose result the consumer has not taken yet) now. */
  inFlight: number;
}

export interface PipelineStats extends StreamCounters {
  policy: string;
  sources: Record<string, StreamCounters & { source: VideoSourceStats }>;
}

const RECENT = 512;

function fromHistogram(h: RecordableHistogram): Percentiles {
  return h.count === 0
    ? { p50: 0, p99: 0, max: 0 }
    : { p50: h.percentile(50) / 1000, p99: h.percentile(99) / 1000, max: h.max / 1000 };
}

function fromSamples(samples: Float64Array, count: number): Percentiles {
  const n = Math.min(count, RECENT);
  if (n === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = samples.slice(0, n).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted[n - 1]! };
}

/** @internal Counters of one source, or of all of them. */
export class FlowCounters {
  frames = 0;
  processed = 0;
  dropped = 0;
  failed = 0;
  readonly latency = createHistogram();
  readonly processTime = createHistogram();
  #recent = new Float64Array(RECENT);
  #recentCount = 0;
  #doneAt: number[] = [];

  recordResult(latencyMs: number, processMs: number, at: number): void {
    this.processed++;
    this.latency.record(Math.max(1, Math.round(latencyMs * 1000)));
    this.processTime.record(Math.max(1, Math.round(processMs * 1000)));
    this.#recent[this.#recentCount++ % RECENT] = latencyMs;
    this.#doneAt.push(at);
    while (this.#doneAt.length > 0 && this.#doneAt[0]! < at - 2000) this.#doneAt.shift();
  }

  fps(now: number): number {
    while (this.#doneAt.length > 0 && this.#doneAt[0]! < now - 2000) this.#doneAt.shift();
    if (this.#doneAt.length < 2) return 0;
    const span = Math.max(now - this.#doneAt[0]!, 1);
    return (this.#doneAt.length / span) * 1000;
  }

  snapshot(queued: number, inFlight: number, now: number): StreamCounters {
    return {
      frames: this.frames,
      processed: this.processed,
      dropped: this.dropped,
      failed: this.failed,
      fps: this.fps(now),
      latencyMs: fromHistogram(this.latency),
      recentLatencyMs: fromSamples(this.#recent, this.#recentCount),
      processMs: fromHistogram(this.processTime),
      queued,
      inFlight,
    };
  }
}
