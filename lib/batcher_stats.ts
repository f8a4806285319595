// What a Batcher reports through stats(): counters, the batch-size histogram and the
// queue-wait / run-time percentiles (Node's built-in HDR histograms, in microseconds).
import { RecordableHistogram, createHistogram } from 'node:perf_hooks';

export interface BatcherStats {
  /** Batches run (warm-up runs excluded). */
  batches: number;
  /** Requests answered with outputs. */
  requests: number;
  /** Rows (samples, images) run, padding excluded. */
  images: number;
  /** Mean rows per batch, padding excluded. */
  batchSizeMean: number;
  /** Batches by their real (unpadded) size: { '1': 10, '8': 3 }. */
  batchSizeHistogram: Record<string, number>;
  /** Padding rows / all rows run (0 without allowedBatchSizes). */
  paddingShare: number;
  /** Time from run() to the start of its batch, ms. */
  queueWaitMs: { p50: number; p99: number };
  /** Time of a batch from dispatch (preprocess of images included) to its outputs, ms. */
  runMs: { p50: number; p99: number };
  /** Requests refused or dropped, by reason. */
  rejected: { full: number; deadline: number; aborted: number; failed: number };
  /** Requests waiting now. */
  queued: number;
  /** Batches running now. */
  running: number;
}

const percentiles = (h: RecordableHistogram) =>
  h.count === 0 ? { p50: 0, p99: 0 } : { p50: h.percentile(50) / 1000, p99: h.percentile(99) / 1000 };

/** @internal */
export class BatcherCounters {
  batches = 0;
  requests = 0;
  images = 0;
  paddingRows = 0;
  readonly histogram = new Map<number, number>();
  readonly queueWait = createHistogram();
  readonly runTime = createHistogram();
  readonly rejected = { full: 0, deadline: 0, aborted: 0, failed: 0 };

  recordBatch(rows: number, padding: number, runMs: number): void {
    this.batches++;
    this.images += rows;
    this.paddingRows += padding;
    this.histogram.set(rows, (this.histogram.get(rows) ?? 0) + 1);
    this.runTime.record(Math.max(1, Math.round(runMs * 1000)));
  }

  recordWait(ms: number): void {
    this.queueWait.record(Math.max(1, Math.round(ms * 1000)));
  }

  snapshot(queued: number, running: number): BatcherStats {
    const hist: Record<string, number> = {};
    for (const size of [...this.histogram.keys()].sort((a, b) => a - b)) hist[String(size)] = this.histogram.get(size)!;
    const allRows = this.images + this.paddingRows;
    return {
      batches: this.batches,
      requests: this.requests,
      images: this.images,
      batchSizeMean: this.batches === 0 ? 0 : this.images / this.batches,
      batchSizeHistogram: hist,
      paddingShare: allRows === 0 ? 0 : this.paddingRows / allRows,
      queueWaitMs: percentiles(this.queueWait),
      runMs: percentiles(this.runTime),
      rejected: { ...this.rejected },
      queued,
      running,
    };
  }
}
