// The pictures of a detection evaluation (`tfcv evaluate --coco ... --plots DIR`): the
// confusion matrix heat map, PR curves at IoU 0.50 and averaged over 0.50:0.95, and
// precision / recall / F1 against the confidence threshold with the best-F1 threshold marked.
// Returns what it wrote, for the HTML report.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DetectionConfusionMatrixResult } from '../metrics/detection_confusion_matrix';
import type { DetectionCurves } from '../metrics/detection_curves';
import { Series, heatmapPng, linePlotPng } from './plots';

export interface Plot {
  /** File name inside the plots folder. */
  file: string;
  title: string;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '-');

/** Writes the detection plots into `dir`; `names[id]` labels class ids. */
export async function writeDetectionPlots(
  dir: string,
  curves: DetectionCurves,
  confusion: DetectionConfusionMatrixResult | null,
  names: readonly (string | undefined)[],
  confusionSetting = '',
): Promise<Plot[]> {
  await mkdir(dir, { recursive: true });
  const label = (id: number) => names[id] ?? String(id);
  const plots: Array<Plot & { png: Buffer }> = [];
  if (confusion) {
    const labels = [...confusion.classes.map(label), 'background'];
    plots.push({
      file: 'confusion_matrix.png',
      title: `Confusion matrix${confusionSetting ? ` (${confusionSetting})` : ''}`,
      png: heatmapPng({
        title: `Confusion matrix${confusionSetting ? ` (${confusionSetting})` : ''}`,
        matrix: confusion.matrix,
        rowLabels: labels,
        columnLabels: labels,
        rowTitle: 'true class',
        columnTitle: 'predicted class',
      }),
    });
  }
  const withTruth = curves.classes.filter((c) => c.pr50 !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [key, file, what] of [
    ['pr50', 'pr_curve_iou50.png', 'IoU 0.50'],
    ['prMean', 'pr_curve_iou50-95.png', 'mean over IoU 0.50:0.95'],
  ] as const) {
    const series: Series[] = withTruth.map((c) => ({
      name: `${label(c.classId)} ${fmt(mean(c[key]!))}`,
      x: curves.recallPoints,
      y: c[key]!,
    }));
    const overall = curves.overall[key];
    if (overall)
      series.push({
        name: `all classes ${fmt(mean(overall))}`,
        x: curves.recallPoints,
        y: overall,
        color: [20, 20, 20],
        thickness: 3,
      });
    const title = `Precision-recall, ${what} (legend: AP)`;
    plots.push({ file, title, png: linePlotPng({ title, xLabel: 'recall', yLabel: 'precision', series }) });
  }
  const best = curves.overall.best;
  for (const [key, file, name] of [
    ['f1', 'f1_curve.png', 'F1'],
    ['precision', 'precision_curve.png', 'Precision'],
    ['recall', 'recall_curve.png', 'Recall'],
  ] as const) {
    const series: Series[] = curves.classes.map((c) => ({
      name: label(c.classId),
      x: curves.confidences,
      y: c[key],
    }));
    series.push({
      name: 'all classes',
      x: curves.confidences,
      y: curves.overall[key],
      color: [20, 20, 20],
      thickness: 3,
    });
    const title = `${name} against confidence, IoU 0.50`;
    plots.push({
      file,
      title,
      png: linePlotPng({
        title,
        xLabel: 'confidence threshold (score >= t)',
        yLabel: name.toLowerCase(),
        series,
        marker: best
          ? {
              x: best.confidence,
              y: best[key],
              label: `${key === 'f1' ? 'best F1' : `${name} at best F1`} ${fmt(best[key])}, score >= ${fmt(best.confidence)}`,
            }
          : undefined,
      }),
    });
  }
  await Promise.all(plots.map((p) => writeFile(path.join(dir, p.file), p.png)));
  return plots.map(({ file, title }) => ({ file, title }));
}
