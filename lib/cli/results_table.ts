// The results table the command prints: one row per metric with its headline value and the
// details that make it interpretable (per-class values, counts, how empty images were
// treated), which each metric class writes itself (Metric.details in lib/metrics/).
import '../metrics/index'; // registers every metric kind with Metric.fromJSON
import { formatNumber } from '../metrics/format_number';
import { Metric, MetricJSON, MetricResult } from '../metrics/metric';

export interface TableRow {
  metric: string;
  value: string;
  details: string;
}

export { formatNumber };

// Each metric describes its own details (Metric.details); the table rebuilds the metric from
// its state to ask it. A state this version cannot rebuild (a kind it does not know) gets none.
function details(state: MetricJSON): string {
  try {
    return Metric.fromJSON(state).details();
  } catch {
    return '';
  }
}

export function tableRows(results: Record<string, MetricResult>, states: Record<string, MetricJSON>): TableRow[] {
  return Object.entries(results).map(([name, r]) => {
    const state = states[name];
    return { metric: name, value: formatNumber(r.value), details: state ? details(state) : '' };
  });
}

export function renderTable(rows: TableRow[]): string {
  const header: TableRow = { metric: 'metric', value: 'value', details: 'details' };
  const all = [header, ...rows];
  const w1 = Math.max(...all.map((r) => r.metric.length));
  const w2 = Math.max(...all.map((r) => r.value.length));
  return all.map((r) => `${r.metric.padEnd(w1)}  ${r.value.padStart(w2)}  ${r.details}`.trimEnd()).join('\n') + '\n';
}
