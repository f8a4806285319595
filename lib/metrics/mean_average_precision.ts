// COCO mean average precision for object detection, equal to pycocotools' COCOeval
// (iouType 'bbox'): the twelve summary numbers and the same per class. update() matches
// each image's detections to its truth natively (off the event loop) and keeps only the
// compact per-image match records; result() accumulates them. Records merge by
// concatenation, so states from workers and shards merge exactly; images count in the
// order they were seen, which breaks ties in score across images the way COCOeval's
// sorted image ids do (feed images in ascending id order to reproduce a COCO file run).
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { BOX_FORMATS, BoxFormat, BoxesInput, readBoxes, readNumbers } from '../detection/boxes';
import { native, NativeCocoPredictions, NativeCocoTruth } from '../binding';
import type { MetricInput, SampleWeight } from './inputs';
import { Measurement, Metric, MetricJSON, MetricResult, TruthInput, registerMetricKind } from './metric';
import { formatList, formatNumber } from './format_number';
import { DetectionCurves, detectionCurves } from './detection_curves';
import * as opt from './options';
import { optionKeys } from '../option_keys';

/** One image's true boxes ([x, y, w, h] pixels unless the metric's boxFormat says otherwise). */
export interface DetectionTruth {
  boxes: BoxesInput;
  /** Class id per box (int32). */
  classes: Int32Array | readonly number[];
  /** Per box: a crowd region (1 / true) matches any number of detections and is never counted as missed. Default all 0. */
  iscrowd?: Uint8Array | readonly (number | boolean)[];
  /** Per box: the area used for the small / medium / large ranges (COCO's segment area); null or omitted: w * h. */
  area?: Float32Array | Float64Array | readonly (number | null)[];
}

/** One image's detections. */
export interface DetectionPrediction {
  boxes: BoxesInput;
  classes: Int32Array | readonly number[];
  scores: Float32Array | Float64Array | readonly number[];
}

export interface MeanAveragePrecisionOptions {
  /** Layout of the boxes given to update(). Default 'xywh' (COCO's). */
  boxFormat?: BoxFormat;
  name?: string;
}

/** COCOeval.summarize()'s twelve numbers; NaN where pycocotools prints -1 (nothing to measure). */
const KEYS = optionKeys<MeanAveragePrecisionOptions>('new MeanAveragePrecision', { boxFormat: true, name: true });

export interface CocoStats {
  /** AP over IoU 0.50:0.05:0.95, all areas, 100 detections. */
  ap: number;
  ap50: number;
  ap75: number;
  apSmall: number;
  apMedium: number;
  apLarge: number;
  /** AR with at most 1, 10, 100 detections per image and class. */
  ar1: number;
  ar10: number;
  ar100: number;
  arSmall: number;
  arMedium: number;
  arLarge: number;
}

export interface MeanAveragePrecisionResult extends MetricResult, CocoStats {
  /** = ap. */
  value: number;
  /** The twelve numbers in COCOeval's order (ap, ap50, ..., arLarge), NaN for -1. */
  stats: number[];
  /** Per class id seen in truth or predictions (ascending): the same twelve numbers for that class alone. */
  perClass: Array<CocoStats & { classId: number }>;
  /** Images seen. */
  images: number;
}

const STAT_NAMES: ReadonlyArray<keyof CocoStats> = [
  'ap',
  'ap50',
  'ap75',
  'apSmall',
  'apMedium',
  'apLarge',
  'ar1',
  'ar10',
  'ar100',
  'arSmall',
  'arMedium',
  'arLarge',
];
const INT32 = (x: number) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

function statsOf(values: ArrayLike<number>, at: number): CocoStats {
  const out = {} as CocoStats;
  STAT_NAMES.forEach((name, i) => {
    out[name] = values[at + i]!;
  });
  return out;
}

/** Most images one update may carry (a whole COCO split is 5,000 or 41,000). */
const MAX_IMAGES_PER_UPDATE = 2 ** 20;

