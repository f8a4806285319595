// What `tfcv evaluate` prints and writes after an evaluation, for masks and for boxes alike:
// the timing line, the skipped files, and the --json results file. One place, so the two
// kinds of evaluation report the same way and `tfcv merge` reads both. Beside the JSON goes a
// per-image CSV (lib/cli/per_image_csv.ts) for spreadsheets.
import path from 'node:path';
import { versions } from '../stats';
import type { EvaluateResult, SkippedSample } from '../evaluate/evaluate';
import type { Shard } from '../evaluate/shard';
import type { CliIo } from './io';
import { writeResultsFile, ResultsFile } from './results_file';
import { csvFileFor, writePerImageCsv } from './per_image_csv';

/** Wall time, throughput and the busy time of each stage, one line on stdout. */
export function printTiming(io: CliIo, timing: EvaluateResult['timing']): void {
  const s = timing.stages;
  io.stdout.write(
    `\n${(timing.totalMs / 1000).toFixed(2)} s, ${timing.imagesPerSecond.toFixed(1)} images/s; busy time per stage: ` +
      `decode ${s.decode.toFixed(0)} ms, preprocess ${s.preprocess.toFixed(0)} ms, run ${s.run.toFixed(0)} ms, metrics ${s.metrics.toFixed(0)} ms\n`,
  );
}

/** The files that could not be evaluated and why, on stderr (nothing when there are none). */
export function printSkipped(io: CliIo, skipped: readonly SkippedSample[]): void {
  if (skipped.length === 0) return;
  io.stderr.write(
    `skipped ${skipped.length} file${skipped.length > 1 ? 's' : ''}:\n${skipped.map((s) => `  ${s.id}: ${s.error}`).join('\n')}\n`,
  );
}

/** Where the evaluated data came from, as the results file records it. */
export interface EvaluationSource {
  model: string;
  signature: string | null;
  output: string;
  images: string;
  masks: string | null;
  shard: Shard | null;
}

/** Writes the --json results file (for people and for `tfcv merge`) and says where. */
export function writeEvaluationResults(
  io: CliIo,
  file: string,
  source: EvaluationSource,
  result: EvaluateResult,
  skipped: readonly SkippedSample[],
  extra: Pick<ResultsFile, 'detection'> = {},
): void {
  writeResultsFile(file, {
    tfcv: versions().tfcv,
    command: 'evaluate',
    model: source.model,
    signature: source.signature,
    output: source.output,
    images: source.images,
    masks: source.masks,
    shards: source.shard ? [source.shard] : [],
    count: result.images,
    results: result.metrics,
    states: result.states,
    perImage: result.samples.map((s) => ({
      file: s.id,
      values: s.values,
      ...(s.outcomes ? { outcomes: s.outcomes } : {}),
    })),
    skipped: skipped.map((s) => ({ file: s.id, error: s.error })),
    timing: result.timing,
    ...extra,
  });
  const csv = csvFileFor(file);
  writePerImageCsv(csv, result.samples);
  io.stdout.write(`wrote ${path.relative(io.cwd, file)} and ${path.relative(io.cwd, csv)}\n`);
}
