// Prometheus metrics of the inference server (GET /metrics), on prom-client with a registry
// per server (several servers in one process, as in the tests, do not collide): requests
// by status, the /predict latency histogram, requests in flight and uploads, the batcher's
// stats (read from batcher.stats() at scrape time) and Node's default metrics, which
// include the event-loop delay (nodejs_eventloop_lag_* percentiles).
'use strict';
const client = require('prom-client');

// A metric whose value is read from `read()` at scrape time: a number, or one number per
// value of its single label. `put` is how the metric takes a value (inc for a Counter fed
// from a monotonic source, set for a Gauge).
function readMetric(Metric, put, registry, name, help, read, labelNames = []) {
  return new Metric({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      const value = read();
      if (typeof value === 'number') put(this, value);
      else for (const [label, v] of Object.entries(value)) put(this, { [labelNames[0]]: label }, v);
    },
  });
}

const readCounter = (...args) => readMetric(client.Counter, (m, ...value) => m.inc(...value), ...args);
const readGauge = (...args) => readMetric(client.Gauge, (m, ...value) => m.set(...value), ...args);

/**
 * state: { inFlight(), uploads(), batcher() -> Batcher | null }.
 * Returns { registry, observe(status, seconds) } for the request handler.
 */
function createMetrics(state) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 5 });
  const requests = new client.Counter({
    name: 'tfcv_http_requests_total',
    help: 'POST /predict requests by HTTP status',
    labelNames: ['status'],
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'tfcv_http_request_duration_seconds',
    help: 'POST /predict latency from the first byte of the request to the answer',
    labelNames: ['status'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  readGauge(registry, 'tfcv_requests_in_flight', 'Requests doing model work (body complete)', () => state.inFlight());
  readGauge(registry, 'tfcv_uploads_in_progress', 'Request bodies being read', () => state.uploads());
  const batcher = () => state.batcher()?.stats();
  if (state.batcher()) {
    readCounter(registry, 'tfcv_batcher_batches_total', 'Batches run', () => batcher().batches);
    readCounter(registry, 'tfcv_batcher_images_total', 'Rows (images) run, padding excluded', () => batcher().images);
    readCounter(
      registry,
      'tfcv_batcher_rejected_total',
      'Requests the batcher refused or dropped, by reason',
      () => batcher().rejected,
      ['reason'],
    );
    readGauge(registry, 'tfcv_batcher_batch_size_mean', 'Mean rows per batch', () => batcher().batchSizeMean);
    readGauge(
      registry,
      'tfcv_batcher_batches_by_size',
      'Batches run by real (unpadded) size',
      () => batcher().batchSizeHistogram,
      ['size'],
    );
    readGauge(registry, 'tfcv_batcher_padding_share', 'Padding rows / all rows run', () => batcher().paddingShare);
    readGauge(registry, 'tfcv_batcher_queued', 'Requests waiting in the batcher', () => batcher().queued);
    readGauge(
      registry,
      'tfcv_batcher_queue_wait_seconds',
      'Queue wait percentiles',
      () => {
        const s = batcher().queueWaitMs;
        return { 0.5: s.p50 / 1000, 0.99: s.p99 / 1000 };
      },
      ['quantile'],
    );
    readGauge(
      registry,
      'tfcv_batcher_run_seconds',
      'Batch run-time percentiles (image decoding included)',
      () => {
        const s = batcher().runMs;
        return { 0.5: s.p50 / 1000, 0.99: s.p99 / 1000 };
      },
      ['quantile'],
    );
  }
  return {
    registry,
    observe(status, seconds) {
      requests.inc({ status: String(status) });
      latency.observe({ status: String(status) }, seconds);
    },
  };
}

module.exports = { createMetrics };
