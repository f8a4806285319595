// `tfcv evaluate --coco annotations.json --images DIR --model DIR --boxes OUT --scores OUT
// [--classes OUT]`: a detection model over a COCO-format set. Prints COCO's twelve numbers
// (as pycocotools' summarize() does) and per-class AP, writes --json (mergeable states) and
// --report (each image with its true boxes in green and predicted ones in red, worst first).
import path from 'node:path';
import { BoxFormat } from '../detection/boxes';
import '../detection/draw_detections';
import '../ops/codec';
import '../ops/color';
import '../ops/geometry';
import { cocoDataset, CocoDataset } from '../evaluate/coco_dataset';
import { evaluate } from '../evaluate/evaluate';
import { DetectionBatch } from '../evaluate/evaluate_detection';
import { Shard, shardFromFlag } from '../evaluate/shard';
import { TfcvError } from '../errors';
import { MeanAveragePrecision, MeanAveragePrecisionResult } from '../metrics/mean_average_precision';
import { Model } from '../model';
import { ResizeMode } from '../preprocess_spec';
import { HtmlReport } from '../report/html_report';
import { CliError, EXIT_OK, usageError } from './cli_error';
import { CliIo } from './io';
import { ProgressDisplay } from './progress';
import { formatNumber, tableRows } from './results_table';
import { printSkipped, printTiming, writeEvaluationResults } from './evaluation_output';

export interface DetectionCommandOptions {
  model: string;
  images: string;
  coco: string;
  boxes?: string;
  scores?: string;
  classes?: string;
  boxFormat: BoxFormat;
  pixelBoxes?: boolean;
  classOffset: number;
  resize: ResizeMode;
  nmsIou: number;
  scoreThreshold: number;
  signature?: string;
  channelOrder: 'rgb' | 'bgr';
  divisor: number;
  batchSize: number;
  shard?: string;
  json?: string;
  report?: string;
  keepGoing: boolean;
  progress: boolean;
}

const SUMMARY: Array<[keyof MeanAveragePrecisionResult, string]> = [
  ['ap', 'Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]'],
  ['ap50', 'Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]'],
  ['ap75', 'Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]'],
  ['apSmall', 'Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]'],
  ['apMedium', 'Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]'],
  ['apLarge', 'Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]'],
  ['ar1', 'Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]'],
  ['ar10', 'Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]'],
  ['ar100', 'Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]'],
  ['arSmall', 'Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]'],
  ['arMedium', 'Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]'],
  ['arLarge', 'Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]'],
];

/** COCOeval.summarize()'s twelve lines (-1 where nothing was measured, as pycocotools prints). */
export function cocoSummary(r: MeanAveragePrecisionResult): string {
  return SUMMARY.map(([key, label]) => {
    const x = r[key] as number;
    return ` ${label} = ${Number.isNaN(x) ? '-1.000' : x.toFixed(3)}\n`;
  }).join('');
}

async function drawCard(report: HtmlReport, batch: DetectionBatch, i: number, names: string[]): Promise<void> {
  const image = batch.images[i]!;
  const scale = Math.max(1, Math.min(8, Math.round(256 / Math.max(image.rows, image.cols))));
  const canvas =
    image.channels === 3
      ? await image.resize({ fx: scale, fy: scale }, { interpolation: 'nearest' })
      : await (
          await image.cvtColor(image.channels === 4 ? 'BGRA2BGR' : 'GRAY2BGR')
        ).resize({ fx: scale, fy: scale }, { interpolation: 'nearest' });
  try {
    const scaled = (b: ArrayLike<number>) => Float64Array.from(b as ArrayLike<number>, (x) => x * scale);
    const truth = batch.truth[i]!;
    const truthBoxes =
      Array.isArray(truth.boxes) && Array.isArray(truth.boxes[0])
        ? (truth.boxes as number[][]).flat()
        : Array.from(truth.boxes as ArrayLike<number>);
    canvas.drawDetections(scaled(truthBoxes), { colors: [60, 200, 60], thickness: 1 });
    const p = batch.predictions[i]!;
    canvas.drawDetections(scaled(p.boxes), {
      labels: p.classes,
      scores: p.scores,
      classNames: names,
      colors: [40, 40, 230],
      thickness: 1,
      fontScale: 0.35,
    });
    const values: Record<string, number> = {};
    for (const [name, list] of Object.entries(batch.values)) values[name] = list[i]!;
    report.addImage(
      batch.ids[i]!,
      await canvas.encode('png'),
      values,
      `${truthBoxes.length / 4} true, ${p.classes.length} predicted`,
    );
  } finally {
    canvas.dispose();
  }
}

