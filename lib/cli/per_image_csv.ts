// The per-image CSV written beside `tfcv evaluate --json`: one row per image with its metric
// values and, for detection, its TP / FP / FN counts, for a spreadsheet or pandas.
import { writeFileSync } from 'node:fs';
import type { SampleValues } from '../evaluate/evaluate';
import { CliError } from './cli_error';

/** results.json -> results.per-image.csv (the same folder). */
export function csvFileFor(jsonFile: string): string {
  return `${jsonFile.replace(/\.json$/i, '')}.per-image.csv`;
}

/** RFC 4180 quoting where needed; formulas are not neutralised (the values are ours and file names). */
function field(x: string | number | null): string {
  if (x === null || (typeof x === 'number' && Number.isNaN(x))) return '';
  const s = String(x);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text: file, each metric's value, then tp / fp / fn per DetectionConfusionMatrix. */
export function perImageCsv(samples: readonly SampleValues[]): string {
  const metrics = [...new Set(samples.flatMap((s) => Object.keys(s.values)))];
  const marks = [...new Set(samples.flatMap((s) => Object.keys(s.outcomes ?? {})))];
  const header = ['file', ...metrics, ...marks.flatMap((m) => [`${m}.tp`, `${m}.fp`, `${m}.fn`])];
  const rows = samples.map((s) =>
    [
      s.id,
      ...metrics.map((m) => s.values[m] ?? null),
      ...marks.flatMap((m) => {
        const o = s.outcomes?.[m];
        return o ? [o.tp, o.fp, o.fn] : [null, null, null];
      }),
    ]
      .map(field)
      .join(','),
  );
  return [header.map(field).join(','), ...rows].join('\n') + '\n';
}

export function writePerImageCsv(file: string, samples: readonly SampleValues[]): void {
  try {
    writeFileSync(file, perImageCsv(samples));
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`);
  }
}
