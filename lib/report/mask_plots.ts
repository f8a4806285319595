// The pictures of a mask evaluation (`tfcv evaluate --masks ... --plots DIR`): the per-class
// pixel confusion matrix of the first confusion-matrix metric (its state holds the matrix)
// and the distribution of the per-image values of mean-iou (or dice) as a histogram.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SampleValues } from '../evaluate/evaluate';
import type { MetricJSON } from '../metrics/metric';
import type { Plot } from './detection_plots';
import { heatmapPng, histogramPng } from './plots';

const PREFERRED = ['confusion-matrix', 'mean-iou', 'iou', 'dice', 'pixel-accuracy', 'precision', 'recall'];

/** Writes the mask plots into `dir` (nothing for metrics without a matrix or per-image IoU). */
export async function writeMaskPlots(
  dir: string,
  states: Record<string, MetricJSON>,
  samples: readonly SampleValues[],
): Promise<Plot[]> {
  const plots: Array<Plot & { png: Buffer }> = [];
  const withMatrix = Object.entries(states)
    .filter(([, s]) => Array.isArray(s.state.matrix))
    .sort(([a], [b]) => rank(a) - rank(b));
  if (withMatrix.length > 0) {
    const [name, s] = withMatrix[0]!;
    const matrix = s.state.matrix as number[][];
    const labels = matrix.map((_, i) => `class ${i}`);
    const title = `Pixel confusion matrix (${name})`;
    plots.push({
      file: 'confusion_matrix.png',
      title,
      png: heatmapPng({
        title,
        matrix,
        rowLabels: labels,
        columnLabels: labels,
        rowTitle: 'true class',
        columnTitle: 'predicted class',
      }),
    });
  }
  const perImage = ['mean-iou', 'iou', 'dice'].find((n) => samples.some((s) => n in s.values));
  if (perImage !== undefined) {
    const values = samples.map((s) => s.values[perImage] ?? NaN);
    const title = `Per-image ${perImage}`;
    plots.push({ file: 'iou_histogram.png', title, png: histogramPng({ title, xLabel: perImage, values, bins: 20 }) });
  }
  if (plots.length === 0) return [];
  await mkdir(dir, { recursive: true });
  await Promise.all(plots.map((p) => writeFile(path.join(dir, p.file), p.png)));
  return plots.map(({ file, title }) => ({ file, title }));
}

function rank(name: string): number {
  const i = PREFERRED.indexOf(name);
  return i === -1 ? PREFERRED.length : i;
}
