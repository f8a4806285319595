// What the --json results of a detection evaluation say about the threshold to ship: the
// confidence maximising F1 at IoU 0.50 over all classes and per class, with the precision,
// recall and counts there, and the PR curves (101 recall points) per class.
import type { DetectionCurves, OperatingPoint } from '../metrics/detection_curves';

export interface DetectionSummary {
  /** Over all classes (pooled counts); null without truth or detections. */
  bestF1: OperatingPoint | null;
  perClass: Array<{
    classId: number;
    name: string | null;
    truth: number;
    bestF1: OperatingPoint | null;
    /** Interpolated precision at recall 0:0.01:1, IoU 0.50 and averaged over 0.50:0.95 (null without truth). */
    pr50: number[] | null;
    prMean: number[] | null;
  }>;
  /** Where the definitions are. */
  definitions: string;
}

export function detectionSummary(curves: DetectionCurves, names: readonly (string | undefined)[]): DetectionSummary {
  return {
    bestF1: curves.overall.best,
    perClass: curves.classes.map((c) => ({
      classId: c.classId,
      name: names[c.classId] ?? null,
      truth: c.truth,
      bestF1: c.best,
      pr50: c.pr50,
      prMean: c.prMean,
    })),
    definitions: 'tfcv docs/METRICS.md: detection curves',
  };
}
