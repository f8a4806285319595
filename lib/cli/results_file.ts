// The JSON the command writes with --json (and `tfcv merge` reads): results for people,
// metric states for merging, per-image values, skipped files, timing. States are what make
// a sharded evaluation add up exactly to a single run.
import { writeFileSync } from 'node:fs';
import { fileErrorReason, readRegularFileSync } from '../files';
import { Shard } from '../evaluate/shard';
import type { StageTimes } from '../evaluate/stage_timer';
import { Metric, MetricJSON, MetricResult } from '../metrics/metric';
import { CliError } from './cli_error';
import type { ImageOutcomes } from '../detection/confusion_match';
import type { DetectionSummary } from './detection_summary';

export interface ResultsFile {
  tfcv: string;
  command: 'evaluate' | 'demo' | 'merge';
  model: string | null;
  signature: string | null;
  output: string | null;
  images: string | null;
  masks: string | null;
  /** The shards this file covers (one for `evaluate --shard`, several after `merge`; [] = everything). */
  shards: Shard[];
  /** Images evaluated. */
  count: number;
  results: Record<string, MetricResult>;
  states: Record<string, MetricJSON>;
  perImage: Array<{ file: string; values: Record<string, number | null>; outcomes?: Record<string, ImageOutcomes> }>;
  skipped: Array<{ file: string; error: string }>;
  timing: { totalMs: number; imagesPerSecond: number; stages: StageTimes } | null;
  /** Detection: the confidence threshold maximising F1 (IoU 0.50) overall and per class. */
  detection?: DetectionSummary;
}

export function writeResultsFile(file: string, data: ResultsFile): void {
  try {
    // NaN results (undefined metrics) become null in JSON.
    writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Reads a results file and rebuilds its metrics with their states. */
export function readResultsFile(file: string): { data: ResultsFile; metrics: Map<string, Metric> } {
  let data: ResultsFile;
  try {
    // A regular file of at most 256 MiB: /dev/zero or a FIFO would never end.
    data = JSON.parse(readRegularFileSync(file, 'file', 256 * 2 ** 20).toString('utf8')) as ResultsFile;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const reason =
      cause !== undefined
        ? fileErrorReason(cause)
        : error instanceof SyntaxError
          ? `not JSON (${error.message})`
          : (error as Error).message.replace(/^file: /, '');
    throw new CliError(`${file}: ${reason}`);
  }
  if (
    data === null ||
    typeof data !== 'object' ||
    data.states === null ||
    typeof data.states !== 'object' ||
    Array.isArray(data.states)
  ) {
    throw new CliError(`${file}: not a tfcv results file (no "states"; write one with tfcv evaluate --json)`);
  }
  const metrics = new Map<string, Metric>();
  for (const [name, state] of Object.entries(data.states)) {
    try {
      metrics.set(name, Metric.fromJSON(state));
    } catch (error) {
      throw new CliError(`${file}: metric '${name}': ${(error as Error).message}`);
    }
  }
  if (metrics.size === 0) throw new CliError(`${file}: holds no metric states`);
  if (!Array.isArray(data.shards)) data.shards = [];
  if (!Array.isArray(data.perImage)) data.perImage = [];
  if (!Array.isArray(data.skipped)) data.skipped = [];
  if (typeof data.count !== 'number') data.count = 0;
  return { data, metrics };
}
