// A pipeline's numbers in Prometheus' text format, on prom-client with a registry the caller
// owns (or a new one): frames in / processed / dropped / failed per source (counters), fps,
// queue depth, frames in flight, and the capture-to-result latency p50 / p99 over the last
// results (gauges), all read from pipeline.stats() at scrape time.
import * as client from 'prom-client';
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { StreamPipeline } from './pipeline';
import type { PipelineStats } from './pipeline_stats';

type PerSource = (s: PipelineStats['sources'][string]) => number;

/** Registers the pipeline's metrics (prefix `tfcv_stream_`) on `registry` and returns it. */
export function pipelineMetrics(
  pipeline: StreamPipeline<unknown>,
  registry: client.Registry = new client.Registry(),
): client.Registry {
  if (!(pipeline instanceof StreamPipeline))
    throw new ArgumentError(`pipeline: expected a StreamPipeline (streamPipeline()), got ${v.describe(pipeline)}`);
  if (!(registry instanceof client.Registry))
    throw new ArgumentError(`registry: expected a prom-client Registry, got ${v.describe(registry)}`);
  const perSource = (
    Metric: typeof client.Counter | typeof client.Gauge,
    name: string,
    help: string,
    read: PerSource,
  ) =>
    new Metric({
      name: `tfcv_stream_${name}`,
      help,
      labelNames: ['source'],
      registers: [registry],
      collect(this: client.Counter | client.Gauge) {
        this.reset();
        for (const [source, s] of Object.entries(pipeline.stats().sources)) {
          const value = read(s);
          if (this instanceof client.Counter) this.inc({ source }, value);
          else (this as client.Gauge).set({ source }, value);
        }
      },
    });
  perSource(client.Counter, 'frames_total', 'Frames taken from the source', (s) => s.frames);
  perSource(client.Counter, 'processed_total', 'Frames whose result was delivered', (s) => s.processed);
  perSource(client.Counter, 'dropped_total', 'Frames dropped by the flow policy', (s) => s.dropped);
  perSource(client.Counter, 'failed_total', 'Frames whose processing threw', (s) => s.failed);
  perSource(client.Counter, 'reconnects_total', 'Decoder restarts after a failure', (s) => s.source.reconnects);
  perSource(client.Gauge, 'fps', 'Processed frames per second over the last 2 s', (s) => s.fps);
  perSource(client.Gauge, 'queue_depth', 'Frames waiting for a processing slot', (s) => s.queued);
  perSource(client.Gauge, 'in_flight', 'Frames being processed or not yet taken by the consumer', (s) => s.inFlight);
  perSource(
    client.Gauge,
    'latency_p50_seconds',
    'Capture-to-result latency, median of the last 512 results',
    (s) => s.recentLatencyMs.p50 / 1000,
  );
  perSource(
    client.Gauge,
    'latency_p99_seconds',
    'Capture-to-result latency, 99th percentile of the last 512 results',
    (s) => s.recentLatencyMs.p99 / 1000,
  );
  return registry;
}
