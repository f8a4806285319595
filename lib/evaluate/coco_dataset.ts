// A COCO-format annotations file (instances_*.json: images, annotations with bbox [x, y, w, h],
// categories) and its image folder as detection samples for evaluate(). Images come in
// ascending id order, the order COCOeval evaluates them in, so MeanAveragePrecision gives
// pycocotools' numbers for the same detections.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArgumentError } from '../errors';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { DetectionSample } from './evaluate_detection';
import { Shard } from './shard';

export interface CocoCategory {
  id: number;
  name: string;
}

export interface CocoDataset {
  samples: Array<DetectionSample & { id: string; image: string; imageId: number }>;
  categories: CocoCategory[];
  /** Category names by id (for drawing), e.g. names[3] = 'car'. */
  classNames: string[];
  /** Images in the file (before sharding). */
  totalImages: number;
}

export interface CocoDatasetOptions {
  /**
   * Only slice I of N: a contiguous block of the id-sorted images (not round robin), so that
   * merging the shards' MeanAveragePrecision states in shard order sees the images in the
   * order one run sees them, and ties in score break the same way (tfcv merge sorts by shard).
   */
  shard?: Shard | null;
}

const COCO_KEYS = optionKeys<CocoDatasetOptions>('cocoDataset', { shard: true });

/** Reads a COCO annotations file; image paths are `file_name` under `imagesDir`. */
export function cocoDataset(annotationsFile: string, imagesDir: string, options?: CocoDatasetOptions): CocoDataset {
  if (typeof annotationsFile !== 'string')
    throw new ArgumentError(`annotationsFile: expected a path, got ${v.describe(annotationsFile)}`);
  if (typeof imagesDir !== 'string')
    throw new ArgumentError(`imagesDir: expected a directory, got ${v.describe(imagesDir)}`);
  const o = v.optionsObject(options, COCO_KEYS);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(annotationsFile, 'utf8'));
  } catch (error) {
    throw new ArgumentError(`annotationsFile: cannot read ${annotationsFile} as JSON: ${(error as Error).message}`);
  }
  const d = doc as { images?: unknown; annotations?: unknown; categories?: unknown };
  if (doc === null || typeof doc !== 'object' || !Array.isArray(d.images) || !Array.isArray(d.annotations)) {
    throw new ArgumentError(
      `${annotationsFile}: expected a COCO object { images: [...], annotations: [...], categories: [...] }`,
    );
  }
  const where = (kind: string, i: number) => `${annotationsFile}: ${kind}[${i}]`;
  const images = new Map<
    number,
    { file: string; boxes: number[][]; classes: number[]; iscrowd: number[]; area: number[] }
  >();
  d.images.forEach((im: unknown, i) => {
    const x = im as { id?: unknown; file_name?: unknown };
    if (
      im === null ||
      typeof im !== 'object' ||
      typeof x.id !== 'number' ||
      !Number.isInteger(x.id) ||
      typeof x.file_name !== 'string'
    ) {
      throw new ArgumentError(`${where('images', i)}: expected { id: integer, file_name: string }`);
    }
    if (images.has(x.id)) throw new ArgumentError(`${where('images', i)}: image id ${x.id} appears twice`);
    images.set(x.id, { file: x.file_name, boxes: [], classes: [], iscrowd: [], area: [] });
  });
  d.annotations.forEach((an: unknown, i) => {
    const a = an as { image_id?: unknown; category_id?: unknown; bbox?: unknown; iscrowd?: unknown; area?: unknown };
    if (an === null || typeof an !== 'object')
      throw new ArgumentError(`${where('annotations', i)}: expected an object`);
    const image = typeof a.image_id === 'number' ? images.get(a.image_id) : undefined;
    if (image === undefined)
      throw new ArgumentError(`${where('annotations', i)}: image_id ${v.describe(a.image_id)} is not in images`);
    const box = a.bbox;
    if (!Array.isArray(box) || box.length !== 4 || box.some((n) => typeof n !== 'number' || !Number.isFinite(n))) {
      throw new ArgumentError(`${where('annotations', i)}.bbox: expected [x, y, w, h], got ${v.describe(box)}`);
    }
    if (typeof a.category_id !== 'number' || !Number.isInteger(a.category_id))
      throw new ArgumentError(`${where('annotations', i)}.category_id: expected an integer`);
    image.boxes.push(box as number[]);
    image.classes.push(a.category_id);
    image.iscrowd.push(a.iscrowd === 1 || a.iscrowd === true ? 1 : 0);
    image.area.push(
      typeof a.area === 'number' && Number.isFinite(a.area) && a.area >= 0
        ? a.area
        : (box[2] as number) * (box[3] as number),
    );
  });
  const categories: CocoCategory[] = Array.isArray(d.categories)
    ? d.categories
        .filter(
          (c: unknown): c is CocoCategory =>
            c !== null &&
            typeof c === 'object' &&
            typeof (c as CocoCategory).id === 'number' &&
            typeof (c as CocoCategory).name === 'string',
        )
        .map((c) => ({ id: c.id, name: c.name }))
    : [];
  const classNames: string[] = [];
  for (const c of categories) if (c.id >= 0 && c.id < 100000) classNames[c.id] = c.name;
  const ids = [...images.keys()].sort((a, b) => a - b);
  const chosen = o.shard
    ? ids.slice(
        Math.floor(((o.shard.index - 1) * ids.length) / o.shard.count),
        Math.floor((o.shard.index * ids.length) / o.shard.count),
      )
    : ids;
  const samples = chosen.map((imageId) => {
    const im = images.get(imageId)!;
    return {
      id: im.file,
      image: path.join(imagesDir, im.file),
      imageId,
      detections: { boxes: im.boxes, classes: im.classes, iscrowd: im.iscrowd, area: im.area },
    };
  });
  return { samples, categories, classNames, totalImages: ids.length };
}
