// Per-frame inspection for a stream pipeline (the inspection line): a segmentation model's
// foreground probability is thresholded, scaled back to the frame, split into parts
// (external contours) and each part measured — area, perimeter, circularity
// (4*pi*area / perimeter^2, as the Circularity metric), bounding box and mean pixel value
// of the frame inside it — then judged by a pass/fail rule on those measures.
import { Batcher, BatcherOptions } from '../batcher';
import { refuseUnknownKey } from '../option_keys';
import { arcLength, boundingRect, contourArea } from '../contours';
import { ArgumentError, ShapeError } from '../errors';
import type { Rect } from '../mat';
import { Mat } from '../mat';
import { Model } from '../model';
import '../ops/analysis';
import '../ops/draw';
import '../ops/geometry';
import { PreprocessSpec, ResolvedPreprocessSpec, specFromSignature } from '../preprocess_spec';
import * as v from '../validate';
import type { VideoFrame } from './video_source';

/** Bounds a part must meet to pass; a bound left out is not checked. */
export interface InspectionRule {
  minArea?: number;
  maxArea?: number;
  minCircularity?: number;
  maxCircularity?: number;
  /** Mean pixel value inside the part (mean of the channels, 0..255). */
  minMean?: number;
  maxMean?: number;
}

export interface InspectorOptions {
  /** The one-channel probability output (e.g. 'foreground'). Default: the signature's only output. */
  output?: string;
  /** Probability above which a pixel is foreground. Default 0.5. */
  threshold?: number;
  /** Parts smaller than this many pixels (frame pixels) are noise and left out. Default 20. */
  minPartArea?: number;
  /** Default {} (every part passes). */
  rule?: InspectionRule;
  /** Preprocess over the signature's spec, e.g. { scale: 1 / 255 } (resize must stay 'stretch'). */
  preprocess?: Partial<PreprocessSpec>;
  batcher?: Omit<BatcherOptions, 'preprocess' | 'outputs'>;
}

export interface InspectedPart {
  box: Rect;
  area: number;
  perimeter: number;
  circularity: number;
  mean: number;
  pass: boolean;
  /** The bounds it broke ('minArea', ...). */
  failed: string[];
  /** The outline in frame pixels (x, y pairs). */
  contour: Int32Array;
}

export interface Inspection {
  parts: InspectedPart[];
  /** True when every part passes (and there is at least one). */
  pass: boolean;
  counts: { pass: number; fail: number };
}

export interface Inspector {
  (frame: VideoFrame): Promise<Inspection>;
  readonly batcher: Batcher;
  readonly spec: ResolvedPreprocessSpec;
  close(): Promise<void>;
}

const KEYS = ['output', 'threshold', 'minPartArea', 'rule', 'preprocess', 'batcher'];
const RULE_KEYS = ['minArea', 'maxArea', 'minCircularity', 'maxCircularity', 'minMean', 'maxMean'] as const;

function readRule(value: unknown): InspectionRule {
  const o = v.selfCheckedOptions(value as InspectionRule | undefined, 'options.rule');
  const rule: InspectionRule = {};
  for (const [key, x] of Object.entries(o)) {
    if (!(RULE_KEYS as readonly string[]).includes(key))
      refuseUnknownKey(key, 'inspector (options.rule)', RULE_KEYS, 'options.rule');
    rule[key as keyof InspectionRule] = v.finiteNumber(x, `options.rule.${key}`);
  }
  return rule;
}

/** Measures and judges one part. */
export function judgePart(
  measures: { area: number; circularity: number; mean: number },
  rule: InspectionRule = {},
): string[] {
  if (measures === null || typeof measures !== 'object')
    throw new ArgumentError(`measures: expected { area, circularity, mean }, got ${v.describe(measures)}`);
  for (const key of ['area', 'circularity', 'mean'] as const) v.finiteNumber(measures[key], `measures.${key}`);
  rule = readRule(rule);
  const failed: string[] = [];
  const check = (key: keyof InspectionRule, ok: boolean) => {
    if (rule[key] !== undefined && !ok) failed.push(key);
  };
  check('minArea', measures.area >= rule.minArea!);
  check('maxArea', measures.area <= rule.maxArea!);
  check('minCircularity', measures.circularity >= rule.minCircularity!);
  check('maxCircularity', measures.circularity <= rule.maxCircularity!);
  check('minMean', measures.mean >= rule.minMean!);
  check('maxMean', measures.mean <= rule.maxMean!);
  return failed;
}

