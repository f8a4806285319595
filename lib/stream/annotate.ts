// Drawing a frame's result on the frame itself: detection boxes with class / score tags, or
// inspected parts outlined green (pass) / red (fail) with their circularity, and an optional
// status line (fps, latency). In place, on the frame's own Mat (the pipeline owns it).
import { ArgumentError } from '../errors';
import { refuseUnknownKey } from '../option_keys';
import '../detection/draw_detections';
import { Mat } from '../mat';
import '../ops/draw';
import * as v from '../validate';
import type { Detections } from './detector';
import type { Inspection } from './inspector';

export interface AnnotateOptions {
  /** Names by class id for detection tags. */
  classNames?: readonly string[];
  /** A line of text drawn at the top left (e.g. 'fps 29.8  p99 41 ms'). */
  status?: string;
  /** Line width. Default: 2, or 1 on frames narrower than 200 pixels. */
  thickness?: number;
}

function isDetections(r: unknown): r is Detections {
  return typeof r === 'object' && r !== null && (r as Detections).boxes instanceof Float32Array;
}
function isInspection(r: unknown): r is Inspection {
  return typeof r === 'object' && r !== null && Array.isArray((r as Inspection).parts);
}

/** Draws `result` (a detector's or an inspector's) on `mat` in place; returns mat. */
export function annotate(mat: Mat, result: Detections | Inspection, options: AnnotateOptions = {}): Mat {
  if (!(mat instanceof Mat)) throw new ArgumentError(`mat: expected a Mat, got ${v.describe(mat)}`);
  const o = v.selfCheckedOptions(options, 'options');
  for (const key of Object.keys(o))
    if (!['classNames', 'status', 'thickness'].includes(key))
      refuseUnknownKey(key, 'annotate', ['classNames', 'status', 'thickness'], 'options');
  const small = mat.cols < 200;
  const thickness = o.thickness === undefined ? (small ? 1 : 2) : v.integer(o.thickness, 'options.thickness', 1, 100);
  const fontScale = small ? 0.3 : 0.5;
  if (isDetections(result)) {
    mat.drawDetections(result.boxes, {
      labels: result.classes,
      scores: result.scores,
      classNames: o.classNames === undefined ? undefined : [...o.classNames],
      thickness,
      fontScale,
    });
  } else if (isInspection(result)) {
    for (const part of result.parts) {
      const color = part.pass ? [0, 200, 0] : [0, 0, 255];
      mat.drawContours([part.contour], color, { thickness });
      mat.putText(`${part.circularity.toFixed(2)}`, { x: part.box.x, y: Math.max(10, part.box.y - 3) }, color, {
        fontScale,
      });
    }
  } else {
    throw new ArgumentError(`result: expected a detector's or an inspector's result, got ${v.describe(result)}`);
  }
  if (o.status !== undefined) {
    if (typeof o.status !== 'string')
      throw new ArgumentError(`options.status: expected a string, got ${v.describe(o.status)}`);
    mat.putText(o.status, { x: 4, y: small ? 10 : 18 }, [255, 255, 255], { fontScale, thickness: 1 });
  }
  return mat;
}
