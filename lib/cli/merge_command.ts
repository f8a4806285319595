// `tfcv merge a.json b.json …`: combines the metric states of shard runs (or of any
// evaluations of the same metrics) into one result, exactly as if one run had seen every
// image. Checks that the files hold the same metrics with the same configs and that no
// shard is counted twice; says which shards are missing.
import path from 'node:path';
import { Shard } from '../evaluate/shard';
import { Metric, MetricJSON, MetricResult } from '../metrics/metric';
import { versions } from '../stats';
import { CliError, EXIT_OK, usageError } from './cli_error';
import { CliIo } from './io';
import { renderTable, tableRows } from './results_table';
import { ResultsFile, readResultsFile, writeResultsFile } from './results_file';

export interface MergeCommandOptions {
  json?: string;
}

export async function mergeCommand(files: string[], o: MergeCommandOptions, io: CliIo): Promise<number> {
  if (files.length === 0) throw usageError('merge: expected one or more results files (tfcv evaluate --json)');
  const resolved = files.map((f) => path.resolve(io.cwd, f));
  const inputs = resolved.map((file) => ({ file, ...readResultsFile(file) }));
  // Shards merge in shard order when every file is one: metrics whose result depends on the
  // order images were seen (MeanAveragePrecision breaks score ties by it) then see contiguous
  // shards in the order one run would.
  if (inputs.every((i) => Array.isArray(i.data.shards) && i.data.shards.length > 0)) {
    inputs.sort((a, b) => a.data.shards[0]!.index - b.data.shards[0]!.index);
  }

  const first = inputs[0]!;
  const names = [...first.metrics.keys()];
  const merged = new Map<string, Metric>(first.metrics);
  const seenShards = new Map<number, string>();
  let shardCount: number | null = null;
  for (const input of inputs) {
    const theirs = [...input.metrics.keys()];
    const missing = names.filter((n) => !input.metrics.has(n));
    const extra = theirs.filter((n) => !merged.has(n));
    if (missing.length > 0 || extra.length > 0) {
      throw new CliError(
        `${input.file}: holds metrics ${theirs.join(', ')}, but ${first.file} holds ${names.join(', ')}; merge files of the same evaluation`,
      );
    }
    for (const s of input.data.shards) {
      if (shardCount !== null && s.count !== shardCount) {
        throw new CliError(`${input.file}: is a shard of ${s.count}, but an earlier file is a shard of ${shardCount}`);
      }
      shardCount = s.count;
      const other = seenShards.get(s.index);
      if (other !== undefined)
        throw new CliError(
          `${input.file} and ${other} both hold shard ${s.index}/${s.count}: it would be counted twice`,
        );
      seenShards.set(s.index, input.file);
    }
    if (input === first) continue;
    for (const name of names) {
      try {
        merged.get(name)!.merge(input.metrics.get(name)!);
      } catch (error) {
        throw new CliError(`${input.file}: metric '${name}': ${(error as Error).message}`);
      }
    }
  }
  const models = new Set(inputs.map((i) => i.data.model));
  if (models.size > 1) io.stderr.write(`note: the files come from different models (${[...models].join(', ')})\n`);
  const shards: Shard[] = [...seenShards.keys()].sort((a, b) => a - b).map((index) => ({ index, count: shardCount! }));
  if (shardCount !== null && seenShards.size < shardCount) {
    const absent = Array.from({ length: shardCount }, (_, i) => i + 1).filter((i) => !seenShards.has(i));
    io.stderr.write(
      `note: shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${shardCount}`).join(', ')} missing: this covers ${seenShards.size} of ${shardCount}\n`,
    );
  }

  const results: Record<string, MetricResult> = {};
  const states: Record<string, MetricJSON> = {};
  for (const [name, metric] of merged) {
    results[name] = metric.result();
    states[name] = metric.toJSON();
  }
  const count = inputs.reduce((n, i) => n + i.data.count, 0);
  io.stdout.write(`${count} images from ${inputs.length} file${inputs.length > 1 ? 's' : ''}\n\n`);
  io.stdout.write(renderTable(tableRows(results, states)));
  if (o.json !== undefined) {
    const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
    const data: ResultsFile = {
      tfcv: versions().tfcv,
      command: 'merge',
      model: first.data.model ?? null,
      signature: first.data.signature ?? null,
      output: first.data.output ?? null,
      images: first.data.images ?? null,
      masks: first.data.masks ?? null,
      shards,
      count,
      results,
      states,
      perImage: inputs.flatMap((i) => i.data.perImage).sort(byFile),
      skipped: inputs.flatMap((i) => i.data.skipped).sort(byFile),
      timing: null,
    };
    const out = path.resolve(io.cwd, o.json);
    writeResultsFile(out, data);
    io.stdout.write(`wrote ${path.relative(io.cwd, out)}\n`);
  }
  return EXIT_OK;
}
