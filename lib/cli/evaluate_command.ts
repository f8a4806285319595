// `tfcv evaluate`: a SavedModel over a folder of images (and masks), with a progress bar,
// a results table, and optionally a JSON file (results, metric states, per-image values)
// and an HTML report. `--shard I/N` evaluates a deterministic slice whose states
// `tfcv merge` combines into exactly the result of one run over everything.
import path from 'node:path';
import { evaluate, EvaluatedBatch, SkippedSample } from '../evaluate/evaluate';
import { folderDataset } from '../evaluate/folder_dataset';
import { Shard, shardFromFlag } from '../evaluate/shard';
import { TfcvError } from '../errors';
import { MetricName, metricByName } from '../metrics/by_name';
import { EmptyPolicy } from '../metrics/options';
import { Metric } from '../metrics/metric';
import { Model } from '../model';
import { HtmlReport } from '../report/html_report';
import { CliError, EXIT_OK, usageError } from './cli_error';
import { writeMaskPlots } from '../report/mask_plots';
import type { Plot } from '../report/detection_plots';
import { DetectionCommandOptions, detectionCommand } from './detection_command';
import { CliIo } from './io';
import { ProgressDisplay } from './progress';
import { renderTable, tableRows } from './results_table';
import { printSkipped, printTiming, writeEvaluationResults } from './evaluation_output';
import type { MetricSpec } from './options';

export interface EvaluateCommandOptions extends Partial<Omit<DetectionCommandOptions, keyof EvaluateCommonOptions>> {
  model: string;
  images: string;
  masks?: string;
  signature?: string;
  output?: string;
  metrics?: MetricName[];
  /** --metric name:key=value,... (repeatable): metrics with their own settings. */
  metric?: MetricSpec[];
  /** --prediction-scale: the output is multiplied by it before the metrics. */
  predictionScale?: number;
  numClasses: number;
  threshold?: number;
  ignoreClass?: number;
  emptyPolicy: EmptyPolicy;
  minPixels?: number;
  maskMode: 'binary' | 'ids' | 'auto';
  channelOrder: 'rgb' | 'bgr';
  divisor: number;
  batchSize: number;
  concurrency: number;
  shard?: string;
  json?: string;
  report?: string;
  keepGoing: boolean;
  progress: boolean;
}

type EvaluateCommonOptions = Pick<
  DetectionCommandOptions,
  | 'model'
  | 'images'
  | 'signature'
  | 'channelOrder'
  | 'divisor'
  | 'batchSize'
  | 'shard'
  | 'json'
  | 'report'
  | 'keepGoing'
  | 'progress'
>;

/** Metrics when --metrics is not given: the pixel metrics and circularity with masks, else what needs no truth. */
export function defaultMetricNames(hasMasks: boolean): MetricName[] {
  return hasMasks
    ? ['mean-iou', 'iou', 'dice', 'pixel-accuracy', 'precision', 'recall', 'circularity']
    : ['circularity', 'avg-pixel-value'];
}

/** @internal Shared with `tfcv demo`: the metric instances for a list of names. */
export function buildMetrics(
  names: readonly MetricName[],
  o: Pick<EvaluateCommandOptions, 'numClasses' | 'threshold' | 'ignoreClass' | 'emptyPolicy' | 'minPixels'> &
    Partial<Pick<EvaluateCommandOptions, 'maskMode'>>,
  specs: readonly MetricSpec[] = [],
): Metric[] {
  const shared = {
    numClasses: o.numClasses,
    threshold: o.threshold,
    ignoreClass: o.ignoreClass ?? null,
    emptyPolicy: o.emptyPolicy,
    minPixels: o.minPixels,
    // --mask-mode ids: the metrics read the masks as class ids too (their 'auto' would
    // take a 0/255 mask for a binary one, and its errors would advise the flag given).
    ...(o.maskMode === 'ids' ? { masks: 'ids' as const } : {}),
  };
  const twice = specs.find((s) => names.includes(s.name));
  if (twice) throw usageError(`${twice.name} is in --metrics and in --metric: name it once`);
  const build = (name: MetricName, own: MetricSpec['settings'], flag: string) => {
    try {
      return metricByName(name, { ...shared, ...own });
    } catch (error) {
      throw usageError(`${flag}: ${(error as Error).message}`);
    }
  };
  return [
    ...names.map((name) => build(name, {}, '--metrics')),
    ...specs.map((s) => build(s.name, s.settings, `--metric ${s.name}`)),
  ];
}

/**
 * @internal An API message in the command's words: the metrics' advice names their options
 * (masks: 'binary', numClasses), which the command sets through flags.
 */
export function inFlagWords(message: string): string {
  return message.replace(/\bmasks: '(auto|binary|ids)'/g, '--mask-mode $1').replace(/\bnumClasses\b/g, '--num-classes');
}

/** @internal The threshold drawn in report overlays for a batch's predictions. */
export function overlayThreshold(batch: EvaluatedBatch, threshold: number | undefined): number {
  const dtype = batch.predictions.dtype;
  return dtype.startsWith('float') ? (threshold ?? 0.5) : 0;
}

