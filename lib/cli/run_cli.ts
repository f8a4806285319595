// The tfcv command's definition (commander): `evaluate`, `merge`, `demo` (and `setup`, `doctor`), each parsed,
// run, and turned into an exit code. It never calls process.exit, so tests run every path
// in-process with captured output; bin/tfcv (tfcv.ts) wires it to the real process.
import { Command, CommanderError, Option } from 'commander';
import { versions } from '../stats';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli_error';
import { demoCommand, DemoCommandOptions } from './demo';
import { EvaluateCommandOptions, evaluateCommand } from './evaluate_command';
import { CliIo } from './io';
import { addMaintenanceCommands } from './maintenance_cli';
import { mergeCommand } from './merge_command';
import { addServeCommand } from './serve_cli';
import { addWatchCommand } from './watch_cli';
import { integerOption, metricListOption, metricSpecOption, numberOption, positiveNumberOption } from './options';

function program(io: CliIo, done: (code: number) => void): Command {
  const root = new Command('tfcv')
    .description(
      'Evaluate TensorFlow models on images with OpenCV metrics (tfcv: TensorFlow C API + OpenCV for Node.js)',
    )
    .version(versions().tfcv, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(tfcv --help for usage)');

  root
    .command('evaluate')
    .description(
      'run a SavedModel over a folder of images (and masks, or COCO annotations for detection) and report metrics',
    )
    .requiredOption('--model <dir>', 'SavedModel directory')
    .requiredOption('--images <dir>', 'directory of images (png, jpg, bmp, tif, webp, ...)')
    .option('--masks <dir>', 'directory of truth masks, paired with images by file name (cat.jpg <-> cat.png)')
    .option('--signature <key>', "signature to run (default: the model's default)")
    .option('--output <key>', 'output fed to the metrics (default: the only output, else the first one-channel output)')
    .option(
      '--metrics <list>',
      'comma-separated: circularity, segmentation-accuracy, avg-pixel-value, mean-iou, iou, dice, pixel-accuracy, binary-accuracy, precision, recall, confusion-matrix',
      metricListOption,
    )
    .option(
      '--metric <name:key=value,...>',
      'a metric with its own settings, repeatable: e.g. --metric circularity:threshold=127 --metric segmentation-accuracy:threshold=100,min-pixels=500 (settings: threshold, min-pixels, empty-policy, num-classes, ignore-class, as the metric reads them)',
      metricSpecOption,
    )
    .option(
      '--prediction-scale <s>',
      "multiply the model's (float) output by s before the metrics: 255 states thresholds on the 0..255 scale of masks for a model giving probabilities in [0, 1]",
      positiveNumberOption,
    )
    .option('--num-classes <n>', 'classes of the masks', integerOption(1, 4096), 2)
    .option('--threshold <t>', 'probability threshold of one-channel predictions (default 0.5)', numberOption)
    .option('--ignore-class <id>', 'truth class left out of the pixel metrics', integerOption(-(2 ** 31), 2 ** 31 - 1))
    .addOption(
      new Option('--empty-policy <policy>', 'circularity of an image without a contour')
        .choices(['zero', 'skip', 'nan'])
        .default('zero'),
    )
    .option(
      '--min-pixels <n>',
      'segmentation-accuracy: positive when more pixels than this (default 500)',
      integerOption(0),
    )
    .addOption(
      new Option(
        '--mask-mode <mode>',
        "'auto': 0/255 masks as binary, others as class ids (checked against --num-classes); 'binary': non-zero is class 1; 'ids': pixel values are class ids",
      )
        .choices(['auto', 'binary', 'ids'])
        .default('auto'),
    )
    .addOption(
      new Option('--channel-order <order>', 'channel order fed to the model').choices(['rgb', 'bgr']).default('rgb'),
    )
    .option('--divisor <d>', 'float inputs get pixel / divisor (> 0)', positiveNumberOption, 255)
    .option('--batch-size <n>', 'images per model run', integerOption(1, 65536), 16)
    .option('--concurrency <n>', 'images decoded at once', integerOption(1, 1024), 4)
    .option(
      '--shard <I/N|auto>',
      'evaluate only slice I of N (1-based) of the name-sorted images; merge the results with tfcv merge. auto: from JOB_COMPLETION_INDEX / JOB_COMPLETIONS (a Kubernetes Indexed Job)',
    )
    .option('--json <file>', 'write results, metric states and per-image values')
    .option('--report <dir>', 'write an HTML report with per-image overlays')
    .option(
      '--plots <dir>',
      'write PNG plots (detection: confusion matrix, PR curves, P/R/F1 against confidence; masks: confusion matrix, per-image IoU histogram)',
    )
    .option(
      '--coco <file>',
      'detection: a COCO-format annotations file for the images (reports COCO mAP; needs --boxes and --scores)',
    )
    .option('--boxes <output>', 'detection: the output holding boxes [N,K,4]')
    .option('--scores <output>', 'detection: the output holding scores [N,K]')
    .option('--classes <output>', 'detection: the output holding class ids [N,K] (default: one class)')
    .addOption(
      new Option('--box-format <format>', 'detection: layout of the boxes')
        .choices(['yxyx', 'xyxy', 'xywh', 'cxcywh'])
        .default('yxyx'),
    )
    .option('--pixel-boxes', 'detection: boxes are in model-input pixels (default: normalized to [0, 1])')
    .option(
      '--class-offset <n>',
      "detection: added to the model's class ids to give the annotation category ids",
      integerOption(-(2 ** 30), 2 ** 30),
      0,
    )
    .addOption(
      new Option('--resize <mode>', 'detection: how images are fitted to the model input')
        .choices(['stretch', 'letterbox', 'center-crop'])
        .default('stretch'),
    )
    .option('--nms-iou <t>', 'detection: per-class NMS IoU threshold', numberOption, 0.5)
    .option('--score-threshold <t>', 'detection: detections scoring at most this are dropped', numberOption, 0.05)
    .option('--keep-going', 'skip (and list) unreadable images and images without a mask instead of failing', false)
    .option('--no-progress', 'no progress bar')
    .action(async (opts: EvaluateCommandOptions) => done(await evaluateCommand(opts, io)));

  root
    .command('merge')
    .description('combine the metric states of several --json results (shards) into one result')
    .argument('<files...>', 'results files written by tfcv evaluate --json')
    .option('--json <file>', 'write the merged results')
    .action(async (files: string[], opts: { json?: string }) => done(await mergeCommand(files, opts, io)));

  root
    .command('demo')
    .description(
      'segment a synthetic inspection set with the bundled model and print the metrics (no arguments needed)',
    )
    .option('--count <n>', 'images to draw', integerOption(1, 10000), 96)
    .option('--seed <n>', 'seed of the synthetic set', integerOption(0, 2 ** 32 - 1), 1)
    .option('--batch-size <n>', 'images per model run', integerOption(1, 4096), 32)
    .option('--report <dir>', 'write an HTML report with per-image overlays')
    .option('--json <file>', 'write results, metric states and per-image values')
    .action(async (opts: DemoCommandOptions) => done(await demoCommand(opts, io)));

  addServeCommand(root, io, done);
  addWatchCommand(root, io, done);
  addMaintenanceCommands(root, io, done);
  return root;
}

/** Runs the command line `argv` (without node and the script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = EXIT_USAGE;
  const root = program(io, (c) => (code = c));
  if (argv.length === 0) {
    io.stderr.write(root.helpInformation());
    return EXIT_USAGE;
  }
  try {
    await root.parseAsync(argv as string[], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exit code 0; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`tfcv: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`tfcv: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
