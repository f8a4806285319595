// The `watch` command's definition (its options and their parsers), kept beside the other
// commands' in run_cli.ts by one call.
import { Command, Option } from 'commander';
import { BOX_FORMATS } from '../detection/boxes';
import { CliIo } from './io';
import { integerOption, numberOption, positiveNumberOption } from './options';
import { watchCommand, WatchCommandOptions } from './watch_command';

export function addWatchCommand(root: Command, io: CliIo, done: (code: number) => void): void {
  root
    .command('watch')
    .description(
      'run a detection (or inspection) model on a live source and serve a local page with the annotated stream and its numbers',
    )
    .argument(
      '<source>',
      'video file, rtsp:// or http:// URL, or camera device (/dev/video0); with --make-sample: the file to write',
    )
    .option('--model <dir>', 'SavedModel directory')
    .option('--make-sample', 'write a synthetic sample video (moving shapes, 3 s) to <source> and exit')
    .addOption(
      new Option('--task <task>', 'detect: boxes; inspect: parts of a mask, measured and judged')
        .choices(['detect', 'inspect'])
        .default('detect'),
    )
    .option('--boxes <key>', 'detect: output with the boxes', 'detection_boxes')
    .option('--scores <key>', 'detect: output with the scores', 'detection_scores')
    .option('--classes <key>', "detect: output with the class ids ('' for none; default detection_classes)")
    .addOption(
      new Option('--box-format <format>', 'detect: layout of the boxes (normalized)')
        .choices([...BOX_FORMATS])
        .default('yxyx'),
    )
    .option('--class-names <list>', 'detect: comma-separated names by class id')
    .option('--score-threshold <t>', 'detect: boxes scoring at most this are dropped', numberOption, 0.3)
    .option('--nms-iou <t>', 'detect: per-class NMS IoU threshold', numberOption, 0.5)
    .option('--output <key>', "inspect: the probability output (default: the model's only output)")
    .option('--threshold <t>', 'inspect: foreground probability threshold', numberOption, 0.5)
    .option('--min-area <px>', 'inspect: a part smaller than this fails', numberOption)
    .option('--max-area <px>', 'inspect: a part larger than this fails', numberOption)
    .option('--min-circularity <c>', 'inspect: a part less round than this fails (0..1)', numberOption)
    .option('--divisor <d>', 'float inputs get pixel / divisor (> 0)', positiveNumberOption, 255)
    .addOption(
      new Option('--policy <policy>', 'when the model is slower than the source')
        .choices(['latest', 'wait', 'drop-oldest'])
        .default('latest'),
    )
    .option('--max-in-flight <n>', 'frames in the model at once', integerOption(1, 64), 1)
    .addOption(
      new Option('--pacing <pacing>', 'files: at their frame rate or as fast as possible')
        .choices(['realtime', 'fast'])
        .default('realtime'),
    )
    .option('--loop', 'files: start again at the end')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', integerOption(0, 65535), 8080)
    .option(
      '--frames <n>',
      'stop after this many results (0: run until the source ends or Ctrl-C)',
      integerOption(0),
      0,
    )
    .option('--save <file>', 'also write the annotated stream to this video file')
    .action(async (source: string, opts: WatchCommandOptions) =>
      done(await watchCommand(source, { ...opts, loop: opts.loop === true }, io)),
    );
}
