// The results table the command prints: one row per metric with its headline value and the
// details that make it interpretable (per-class values, counts, how empty images were
// treated).
import { MetricJSON, MetricResult } from '../metrics/metric';

export interface TableRow {
  metric: string;
  value: string;
  details: string;
}

export const formatNumber = (x: number | null | undefined): string =>
  x === null || x === undefined || Number.isNaN(x) ? 'n/a' : Number.isInteger(x) && Math.abs(x) >= 1000 ? String(x) : Math.abs(x) >= 100 ? x.toFixed(2) : x.toFixed(4);

const list = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => formatNumber(x as number)).join(' ') : '');

function details(kind: string, config: Record<string, unknown>, r: Record<string, unknown>): string {
  switch (kind) {
    case 'Circularity':
      return `${r.counted}/${r.images} images counted, ${r.empty} without a contour (emptyPolicy ${config.emptyPolicy})`;
    case 'SegmentationAccuracy':
      return `${r.correct}/${r.total} samples (TP ${r.truePositives}, FP ${r.falsePositives}, TN ${r.trueNegatives}, FN ${r.falseNegatives})`;
    case 'AvgPixelValue':
      return `${r.pixels} values, ${r.batches} batches (average: ${config.average})`;
    case 'MeanIoU':
    case 'IoU':
    case 'Dice':
      return `per class: ${list(r.perClass)}`;
    case 'PixelAccuracy':
    case 'BinaryAccuracy':
      return `${r.correct}/${r.total} pixels`;
    case 'Precision':
      return `TP ${r.truePositives}, FP ${r.falsePositives} pixels`;
    case 'Recall':
      return `TP ${r.truePositives}, FN ${r.falseNegatives} pixels`;
    case 'MeanAveragePrecision':
      return `AP50 ${formatNumber(r.ap50 as number)}, AP75 ${formatNumber(r.ap75 as number)}, AP small/medium/large ${list([r.apSmall, r.apMedium, r.apLarge])}, AR@1/10/100 ${list([r.ar1, r.ar10, r.ar100])} (${r.images} images, ${(r.perClass as unknown[]).length} classes)`;
    case 'ConfusionMatrix':
      return `rows = truth: ${JSON.stringify(r.matrix)}`;
    default:
      return '';
  }
}

export function tableRows(results: Record<string, MetricResult>, states: Record<string, MetricJSON>): TableRow[] {
  return Object.entries(results).map(([name, r]) => {
    const state = states[name];
    return { metric: name, value: formatNumber(r.value), details: state ? details(state.kind, state.config, r as unknown as Record<string, unknown>) : '' };
  });
}

export function renderTable(rows: TableRow[]): string {
  const header: TableRow = { metric: 'metric', value: 'value', details: 'details' };
  const all = [header, ...rows];
  const w1 = Math.max(...all.map((r) => r.metric.length));
  const w2 = Math.max(...all.map((r) => r.value.length));
  return all.map((r) => `${r.metric.padEnd(w1)}  ${r.value.padStart(w2)}  ${r.details}`.trimEnd()).join('\n') + '\n';
}