export async function detectionCommand(o: DetectionCommandOptions, io: CliIo): Promise<number> {
  const resolve = (p: string) => path.resolve(io.cwd, p);
  if (o.boxes === undefined || o.scores === undefined)
    throw usageError(
      '--coco needs --boxes <output> and --scores <output> (and --classes <output> for multi-class models)',
    );
  let shard: Shard | null = null;
  if (o.shard !== undefined) {
    try {
      shard = shardFromFlag(o.shard, io.env ?? process.env);
    } catch (error) {
      throw usageError((error as Error).message);
    }
  }
  let data: CocoDataset;
  try {
    data = cocoDataset(resolve(o.coco), resolve(o.images), { shard });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const modelDir = resolve(o.model);
  let model: Model;
  try {
    model = await Model.loadSavedModel(modelDir);
  } catch (error) {
    throw new CliError(`cannot load the model at ${modelDir}: ${(error as Error).message}`);
  }
  const metric = new MeanAveragePrecision();
  const report = o.report === undefined ? null : new HtmlReport(resolve(o.report));
  const progress = new ProgressDisplay(io.stderr, data.samples.length, o.progress);
  let result;
  try {
    result = await evaluate(model, data.samples, [metric], {
      batchSize: o.batchSize,
      signature: o.signature,
      channelOrder: o.channelOrder,
      pixelDivisor: o.divisor,
      onError: o.keepGoing ? 'skip' : 'throw',
      onProgress: (p) => progress.update(p),
      detection: {
        outputs: {
          boxes: o.boxes,
          scores: o.scores,
          ...(o.classes ? { classes: o.classes } : {}),
          format: o.boxFormat,
          normalized: !o.pixelBoxes,
          classOffset: o.classOffset,
        },
        resize: o.resize,
        nms: { iouThreshold: o.nmsIou, scoreThreshold: o.scoreThreshold },
        onBatch: report
          ? async (batch) => {
              for (let i = 0; i < batch.ids.length; i++) await drawCard(report, batch, i, data.classNames);
            }
          : undefined,
      },
    });
  } catch (error) {
    if (error instanceof TfcvError) throw new CliError(error.message);
    throw error;
  } finally {
    progress.stop();
    model.dispose();
  }
  const r = result.metrics[metric.name] as MeanAveragePrecisionResult;
  const shardNote = shard ? ` (shard ${shard.index}/${shard.count} of ${data.totalImages} images)` : '';
  io.stdout.write(
    `${result.images} images evaluated${shardNote} with ${path.relative(io.cwd, modelDir) || '.'} (boxes '${o.boxes}', scores '${o.scores}'${o.classes ? `, classes '${o.classes}'` : ''})\n\n`,
  );
  io.stdout.write(cocoSummary(r));
  if (r.perClass.length > 0) {
    io.stdout.write(`\nclass             AP     AP50   AR@100\n`);
    for (const c of r.perClass) {
      const name = data.classNames[c.classId] ?? String(c.classId);
      io.stdout.write(
        `${`${c.classId} ${name}`.slice(0, 14).padEnd(14)} ${formatNumber(c.ap).padStart(6)}  ${formatNumber(c.ap50).padStart(6)}  ${formatNumber(c.ar100).padStart(6)}\n`,
      );
    }
  }
  printTiming(io, result.timing);
  printSkipped(io, result.skipped);
  if (o.json !== undefined) {
    const source = {
      model: modelDir,
      signature: o.signature ?? null,
      output: o.boxes,
      images: resolve(o.images),
      masks: null,
      shard,
    };
    writeEvaluationResults(io, resolve(o.json), source, result, result.skipped);
  }
  if (report) {
    try {
      const file = await report.write(
        'tfcv evaluate (detection)',
        `${result.images} images from ${resolve(o.coco)}${shardNote}, model ${modelDir}`,
        tableRows(result.metrics, result.states),
        metric.name,
        'Boxes',
      );
      io.stdout.write(`report: ${file}\n`);
    } catch (error) {
      throw new CliError(`cannot write the report to ${report.dir}: ${(error as Error).message}`);
    }
  }
  return EXIT_OK;
}