export async function evaluateCommand(o: EvaluateCommandOptions, io: CliIo): Promise<number> {
  if (o.coco !== undefined) {
    if (o.masks !== undefined || o.metrics !== undefined)
      throw usageError('--coco evaluates detections (COCO mAP); --masks and --metrics are for masks and images');
    return detectionCommand(o as DetectionCommandOptions, io);
  }
  const resolve = (p: string) => path.resolve(io.cwd, p);
  let shard: Shard | null = null;
  if (o.shard !== undefined) {
    try {
      shard = shardFromFlag(o.shard, io.env ?? process.env);
    } catch (error) {
      throw usageError((error as Error).message);
    }
  }
  const names = o.metrics ?? (o.metric === undefined ? defaultMetricNames(o.masks !== undefined) : []);
  const metrics = buildMetrics(names, o, o.metric);
  const needsMasks = metrics.filter((m) => m.usesTruth);
  if (o.masks === undefined && needsMasks.length > 0) {
    throw usageError(
      `${needsMasks.map((m) => m.name).join(', ')} ${needsMasks.length > 1 ? 'need' : 'needs'} truth masks: pass --masks DIR (metrics without masks: circularity, avg-pixel-value)`,
    );
  }

  const imagesDir = resolve(o.images);
  const masksDir = o.masks === undefined ? undefined : resolve(o.masks);
  let listing;
  try {
    listing = folderDataset(imagesDir, { masksDir, shard });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  // Never opened (FIFOs, directories, devices named like images): listed, not fatal.
  const skipped: SkippedSample[] = listing.unreadable.map((u) => ({ id: u.file, error: u.reason }));
  if (listing.missingMasks.length > 0) {
    const shown =
      listing.missingMasks.slice(0, 5).join(', ') +
      (listing.missingMasks.length > 5 ? `, … (${listing.missingMasks.length} in all)` : '');
    if (!o.keepGoing)
      throw new CliError(
        `no mask in ${masksDir} for ${shown} (masks pair with images by file name; --keep-going skips such images)`,
      );
    for (const file of listing.missingMasks) skipped.push({ id: file, error: `no mask in ${masksDir}` });
  }

  const modelDir = resolve(o.model);
  let model: Model;
  try {
    model = await Model.loadSavedModel(modelDir);
  } catch (error) {
    throw new CliError(`cannot load the model at ${modelDir}: ${(error as Error).message}`);
  }

  const report = o.report === undefined ? null : new HtmlReport(resolve(o.report));
  const progress = new ProgressDisplay(io.stderr, listing.samples.length, o.progress);
  let result;
  try {
    result = await evaluate(model, listing.samples, metrics, {
      batchSize: o.batchSize,
      concurrency: o.concurrency,
      signature: o.signature,
      output: o.output,
      masks: o.maskMode,
      channelOrder: o.channelOrder,
      pixelDivisor: o.divisor,
      predictionScale: o.predictionScale,
      onError: o.keepGoing ? 'skip' : 'throw',
      onProgress: (p) => progress.update(p),
      onBatch: report ? (batch) => report.addBatch(batch, overlayThreshold(batch, o.threshold)) : undefined,
    });
  } catch (error) {
    if (error instanceof TfcvError) throw new CliError(inFlagWords(error.message));
    throw error;
  } finally {
    progress.stop();
    model.dispose();
  }
  skipped.push(...result.skipped);

  const shardNote = shard ? ` (shard ${shard.index}/${shard.count} of ${listing.totalImages} images)` : '';
  io.stdout.write(
    `${result.images} images evaluated${shardNote} with ${path.relative(io.cwd, modelDir) || '.'} (output '${result.output}')\n\n`,
  );
  const rows = tableRows(result.metrics, result.states);
  io.stdout.write(renderTable(rows));
  printTiming(io, result.timing);
  printSkipped(io, skipped);
  let plots: Plot[] = [];
  for (const dir of [o.plots, o.report === undefined ? undefined : path.join(o.report, 'plots')]) {
    if (dir === undefined) continue;
    try {
      plots = await writeMaskPlots(resolve(dir), result.states, result.samples);
    } catch (error) {
      throw new CliError(`cannot write the plots to ${resolve(dir)}: ${(error as Error).message}`);
    }
    if (dir === o.plots)
      io.stdout.write(`plots: ${plots.length} PNGs in ${path.relative(io.cwd, resolve(dir)) || '.'}\n`);
  }
  report?.addPlots('plots', plots);
  if (o.json !== undefined) {
    const source = {
      model: modelDir,
      signature: o.signature ?? null,
      output: result.output,
      images: imagesDir,
      masks: masksDir ?? null,
      shard,
    };
    writeEvaluationResults(io, resolve(o.json), source, result, skipped);
  }
  if (report) {
    let file: string;
    try {
      file = await report.write(
        'tfcv evaluate',
        `${result.images} images from ${imagesDir}${shardNote}, model ${modelDir}`,
        rows,
        metrics.some((m) => m.name === 'mean-iou') ? 'mean-iou' : null,
      );
    } catch (error) {
      throw new CliError(`cannot write the report to ${report.dir}: ${(error as Error).message}`);
    }
    io.stdout.write(`report: ${file}\n`);
  }
  return EXIT_OK;
}
