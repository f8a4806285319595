// The detection part of `tfcv demo`: the bundled shapedet (a tiny detector trained on the
// same kind of synthetic shapes, test/fixtures/models/shapedet) finds the shape in each demo
// image; its boxes go through boxesFromTensor, per-class NMS and MeanAveragePrecision via
// evaluate(), against the box of each true mask (cv::boundingRect's convention).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SyntheticShape } from '../demo/synthetic_shapes';
import { evaluate } from '../evaluate/evaluate';
import { MeanAveragePrecision, MeanAveragePrecisionResult } from '../metrics/mean_average_precision';
import { Model } from '../model';
import { CliIo } from './io';
import { formatNumber } from './results_table';

/** The bundled detector (made by scripts/fixtures/make_detector.py). */
export const DEMO_DETECTOR_DIR = path.resolve(__dirname, '../../test/fixtures/models/shapedet');
const KINDS = ['circle', 'ellipse', 'square'] as const;

/** [x, y, w, h] of the non-zero pixels of a one-channel uint8 mask (w = right - left + 1, as cv::boundingRect). */
export function maskBox(mask: SyntheticShape['mask']): number[] {
  const d = mask.data as Uint8Array;
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -1,
    y2 = -1;
  for (let y = 0; y < mask.rows; y++) {
    for (let x = 0; x < mask.cols; x++) {
      if (d[y * mask.cols + x]! > 0) {
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        y2 = y;
      }
    }
  }
  return x2 < 0 ? [] : [x1, y1, x2 - x1 + 1, y2 - y1 + 1];
}

export async function detectionDemo(
  shapes: SyntheticShape[],
  batchSize: number,
  io: CliIo,
): Promise<MeanAveragePrecisionResult | null> {
  if (!existsSync(path.join(DEMO_DETECTOR_DIR, 'saved_model.pb'))) {
    io.stdout.write(`\n(detection part skipped: the bundled detector is missing at ${DEMO_DETECTOR_DIR})\n`);
    return null;
  }
  const model = await Model.loadSavedModel(DEMO_DETECTOR_DIR);
  const metric = new MeanAveragePrecision();
  let result;
  try {
    const samples = shapes.map((s) => {
      const box = maskBox(s.mask);
      return {
        id: s.id,
        image: s.image,
        detections: { boxes: box.length ? [box] : [], classes: box.length ? [KINDS.indexOf(s.kind)] : [] },
      };
    });
    result = await evaluate(model, samples, [metric], {
      batchSize,
      detection: {
        outputs: {
          boxes: 'detection_boxes',
          scores: 'detection_scores',
          classes: 'detection_classes',
          format: 'yxyx',
          normalized: true,
        },
        nms: { iouThreshold: 0.5, scoreThreshold: 0.3 },
      },
    });
  } finally {
    model.dispose();
  }
  const r = result.metrics[metric.name] as MeanAveragePrecisionResult;
  io.stdout.write(
    `\ndetection: the bundled shapedet (a 63k-parameter grid detector trained on such shapes) on the same images,\n` +
      `boxes mapped back with boxesFromTensor, per-class NMS (IoU 0.5, score > 0.3), COCO mAP against each mask's bounding box:\n` +
      `  AP ${formatNumber(r.ap)}  AP50 ${formatNumber(r.ap50)}  AP75 ${formatNumber(r.ap75)}  AR@1 ${formatNumber(r.ar1)}  AR@100 ${formatNumber(r.ar100)}\n` +
      `  per class AP: ${r.perClass.map((c) => `${KINDS[c.classId] ?? c.classId} ${formatNumber(c.ap)}`).join(', ')}\n` +
      `  ${result.images} images in ${(result.timing.totalMs / 1000).toFixed(2)} s\n`,
  );
  return r;
}
