// Per-frame object detection for a stream pipeline: each frame goes through one shared
// Batcher (so frames of several sources, or several in flight, run as one batch), and the
// box output is mapped back to the frame's pixels with boxesFromTensor (the fit used by the
// batcher's preprocess undone), then per-class NMS — the same steps as evaluate()'s detection
// path, so a frame's detections equal running the model on that frame alone.
import { Batcher, BatcherOptions } from '../batcher';
import { refuseUnknownKey } from '../option_keys';
import { ArgumentError } from '../errors';
import { DetectionOutputs, decodeImage, readOutputs } from '../evaluate/evaluate_detection';
import { Model } from '../model';
import { PreprocessSpec, ResolvedPreprocessSpec, specFromSignature } from '../preprocess_spec';
import * as v from '../validate';
import type { VideoFrame } from './video_source';

export interface DetectorOptions {
  /** Which outputs hold boxes, scores and classes, and the box layout (see evaluate's detection options). */
  outputs: DetectionOutputs;
  /** Preprocess over the signature's spec, e.g. { scale: 1 / 255, resize: 'letterbox' }. Frames are BGR unless the source says rgb. */
  preprocess?: Partial<PreprocessSpec>;
  /** Per-class NMS, or false. Default { iouThreshold: 0.5, scoreThreshold: 0.3 }. */
  nms?: { iouThreshold?: number; scoreThreshold?: number } | false;
  /** Names by class id, for labels and counts. */
  classNames?: readonly string[];
  /** Options of the batcher made for this detector (maxBatchSize, maxDelayMs, ...). */
  batcher?: Omit<BatcherOptions, 'preprocess' | 'outputs'>;
}

/** Detections of one frame, in its pixels. */
export interface Detections {
  /** [x, y, w, h] per box, frame pixels. */
  boxes: Float32Array;
  classes: Int32Array;
  scores: Float32Array;
  /** Boxes per class name (or id). */
  counts: Record<string, number>;
}

export interface Detector {
  (frame: VideoFrame): Promise<Detections>;
  readonly batcher: Batcher;
  readonly spec: ResolvedPreprocessSpec;
  readonly classNames: readonly string[];
  /** Closes the batcher (the model stays open). */
  close(): Promise<void>;
}

const KEYS = ['outputs', 'preprocess', 'nms', 'classNames', 'batcher'];

/** A process() for streamPipeline that detects objects in each frame with `model`. */
export function detector(model: Model, options: DetectorOptions): Detector {
  if (!Model.isModel(model)) throw new ArgumentError(`model: expected a Model, got ${v.describe(model)}`);
  if (options === null || typeof options !== 'object')
    throw new ArgumentError(
      `options: expected { outputs, preprocess?, nms?, classNames?, batcher? }, got ${v.describe(options)}`,
    );
  for (const key of Object.keys(options)) if (!KEYS.includes(key)) refuseUnknownKey(key, 'detector', KEYS, 'options');
  const signature = options.batcher?.signature ?? model.defaultSignature;
  const inputs = Object.entries(model.inputs(signature));
  if (inputs.length !== 1)
    throw new ArgumentError(
      `model: the signature '${signature}' has ${inputs.length} inputs; a detector feeds one image input`,
    );
  const [inputKey, input] = inputs[0]!;
  const outputs = readOutputs(options.outputs, Object.keys(model.outputs(signature)).sort());
  const spec = specFromSignature({ dtype: input.dtype, shape: input.shape ?? [] }, options.preprocess ?? {});
  const nms = readNms(options.nms);
  const classNames = (options.classNames ?? []).map((n, i) => {
    if (typeof n !== 'string')
      throw new ArgumentError(`options.classNames[${i}]: expected a string, got ${v.describe(n)}`);
    return n;
  });
  const batcher = model.batcher({
    ...(options.batcher ?? {}),
    preprocess: options.preprocess ?? {},
    outputs: [outputs.boxes, outputs.scores, ...(outputs.classes ? [outputs.classes] : [])],
  });
  const target = { width: spec.width, height: spec.height };
  const run = async (frame: VideoFrame): Promise<Detections> => {
    const out = await batcher.run({ [inputKey]: frame.mat });
    try {
      const d = decodeImage(
        out,
        outputs,
        0,
        { resize: spec.resize, source: { width: frame.mat.cols, height: frame.mat.rows }, target },
        nms,
      );
      const counts: Record<string, number> = {};
      for (const c of d.classes) {
        const name = classNames[c] ?? String(c);
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return { ...d, counts };
    } finally {
      for (const t of Object.values(out)) t.dispose();
    }
  };
  return Object.assign(run, {
    batcher,
    spec,
    classNames,
    close: () => batcher.close(),
  });
}

function readNms(value: unknown): { iouThreshold: number; scoreThreshold: number } | null {
  if (value === false) return null;
  const o = v.selfCheckedOptions(
    value as { iouThreshold?: number; scoreThreshold?: number } | undefined,
    'options.nms',
  );
  for (const key of Object.keys(o))
    if (key !== 'iouThreshold' && key !== 'scoreThreshold')
      refuseUnknownKey(key, 'detector (options.nms)', ['iouThreshold', 'scoreThreshold'], 'options.nms');
  return {
    iouThreshold: o.iouThreshold === undefined ? 0.5 : v.finiteNumber(o.iouThreshold, 'options.nms.iouThreshold'),
    scoreThreshold:
      o.scoreThreshold === undefined ? 0.3 : v.finiteNumber(o.scoreThreshold, 'options.nms.scoreThreshold'),
  };
}
