// `tfcv watch <source> --model DIR`: a live local page with the annotated stream of a file,
// URL or camera through a detection model (or, with --task inspect, a segmentation model
// whose parts are measured and judged), with fps, capture-to-result latency p50 / p99,
// dropped frames and counts per class or pass / fail; /metrics for Prometheus.
// `tfcv watch --make-sample FILE` writes the synthetic sample video the README uses.
import path from 'node:path';
import { Batcher } from '../batcher';
import { Model } from '../model';
import { detector, Detections } from '../stream/detector';
import { inspector, Inspection, InspectionRule } from '../stream/inspector';
import { streamPipeline, FlowPolicy } from '../stream/pipeline';
import { writeSampleVideo } from '../stream/sample_video';
import { openVideo, VideoFrame } from '../stream/video_source';
import { startWatchServer } from '../stream/watch_server';
import { BoxFormat } from '../detection/boxes';
import { TfcvError } from '../errors';
import { CliError, EXIT_OK, usageError } from './cli_error';
import { CliIo } from './io';

export interface WatchCommandOptions {
  model?: string;
  makeSample?: boolean;
  task: 'detect' | 'inspect';
  boxes: string;
  scores: string;
  classes?: string;
  boxFormat: BoxFormat;
  classNames?: string;
  scoreThreshold: number;
  nmsIou: number;
  output?: string;
  threshold: number;
  minArea?: number;
  maxArea?: number;
  minCircularity?: number;
  divisor: number;
  policy: FlowPolicy;
  maxInFlight: number;
  pacing: 'realtime' | 'fast';
  loop: boolean;
  host: string;
  port: number;
  frames: number;
  save?: string;
}

export async function watchCommand(source: string, opts: WatchCommandOptions, io: CliIo): Promise<number> {
  const local = (p: string) => (/^[a-z][\w+.-]*:\/\//i.test(p) || p.startsWith('/dev/') ? p : path.resolve(io.cwd, p));
  if (opts.makeSample) {
    const file = local(source);
    const truth = await writeSampleVideo(file);
    io.stdout.write(
      `wrote ${file}: ${truth.length} frames, 256x256, 30 fps (a circle, an ellipse and a square moving)\n`,
    );
    return EXIT_OK;
  }
  if (opts.model === undefined) throw usageError("required option '--model <dir>' not specified");
  const model = await Model.loadSavedModel(local(opts.model));
  const classNames = opts.classNames?.split(',').map((s) => s.trim());
  try {
    const preprocess = { scale: 1 / opts.divisor };
    const process: ((f: VideoFrame) => Promise<Detections | Inspection>) & {
      close(): Promise<void>;
      batcher: Batcher;
    } =
      opts.task === 'detect'
        ? detector(model, {
            outputs: {
              boxes: opts.boxes,
              scores: opts.scores,
              ...(opts.classes === '' ? {} : { classes: opts.classes ?? 'detection_classes' }),
              format: opts.boxFormat,
            },
            preprocess,
            batcher: { warmup: true },
            nms: { iouThreshold: opts.nmsIou, scoreThreshold: opts.scoreThreshold },
            ...(classNames ? { classNames } : {}),
          })
        : inspector(model, {
            ...(opts.output ? { output: opts.output } : {}),
            threshold: opts.threshold,
            rule: Object.fromEntries(
              Object.entries({
                minArea: opts.minArea,
                maxArea: opts.maxArea,
                minCircularity: opts.minCircularity,
              }).filter(([, x]) => x !== undefined),
            ) as InspectionRule,
            preprocess,
            batcher: { warmup: true },
          });
    // The first runs of a model are slow (graph optimisation): done before the source starts.
    await process.batcher.ready;
    const video = openVideo(local(source), {
      ...(/^[a-z][\w+.-]*:\/\//i.test(source) || source.startsWith('/dev/')
        ? {}
        : { pacing: opts.pacing, loop: opts.loop }),
    });
    const pipeline = streamPipeline<Detections | Inspection>(video, {
      process,
      policy: opts.policy,
      maxInFlight: opts.maxInFlight,
    });
    const server = await startWatchServer(pipeline, {
      host: opts.host,
      port: opts.port,
      title: `${path.basename(source)} — ${path.basename(opts.model)} (${opts.task})`,
      classNames,
      maxResults: opts.frames,
      ...(opts.save ? { save: local(opts.save) } : {}),
    });
    io.stdout.write(`tfcv watch: ${server.url} (Ctrl-C to stop)\n`);
    const stop = () => void server.stop();
    globalThis.process.once('SIGINT', stop);
    globalThis.process.once('SIGTERM', stop);
    try {
      await server.done;
    } finally {
      globalThis.process.off('SIGINT', stop);
      globalThis.process.off('SIGTERM', stop);
      await process.close();
    }
    const s = pipeline.stats();
    io.stdout.write(
      `${s.processed} frames processed, ${s.dropped} dropped; latency p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof TfcvError) throw new CliError(error.message);
    throw error;
  } finally {
    model.dispose();
  }
}