/** A process() for streamPipeline that segments each frame with `model` and measures every part. */
export function inspector(model: Model, options: InspectorOptions = {}): Inspector {
  if (!Model.isModel(model)) throw new ArgumentError(`model: expected a Model, got ${v.describe(model)}`);
  const o = v.selfCheckedOptions(options, 'options');
  for (const key of Object.keys(o)) if (!KEYS.includes(key)) refuseUnknownKey(key, 'inspector', KEYS, 'options');
  const signature = o.batcher?.signature ?? model.defaultSignature;
  const inputs = Object.entries(model.inputs(signature));
  if (inputs.length !== 1)
    throw new ArgumentError(
      `model: the signature '${signature}' has ${inputs.length} inputs; an inspector feeds one image input`,
    );
  const [inputKey, input] = inputs[0]!;
  const outputKeys = Object.keys(model.outputs(signature)).sort();
  const output = o.output ?? (outputKeys.length === 1 ? outputKeys[0]! : undefined);
  if (output === undefined || !outputKeys.includes(output))
    throw new ArgumentError(`options.output: expected one of ${outputKeys.join(', ')}, got ${v.describe(o.output)}`);
  const threshold = o.threshold === undefined ? 0.5 : v.finiteNumber(o.threshold, 'options.threshold');
  const minPartArea = o.minPartArea === undefined ? 20 : v.finiteNumber(o.minPartArea, 'options.minPartArea');
  const rule = readRule(o.rule);
  const spec = specFromSignature({ dtype: input.dtype, shape: input.shape ?? [] }, o.preprocess ?? {});
  if (spec.resize !== 'stretch')
    throw new ArgumentError(
      `options.preprocess.resize: an inspector maps masks back with 'stretch', got '${spec.resize}'`,
    );
  const batcher = model.batcher({ ...(o.batcher ?? {}), preprocess: o.preprocess ?? {}, outputs: [output] });

  const run = async (frame: VideoFrame): Promise<Inspection> => {
    const out = await batcher.run({ [inputKey]: frame.mat });
    let small: Mat;
    try {
      const t = out[output]!;
      const s = t.shape;
      if (s.length !== 4 || s[3] !== 1 || t.dtype !== 'float32')
        throw new ShapeError(
          `output '${output}': expected float32 [1,H,W,1] probabilities, got ${t.dtype} [${s.join(',')}]`,
        );
      const p = t.data as Float32Array;
      const bytes = new Uint8Array(p.length);
      for (let i = 0; i < p.length; i++) bytes[i] = p[i]! > threshold ? 255 : 0;
      small = Mat.fromBuffer(bytes, { rows: s[1]!, cols: s[2]! });
    } finally {
      for (const t of Object.values(out)) t.dispose();
    }
    const mask = await small.resize({ width: frame.mat.cols, height: frame.mat.rows }, { interpolation: 'nearest' });
    small.dispose();
    try {
      const { contours } = await mask.findContours({ mode: 'external' });
      const parts: InspectedPart[] = [];
      const partMask = Mat.zeros(frame.mat.rows, frame.mat.cols);
      try {
        for (const contour of contours) {
          const area = contourArea(contour);
          if (area < minPartArea) continue;
          const perimeter = arcLength(contour, { closed: true });
          const circularity = perimeter > 0 ? (4 * Math.PI * area) / (perimeter * perimeter) : 0;
          partMask.setTo(0);
          partMask.drawContours([contour], [255], { thickness: 'filled' });
          const means = await frame.mat.mean({ mask: partMask });
          const mean = (means[0]! + means[1]! + means[2]!) / 3;
          const failed = judgePart({ area, circularity, mean }, rule);
          parts.push({
            box: boundingRect(contour),
            area,
            perimeter,
            circularity,
            mean,
            pass: failed.length === 0,
            failed,
            contour,
          });
        }
      } finally {
        partMask.dispose();
      }
      const fail = parts.filter((q) => !q.pass).length;
      return { parts, pass: parts.length > 0 && fail === 0, counts: { pass: parts.length - fail, fail } };
    } finally {
      mask.dispose();
    }
  };
  return Object.assign(run, { batcher, spec, close: () => batcher.close() });
}
