// Parsers for the command's option values: each turns a bad value into a usage error that
// names the option and says what it expects.
import { InvalidArgumentError } from 'commander';
import { METRIC_NAMES, MetricName } from '../metrics/by_name';

export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer in ${min}..${max}, got '${value}'`);
    return n;
  };
}

export function numberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

export function positiveNumberOption(value: string): number {
  const n = numberOption(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a number > 0, got '${value}'`);
  return n;
}

export function metricListOption(value: string): MetricName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('expected a comma-separated list of metric names');
  for (const name of names) {
    if (!(METRIC_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown metric '${name}' (known: ${METRIC_NAMES.join(', ')})`);
    }
  }
  if (new Set(names).size !== names.length) throw new InvalidArgumentError(`a metric is listed twice in '${value}'`);
  return names as MetricName[];
}
