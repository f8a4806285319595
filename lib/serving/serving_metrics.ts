// Prometheus metrics of the serving layer (prom-client): requests and latency per model,
// version, protocol and status; each version's batcher queue-wait and run-time quantiles;
// loaded versions, resident bytes and readiness per model; the memory budget; and the
// process's own metrics (resident memory among them). Gauges are read at scrape time.
import * as client from 'prom-client';
import type { ModelRepository } from './repository';

export interface ServingMetrics {
  registry: client.Registry;
  observe(labels: { model: string; version: string; protocol: string; code: number }, seconds: number): void;
}

export function createServingMetrics(repo: ModelRepository, registry = new client.Registry()): ServingMetrics {
  const requests = new client.Counter({
    name: 'tfcv_serving_requests_total',
    help: 'Requests answered, by model, version, protocol and HTTP status',
    labelNames: ['model', 'version', 'protocol', 'code'],
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'tfcv_serving_request_duration_seconds',
    help: 'Time from the complete request body to the answer, by model, version and protocol',
    labelNames: ['model', 'version', 'protocol'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const versions = () => {
    const out: Array<{ model: string; version: string; mv: ReturnType<ModelRepository['loadedVersions']>[number] }> =
      [];
    for (const mv of repo.loadedVersions()) out.push({ model: mv.name, version: String(mv.version), mv });
    return out;
  };
  const quantileGauge = (
    name: string,
    help: string,
    pick: (s: { queueWaitMs: { p50: number; p99: number }; runMs: { p50: number; p99: number } }) => {
      p50: number;
      p99: number;
    },
  ) =>
    new client.Gauge({
      name,
      help,
      labelNames: ['model', 'version', 'signature', 'quantile'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { model, version, mv } of versions())
          for (const [signature, stats] of Object.entries(mv.batcherStats())) {
            const q = pick(stats);
            this.set({ model, version, signature, quantile: '0.5' }, q.p50 / 1000);
            this.set({ model, version, signature, quantile: '0.99' }, q.p99 / 1000);
          }
      },
    });
  quantileGauge(
    'tfcv_serving_queue_seconds',
    'Batcher queue wait since the version loaded (quantiles)',
    (s) => s.queueWaitMs,
  );
  quantileGauge(
    'tfcv_serving_compute_seconds',
    'Batch run time (preprocess and model) since the version loaded (quantiles)',
    (s) => s.runMs,
  );
  new client.Gauge({
    name: 'tfcv_serving_loaded_versions',
    help: 'Versions loaded and serving, per model',
    labelNames: ['model'],
    registers: [registry],
    collect() {
      this.reset();
      for (const model of repo.modelNames()) this.set({ model }, 0);
      for (const { model } of versions()) this.inc({ model });
    },
  });
  new client.Gauge({
    name: 'tfcv_serving_resident_bytes',
    help: 'Bytes attributed to each resident version (max of its files and the RSS growth over its load)',
    labelNames: ['model', 'version'],
    registers: [registry],
    collect() {
      this.reset();
      for (const model of repo.modelNames())
        for (const v of repo.status(model).versions)
          if (v.residentBytes > 0) this.set({ model, version: String(v.version) }, v.residentBytes);
    },
  });
  new client.Gauge({
    name: 'tfcv_serving_model_ready',
    help: '1 when the model can serve',
    labelNames: ['model'],
    registers: [registry],
    collect() {
      for (const model of repo.modelNames()) this.set({ model }, repo.modelReady(model) ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'tfcv_serving_memory_budget_bytes',
    help: 'The memory budget across all models (absent: none)',
    registers: [registry],
    collect() {
      if (Number.isFinite(repo.memoryBudgetBytes)) this.set(repo.memoryBudgetBytes);
    },
  });
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    observe(labels, seconds) {
      requests.inc({ ...labels, code: String(labels.code) });
      latency.observe({ model: labels.model, version: labels.version, protocol: labels.protocol }, seconds);
    },
  };
}
