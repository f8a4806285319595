// Deterministic slices of a dataset for scale-out: shard I of N (1-based, like "--shard 2/3")
// takes every N-th item of the name-sorted list starting at I, so any job runner can spread
// an evaluation over machines and `tfcv merge` combines the shards' metric states.
import { ArgumentError } from '../errors';
import * as v from '../validate';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses "I/N" (1 <= I <= N). */
export function parseShard(text: unknown, name: string = 'shard'): Shard {
  if (typeof name !== 'string') name = 'shard';
  const m = typeof text === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text) : null;
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count || count > 1_000_000) {
    throw new ArgumentError(
      `${name}: expected I/N with 1 <= I <= N (e.g. 2/4), got ${typeof text === 'string' ? JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text) : v.describe(text)}`,
    );
  }
  return { index, count };
}

/** The items of shard `shard` (round robin over the given order). */
export function selectShard<T>(items: readonly T[], shard: Shard | null | undefined): T[] {
  const length = v.arrayLength(items, 'items', 100_000_000);
  if (shard === null || shard === undefined) return items.slice();
  if (typeof shard !== 'object')
    throw new ArgumentError(`shard: expected { index, count } or null, got ${v.describe(shard)}`);
  const count = v.integer(shard.count, 'shard.count', 1, 1_000_000);
  const index = v.integer(shard.index, 'shard.index', 1, count);
  const out: T[] = [];
  // Index arithmetic, not a filter over every slot: a sparse array is not walked hole by hole.
  for (let i = index - 1; i < length; i += count) out.push(items[i] as T);
  return out;
}

/**
 * The shard of a Kubernetes Indexed Job's pod: JOB_COMPLETION_INDEX (0-based, set by
 * Kubernetes in each pod) and JOB_COMPLETIONS (the Job's `completions`, passed in by the
 * manifest). Any runner that sets the two variables works the same way.
 */
export function shardFromJobEnv(env: Record<string, string | undefined>, name = 'shard'): Shard {
  if (typeof name !== 'string') name = 'shard';
  if (env === null || typeof env !== 'object')
    throw new ArgumentError(`env: expected an object of environment variables (process.env), got ${v.describe(env)}`);
  const read = (key: string) => {
    const text: unknown = env[key];
    if (typeof text !== 'string' || !/^\d+$/.test(text.trim())) {
      throw new ArgumentError(
        `${name}: 'auto' reads ${key} (a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX; pass JOB_COMPLETIONS from the manifest), got ${text === undefined ? 'nothing' : v.describe(text)}`,
      );
    }
    return Number(text);
  };
  const index = read('JOB_COMPLETION_INDEX');
  const count = read('JOB_COMPLETIONS');
  if (count < 1 || count > 1_000_000 || index >= count) {
    throw new ArgumentError(`${name}: JOB_COMPLETION_INDEX ${index} is not below JOB_COMPLETIONS ${count}`);
  }
  return { index: index + 1, count };
}

/**
 * The `--shard` flag of every evaluation: "I/N", or 'auto' for the job runner's environment
 * (shardFromJobEnv). One reader, so the mask and the detection forms cannot drift apart.
 */
export function shardFromFlag(text: unknown, env: Record<string, string | undefined>, name = '--shard'): Shard {
  return text === 'auto' ? shardFromJobEnv(env, name) : parseShard(text, name);
}
