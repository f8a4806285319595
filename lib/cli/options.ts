// Parsers for the command's option values: each turns a bad value into a usage error that
// names the option and says what it expects.
import { InvalidArgumentError } from 'commander';
import { METRIC_NAMES, METRIC_SETTING_KEYS, MetricName, MetricSettings } from '../metrics/by_name';
import { nearestKey } from '../option_keys';

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

/** One `--metric name[:key=value,...]`: a metric with its own settings. */
export interface MetricSpec {
  name: MetricName;
  settings: MetricSettings;
}

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * `--metric circularity:threshold=127` (repeatable): settings are the metric's own
 * (METRIC_SETTING_KEYS), in camelCase or kebab-case; a key the metric does not read is a
 * usage error naming the keys it does.
 */
export function metricSpecOption(value: string, previous: MetricSpec[] | undefined): MetricSpec[] {
  const colon = value.indexOf(':');
  const name = (colon === -1 ? value : value.slice(0, colon)).trim();
  if (!(METRIC_NAMES as readonly string[]).includes(name)) {
    const near = nearestKey(name, METRIC_NAMES);
    throw new InvalidArgumentError(
      `unknown metric '${name}'${near ? `; did you mean '${near}'?` : ''} (known: ${METRIC_NAMES.join(', ')})`,
    );
  }
  const known = METRIC_SETTING_KEYS[name as MetricName];
  const settings: Record<string, number | string> = {};
  const body = colon === -1 ? '' : value.slice(colon + 1).trim();
  for (const pair of body === '' ? [] : body.split(',')) {
    const eq = pair.indexOf('=');
    const key = camel((eq === -1 ? pair : pair.slice(0, eq)).trim());
    const raw = eq === -1 ? '' : pair.slice(eq + 1).trim();
    if (!(known as readonly string[]).includes(key)) {
      const near = nearestKey(key, known);
      throw new InvalidArgumentError(
        known.length === 0
          ? `${name} takes no settings, got '${key}'`
          : `unknown setting '${key}' for ${name}${near ? `; did you mean '${near}'?` : ''} (its settings: ${known.join(', ')})`,
      );
    }
    if (raw === '') throw new InvalidArgumentError(`${name}:${key}: expected ${key}=VALUE`);
    if (key in settings) throw new InvalidArgumentError(`${name}:${key}: given twice`);
    settings[key] = key === 'emptyPolicy' ? raw : numberOption(raw);
  }
  if ((previous ?? []).some((p) => p.name === name))
    throw new InvalidArgumentError(`--metric ${name} is given twice (each metric once, with all its settings)`);
  return [...(previous ?? []), { name: name as MetricName, settings: settings as MetricSettings }];
}