function listOf(value: unknown, name: string): unknown[] {
  // Length first, then index by index: a hole is refused as an image (imageObject(undefined))
  // instead of being counted, and a sparse array of length 2**32-1 is an error at once.
  if (Array.isArray(value)) return v.arrayItems(value, name, MAX_IMAGES_PER_UPDATE, 'an array of images');
  if (value !== null && typeof value === 'object') return [value];
  throw new ArgumentError(
    `${name}: expected one image's { boxes, classes, ... } or an array of them, got ${v.describe(value)}`,
  );
}

function imageObject(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArgumentError(`${name}: expected { boxes, classes, ... }, got ${v.describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function packTruth(images: unknown[], format: BoxFormat): NativeCocoTruth {
  const boxes: Float64Array[] = [],
    classes: number[] = [],
    crowd: number[] = [],
    area: number[] = [];
  const offsets = new Uint32Array(images.length + 1);
  images.forEach((image, i) => {
    const name = `yTrue[${i}]`;
    const t = imageObject(image, name);
    const b = readBoxes(t.boxes, `${name}.boxes`, format);
    const n = b.length / 4;
    for (let k = 0; k < n; k++) {
      if (b[k * 4 + 2]! < 0 || b[k * 4 + 3]! < 0)
        throw new ArgumentError(
          `${name}.boxes[${k}]: expected width and height >= 0, got ${b[k * 4 + 2]} x ${b[k * 4 + 3]}`,
        );
    }
    boxes.push(b);
    const c = readNumbers(t.classes, `${name}.classes`, n, INT32, 'an int32 class id');
    for (let k = 0; k < n; k++) classes.push(c[k]!);
    if (t.iscrowd === undefined) for (let k = 0; k < n; k++) crowd.push(0);
    else {
      const list = t.iscrowd as ArrayLike<unknown>;
      if (!(Array.isArray(list) || list instanceof Uint8Array) || list.length !== n)
        throw new ArgumentError(`${name}.iscrowd: expected ${n} flags (0 / 1 or booleans), got ${v.describe(list)}`);
      for (let k = 0; k < n; k++) {
        const x = list[k];
        if (x !== 0 && x !== 1 && x !== true && x !== false)
          throw new ArgumentError(`${name}.iscrowd[${k}]: expected 0, 1 or a boolean, got ${v.describe(x)}`);
        crowd.push(x === 1 || x === true ? 1 : 0);
      }
    }
    if (t.area === undefined) for (let k = 0; k < n; k++) area.push(-1);
    else {
      const list = t.area as ArrayLike<unknown>;
      if (!(Array.isArray(list) || list instanceof Float32Array || list instanceof Float64Array) || list.length !== n)
        throw new ArgumentError(`${name}.area: expected ${n} areas (or null), got ${v.describe(list)}`);
      for (let k = 0; k < n; k++) {
        const x = list[k];
        if (x === null || x === undefined) area.push(-1);
        else if (typeof x === 'number' && Number.isFinite(x) && x >= 0) area.push(x);
        else throw new ArgumentError(`${name}.area[${k}]: expected a finite area >= 0 or null, got ${v.describe(x)}`);
      }
    }
    offsets[i + 1] = classes.length;
  });
  return {
    boxes: concat(boxes),
    classes: Int32Array.from(classes),
    crowd: Uint8Array.from(crowd),
    area: Float64Array.from(area),
    offsets,
  };
}

function packPredictions(images: unknown[], format: BoxFormat): NativeCocoPredictions {
  const boxes: Float64Array[] = [],
    classes: Int32Array[] = [],
    scores: Float64Array[] = [];
  const offsets = new Uint32Array(images.length + 1);
  images.forEach((image, i) => {
    const name = `yPred[${i}]`;
    const p = imageObject(image, name);
    const b = readBoxes(p.boxes, `${name}.boxes`, format);
    const n = b.length / 4;
    boxes.push(b);
    classes.push(Int32Array.from(readNumbers(p.classes, `${name}.classes`, n, INT32, 'an int32 class id')));
    scores.push(Float64Array.from(readNumbers(p.scores, `${name}.scores`, n, Number.isFinite, 'a finite score')));
    offsets[i + 1] = offsets[i]! + n;
  });
  const allClasses = new Int32Array(offsets[images.length]!);
  let at = 0;
  for (const c of classes) {
    allClasses.set(c, at);
    at += c.length;
  }
  return { boxes: concat(boxes), classes: allClasses, scores: concat(scores), offsets };
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * COCO mAP (pycocotools COCOeval, bbox) as a streaming metric. update(yTrue, yPred) takes
 * one image's { boxes, classes, iscrowd?, area? } and { boxes, classes, scores }, or arrays
 * of them (same length); it resolves with each image's AP@[.50:.95] (NaN without truth).
 */
export class MeanAveragePrecision extends Metric<MeanAveragePrecisionResult> {
  readonly kind = 'MeanAveragePrecision';
  readonly usesTruth = true;
  declare readonly config: Readonly<{ boxFormat: BoxFormat }>;
  #records: Float64Array[] = [];

  constructor(options?: MeanAveragePrecisionOptions) {
    const o = opt.metricOptions(options, KEYS);
    super(o.name, 'mean-average-precision', {
      boxFormat: v.oneOf(o.boxFormat, BOX_FORMATS, 'options.boxFormat', 'xywh'),
    });
  }

  override update(
    yTrue: TruthInput | DetectionTruth | readonly DetectionTruth[],
    yPred: MetricInput | DetectionPrediction | readonly DetectionPrediction[],
    sampleWeight?: SampleWeight,
  ): Promise<number[]> {
    return super.update(yTrue as TruthInput, yPred as MetricInput, sampleWeight);
  }

  override updateSync(
    yTrue: TruthInput | DetectionTruth | readonly DetectionTruth[],
    yPred: MetricInput | DetectionPrediction | readonly DetectionPrediction[],
    sampleWeight?: SampleWeight,
  ): number[] {
    return super.updateSync(yTrue as TruthInput, yPred as MetricInput, sampleWeight);
  }

  override updateState(
    yTrue: TruthInput | DetectionTruth | readonly DetectionTruth[],
    yPred: MetricInput | DetectionPrediction | readonly DetectionPrediction[],
    sampleWeight?: SampleWeight,
  ): Promise<number[]> {
    return this.update(yTrue, yPred, sampleWeight);
  }

  /** @internal */
  protected measure(yTrue: unknown, yPred: unknown): Measurement<Float64Array> {
    const truthList = listOf(yTrue, 'yTrue');
    const predList = listOf(yPred, 'yPred');
    if (truthList.length !== predList.length) {
      throw new ArgumentError(
        `yPred: expected one prediction per truth image (${truthList.length}), got ${predList.length}`,
      );
    }
    const truth = packTruth(truthList, this.config.boxFormat);
    const predictions = packPredictions(predList, this.config.boxFormat);
    return {
      count: truthList.length,
      sync: () => native.cocoMatchSync(truth, predictions),
      async: () => native.cocoMatch(truth, predictions),
    };
  }

  /** @internal */
  protected emptyState() {
    return { images: 0 };
  }

  /** @internal */
  protected perSample(raw: Float64Array, count: number): number[] {
    return Array.from(raw.subarray(0, count));
  }

  /** @internal */
  protected accumulate(raw: Float64Array, count: number, weights: number[] | null): number[] {
    if (weights !== null)
      throw new ArgumentError('sampleWeight: MeanAveragePrecision does not weight images (COCO has no such notion)');
    if (raw.length > count) this.#records.push(raw.subarray(count));
    (this.state as Record<string, number>).images! += count;
    return this.perSample(raw, count);
  }

  override reset(): void {
    super.reset();
    this.#records = [];
  }

  result(): MeanAveragePrecisionResult {
    const out = native.cocoAccumulate(this.#records);
    const perClass: MeanAveragePrecisionResult['perClass'] = [];
    for (let at = 12; at + 13 <= out.length; at += 13) perClass.push({ classId: out[at]!, ...statsOf(out, at + 1) });
    const stats = statsOf(out, 0);
    return {
      value: stats.ap,
      ...stats,
      stats: Array.from(out.subarray(0, 12)),
      perClass,
      images: (this.state as Record<string, number>).images!,
    };
  }

  /**
   * The curves behind the numbers (lib/metrics/detection_curves.ts): per class PR curves as
   * COCOeval accumulates them, and precision / recall / F1 against the confidence threshold
   * at IoU 0.50 with the threshold that maximises F1. One pass over the kept match records.
   */
  curves(): DetectionCurves {
    return detectionCurves(this.#records);
  }

  /** The other COCO numbers behind the value, for the results table. */
  protected override detailsOf(r: MeanAveragePrecisionResult): string {
    return `AP50 ${formatNumber(r.ap50)}, AP75 ${formatNumber(r.ap75)}, AP small/medium/large ${formatList([r.apSmall, r.apMedium, r.apLarge])}, AR@1/10/100 ${formatList([r.ar1, r.ar10, r.ar100])} (${r.images} images, ${r.perClass.length} classes)`;
  }

  override merge(...others: Metric[]): this {
    others.forEach((other, i) => {
      if (!(other instanceof MeanAveragePrecision))
        throw new ArgumentError(
          `others[${i}]: cannot merge a ${other instanceof Metric ? other.kind : v.describe(other)} into a MeanAveragePrecision`,
        );
      if (other.config.boxFormat !== this.config.boxFormat) {
        throw new ArgumentError(
          `others[${i}]: cannot merge a MeanAveragePrecision with config boxFormat "${other.config.boxFormat}" into one with boxFormat "${this.config.boxFormat}"`,
        );
      }
    });
    for (const other of others as MeanAveragePrecision[]) {
      this.#records.push(...other.#records);
      (this.state as Record<string, number>).images! += (other.state as Record<string, number>).images!;
    }
    return this;
  }

  /** The state as plain JSON: the image count and the match records (one row per update). */
  override toJSON(): MetricJSON {
    const json = super.toJSON();
    json.state = {
      images: (this.state as Record<string, number>).images!,
      records: this.#records.map((r) => Array.from(r)),
    };
    return json;
  }

  /** @internal */
  protected override restoreState(state: unknown): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state))
      throw new ArgumentError(`json.state: expected an object, got ${v.describe(state)}`);
    const s = state as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (key !== 'images' && key !== 'records')
        throw new ArgumentError(
          `json.state.${key}: not part of a MeanAveragePrecision state (expected images, records)`,
        );
    }
    const images = s.images;
    if (typeof images !== 'number' || !Number.isInteger(images) || images < 0)
      throw new ArgumentError(`json.state.images: expected an integer >= 0, got ${v.describe(images)}`);
    const rows = v.arrayItems(s.records, 'json.state.records', MAX_IMAGES_PER_UPDATE, 'an array of number arrays');
    const records = rows.map((row: unknown, i) => {
      const values = v.arrayItems(row, `json.state.records[${i}]`, 2 ** 28, 'an array of numbers');
      const out = new Float64Array(values.length);
      values.forEach((x: unknown, k) => {
        if (typeof x !== 'number' || !Number.isFinite(x))
          throw new ArgumentError(`json.state.records[${i}][${k}]: expected a finite number, got ${v.describe(x)}`);
        out[k] = x;
      });
      return out;
    });
    native.cocoAccumulate(records); // rejects records that are not well formed, before they become state
    this.state = { images };
    this.#records = records;
  }
}

registerMetricKind(
  'MeanAveragePrecision',
  (config, name) => new MeanAveragePrecision({ ...(config as MeanAveragePrecisionOptions), name }),
);
