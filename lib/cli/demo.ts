// `tfcv demo`, the main job with an embedded default: no arguments, no Python, a few
// seconds. It draws a synthetic inspection set with OpenCV (circles, ellipses and squares
// with exact masks), runs the bundled segnet (a tiny U-Net trained on such shapes) through
// the evaluate() pipeline, and prints the segmentation metrics, the circularity of each kind
// of shape as the true masks and the predictions give it, and an all-foreground baseline for
// scale. --report writes an HTML page with every image's predicted and true contours.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { syntheticShapes } from '../demo/synthetic_shapes';
import { evaluate } from '../evaluate/evaluate';
import { Circularity } from '../metrics/circularity';
import { MeanIoU } from '../metrics/mean_iou';
import { Model } from '../model';
import { HtmlReport } from '../report/html_report';
import { versions } from '../stats';
import { Tensor } from '../tensor';
import { CliError, EXIT_OK } from './cli_error';
import { buildMetrics, overlayThreshold } from './evaluate_command';
import { detectionDemo } from './demo_detection';
import { CliIo } from './io';
import { formatNumber, renderTable, tableRows } from './results_table';
import { ResultsFile, writeResultsFile } from './results_file';

export interface DemoCommandOptions {
  count: number;
  seed: number;
  batchSize: number;
  report?: string;
  json?: string;
}

/** The bundled demo model (test/fixtures/models/segnet, made by scripts/fixtures/make_models.py). */
export const DEMO_MODEL_DIR = path.resolve(__dirname, '../../test/fixtures/models/segnet');

export async function demoCommand(o: DemoCommandOptions, io: CliIo): Promise<number> {
  if (!existsSync(path.join(DEMO_MODEL_DIR, 'saved_model.pb'))) {
    throw new CliError(
      `the bundled demo model is missing: ${DEMO_MODEL_DIR} (a fresh clone has it; it is made by scripts/fixtures/make_models.py)`,
    );
  }
  const v = versions();
  const shapes = syntheticShapes(o.count, { size: 64, seed: o.seed });
  const model = await Model.loadSavedModel(DEMO_MODEL_DIR);
  const names = ['mean-iou', 'dice', 'pixel-accuracy', 'precision', 'recall', 'circularity'] as const;
  const metrics = buildMetrics(names, { numClasses: 2, emptyPolicy: 'zero' });
  const report = o.report === undefined ? null : new HtmlReport(path.resolve(io.cwd, o.report));
  const kindOf = new Map(shapes.map((s) => [s.id, s.kind]));
  let result;
  try {
    result = await evaluate(
      model,
      shapes.map((s) => ({ id: s.id, image: s.image, mask: s.mask })),
      metrics,
      {
        batchSize: o.batchSize,
        onBatch: report
          ? (batch) => report.addBatch(batch, overlayThreshold(batch, undefined), (id) => kindOf.get(id) ?? '')
          : undefined,
      },
    );
  } finally {
    model.dispose();
  }

  // The true masks' own circularity per shape kind, beside what the predictions give.
  const truthCircularity = new Circularity().updateSync(
    null,
    shapes.map((s) => s.mask),
  );
  // For scale: a "model" that calls every pixel foreground.
  const baseline = new MeanIoU(2);
  const truthIds = shapes.map((s) => s.mask.thresholdSync(0, 1));
  const everything = Tensor.alloc('uint8', [shapes.length, 64, 64]);
  everything.data.fill(1);
  baseline.updateSync(truthIds, everything);
  everything.dispose();
  for (const m of truthIds) m.dispose();

  io.stdout.write(
    `tfcv demo — TensorFlow ${v.tensorflow}, OpenCV ${v.opencv}\n` +
      `${result.images} synthetic inspection images (64x64 circles, ellipses and squares drawn with OpenCV, seed ${o.seed}),\n` +
      `segmented by the bundled segnet (a 27k-parameter U-Net trained on such shapes; probability > 0.5 is foreground)\n\n`,
  );
  const rows = tableRows(result.metrics, result.states);
  io.stdout.write(renderTable(rows));

  const kinds = ['circle', 'ellipse', 'square'] as const;
  const byKind = kinds.map((kind) => {
    const idx = shapes.map((s, i) => (s.kind === kind ? i : -1)).filter((i) => i >= 0);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const predicted = mean(idx.map((i) => result.samples[i]!.values.circularity ?? 0));
    const iou = mean(idx.map((i) => result.samples[i]!.values['mean-iou'] ?? NaN));
    return { kind, n: idx.length, truth: mean(idx.map((i) => truthCircularity[i]!)), predicted, iou };
  });
  io.stdout.write(`\nby shape     images  circularity (true mask)  circularity (predicted)  mean IoU per image\n`);
  for (const k of byKind) {
    io.stdout.write(
      `${k.kind.padEnd(12)} ${String(k.n).padStart(6)}  ${formatNumber(k.truth).padStart(23)}  ${formatNumber(k.predicted).padStart(23)}  ${formatNumber(k.iou).padStart(18)}\n`,
    );
  }
  const t = result.timing;
  io.stdout.write(
    `\nbaseline: calling every pixel foreground gives mean IoU ${formatNumber(baseline.result().value)} on this set\n` +
      `${result.images} images in ${(t.totalMs / 1000).toFixed(2)} s (${t.imagesPerSecond.toFixed(0)} images/s); busy time: ` +
      `decode ${t.stages.decode.toFixed(0)} ms, preprocess ${t.stages.preprocess.toFixed(0)} ms, run ${t.stages.run.toFixed(0)} ms, metrics ${t.stages.metrics.toFixed(0)} ms\n`,
  );
  await detectionDemo(shapes, o.batchSize, io);
  for (const s of shapes) {
    s.image.dispose();
    s.mask.dispose();
  }
  if (o.json !== undefined) {
    const data: ResultsFile = {
      tfcv: v.tfcv,
      command: 'demo',
      model: DEMO_MODEL_DIR,
      signature: null,
      output: result.output,
      images: null,
      masks: null,
      shards: [],
      count: result.images,
      results: result.metrics,
      states: result.states,
      perImage: result.samples.map((s) => ({ file: s.id, values: s.values })),
      skipped: [],
      timing: result.timing,
    };
    const out = path.resolve(io.cwd, o.json);
    writeResultsFile(out, data);
    io.stdout.write(`wrote ${path.relative(io.cwd, out)}\n`);
  }
  if (report) {
    let file: string;
    try {
      file = await report.write(
        'tfcv demo: segnet on synthetic shapes',
        `${result.images} synthetic images (seed ${o.seed}); baseline mean IoU (all foreground) ${formatNumber(baseline.result().value)}`,
        rows,
        'mean-iou',
      );
    } catch (error) {
      throw new CliError(`cannot write the report to ${report.dir}: ${(error as Error).message}`);
    }
    io.stdout.write(`report: ${file}\n`);
  }
  return EXIT_OK;
}
