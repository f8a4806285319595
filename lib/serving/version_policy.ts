// TF Serving's model_version_policy: which of the numbered version folders of a model are
// served — the latest N (default: the latest one), all of them, or a specific list.
import { ArgumentError } from '../errors';
import * as v from '../validate';

export type VersionPolicy = { latest: number } | { all: true } | { specific: readonly number[] };

export const DEFAULT_VERSION_POLICY: VersionPolicy = { latest: 1 };

/** Checks a policy given by the user (`name` for messages) and returns a frozen copy. */
export function readVersionPolicy(value: unknown, name: string): VersionPolicy {
  if (value === undefined) return DEFAULT_VERSION_POLICY;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ArgumentError(
      `${name}: expected { latest: n } | { all: true } | { specific: [versions] }, got ${v.describe(value)}`,
    );
  const keys = Object.keys(value);
  if (keys.length !== 1)
    throw new ArgumentError(`${name}: expected exactly one of latest, all, specific, got keys [${keys.join(', ')}]`);
  const o = value as Record<string, unknown>;
  if ('latest' in o) return Object.freeze({ latest: v.integer(o.latest, `${name}.latest`, 1, 1_000_000) });
  if ('all' in o) {
    if (o.all !== true) throw new ArgumentError(`${name}.all: expected true, got ${v.describe(o.all)}`);
    return Object.freeze({ all: true as const });
  }
  if ('specific' in o) {
    const list = v.arrayItems(o.specific, `${name}.specific`, 10_000);
    if (list.length === 0) throw new ArgumentError(`${name}.specific: expected at least one version, got []`);
    const versions = list.map((n, i) => v.integer(n, `${name}.specific[${i}]`, 0));
    return Object.freeze({ specific: Object.freeze([...new Set(versions)].sort((a, b) => a - b)) });
  }
  throw new ArgumentError(`${name}: unknown key '${keys[0]}' (expected latest, all or specific)`);
}

/** The versions to serve among those on disk (ascending). */
export function selectVersions(policy: VersionPolicy, onDisk: readonly number[]): number[] {
  const sorted = [...onDisk].sort((a, b) => a - b);
  if ('all' in policy) return sorted;
  if ('latest' in policy) return sorted.slice(Math.max(0, sorted.length - policy.latest));
  const wanted = new Set(policy.specific);
  return sorted.filter((n) => wanted.has(n));
}
