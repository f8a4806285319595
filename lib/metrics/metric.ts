// The base of every metric: Keras' streaming shape (update / result / reset) plus what a
// distributed evaluation needs — merge() of states from other workers or processes and
// toJSON() / Metric.fromJSON() to carry them. Measurements run natively (off the event
// loop in update(), inline in updateSync()); the state kept here is plain numbers (sums,
// counts, confusion matrices), so merging is addition and counts merge exactly.
import { withCallerStack } from '../async_stack';
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { LabelInput, MetricInput, SampleWeight, readWeights } from './inputs';

/** yTrue of an update: truth masks / class ids, per-sample labels, or null for metrics of predictions alone. */
export type TruthInput = MetricInput | LabelInput | null | undefined;

/** The kinds of truth a sample can carry into evaluate(). */
export type TruthKind = 'masks' | 'labels';

/** Every metric result has a headline `value` (NaN when it is undefined, e.g. nothing counted). */
export interface MetricResult {
  value: number;
}

/** A metric's state: named numbers, and for confusion-matrix metrics a flat matrix. */
export type MetricState = Record<string, number | Float64Array>;

/** The serialised form of a metric (toJSON / Metric.fromJSON): plain JSON, mergeable across processes. */
export interface MetricJSON {
  kind: string;
  version: 1;
  name: string;
  config: Record<string, unknown>;
  state: Record<string, number | number[][]>;
}

/** @internal The native measurement of one update, sync or async, and how many samples it covers. */
export interface Measurement<T> {
  count: number;
  sync(): T;
  async(): Promise<T>;
}

type Factory = (config: Record<string, unknown>, name: string) => Metric;
const kinds = new Map<string, Factory>();

/** @internal Each metric module registers how to rebuild it from its config. */
export function registerMetricKind(kind: string, factory: Factory): void {
  kinds.set(kind, factory);
}

/** @internal Kinds known to fromJSON. */
export function metricKinds(): string[] {
  return [...kinds.keys()];
}

export abstract class Metric<TResult extends MetricResult = MetricResult> {
  /** The class of metric ('MeanIoU', 'Circularity', ...): what merge() and fromJSON() check. */
  abstract readonly kind: string;
  /** A label for tables and JSON keys (defaults to the kebab-case kind, e.g. 'mean-iou'). */
  readonly name: string;
  /** The options that define what is measured; merge() requires equal configs. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Whether update() reads yTrue (metrics of predictions alone ignore it). */
  abstract readonly usesTruth: boolean;
  /**
   * The truth update() accepts when usesTruth, in the words evaluate() uses for samples:
   * 'masks' (per-pixel class ids) and / or 'labels' (one per sample). Default: masks.
   */
  readonly truthInputs: readonly TruthKind[] = ['masks'];

  /** @internal */
  protected state: MetricState;
  #generation = 0;

  /** @internal A real Metric (made by a subclass constructor), not a look-alike. */
  static isMetric(value: unknown): value is Metric {
    return typeof value === 'object' && value !== null && #generation in value;
  }

  /** @internal */
  protected constructor(name: unknown, defaultName: string, config: Record<string, unknown>) {
    // Typed code cannot get here, but JavaScript can construct Metric itself (Reflect.construct)
    // or a subclass without the hooks: refuse it before anything calls them.
    if (typeof this.emptyState !== 'function') {
      throw new ArgumentError(
        'Metric: an abstract class; construct one of its subclasses (MeanIoU, Dice, Circularity, ...)',
      );
    }
    if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
      throw new ArgumentError(`options.name: expected a non-empty string, got ${v.describe(name)}`);
    }
    this.name = name ?? defaultName;
    this.config = Object.freeze({ ...config });
    this.state = internalCall(() => this.emptyState());
  }

  /**
   * Measures one batch off the event loop and adds it to the state. Resolves with one value
   * per sample (NaN where a sample has none), for per-image reports. Inputs are pinned while
   * the native work runs. A reset() while an update is in flight discards that update.
   */
  async update(yTrue: TruthInput, yPred: MetricInput, sampleWeight?: SampleWeight): Promise<number[]> {
    const m = internalCall(() => this.measure(yTrue, yPred));
    const weights = readWeights(sampleWeight, m.count);
    const generation = this.#generation;
    const raw = await withCallerStack(m.async());
    if (generation !== this.#generation) return internalCall(() => this.perSample(raw, m.count));
    return internalCall(() => this.accumulate(raw, m.count, weights));
  }

  /** Synchronous twin of update() (blocks the event loop for the native work). */
  updateSync(yTrue: TruthInput, yPred: MetricInput, sampleWeight?: SampleWeight): number[] {
    const m = internalCall(() => this.measure(yTrue, yPred));
    const weights = readWeights(sampleWeight, m.count);
    return internalCall(() => this.accumulate(m.sync(), m.count, weights));
  }

  /** Keras' name for update(). */
  updateState(yTrue: TruthInput, yPred: MetricInput, sampleWeight?: SampleWeight): Promise<number[]> {
    return this.update(yTrue, yPred, sampleWeight);
  }

  /** The metric over everything seen since construction or the last reset(). */
  abstract result(): TResult;

  /**
   * One line of the counts or per-class values that make `value` interpretable (the
   * results table's details column); '' when there is nothing beyond the value.
   */
  details(): string {
    return internalCall(() => this.detailsOf(this.result()));
  }

  /** @internal The details line of a result; each metric writes its own. */
  protected detailsOf(_result: TResult): string {
    return '';
  }

  /** Forgets everything seen. Updates still in flight are discarded when they finish. */
  reset(): void {
    this.#generation++;
    this.state = internalCall(() => this.emptyState());
  }

  /** Keras' name for reset(). */
  resetState(): void {
    this.reset();
  }

  /**
   * Adds the states of other metrics of the same kind and config (from other workers, or
   * rebuilt with Metric.fromJSON) into this one, exactly as if this metric had seen their
   * batches too. Returns this metric.
   */
  merge(...others: Metric[]): this {
    others.forEach((other, i) => this.#checkMergeable(other, `others[${i}]`));
    for (const other of others) {
      for (const [key, value] of Object.entries(other.state)) {
        const mine = this.state[key];
        if (mine instanceof Float64Array) {
          const theirs = value as Float64Array;
          for (let j = 0; j < mine.length; j++) mine[j]! += theirs[j]!;
        } else {
          this.state[key] = (mine as number) + (value as number);
        }
      }
    }
    return this;
  }

  /** The state as plain JSON (matrices as arrays of rows), for Metric.fromJSON and merge across processes. */
  toJSON(): MetricJSON {
    const state: MetricJSON['state'] = {};
    for (const [key, value] of Object.entries(this.state)) {
      state[key] = value instanceof Float64Array ? matrixRows(value) : value;
    }
    return { kind: this.kind, version: 1, name: this.name, config: { ...this.config }, state };
  }

  /** Rebuilds a metric, state included, from toJSON() output (an object or its JSON text). */
  static fromJSON(json: MetricJSON | string): Metric {
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new ArgumentError(`json: not valid JSON (${(error as Error).message})`);
      }
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ArgumentError(
        `json: expected a metric state object { kind, version, name, config, state }, got ${v.describe(parsed)}`,
      );
    }
    const j = parsed as Partial<MetricJSON>;
    if (j.version !== 1) throw new ArgumentError(`json.version: expected 1, got ${v.describe(j.version)}`);
    const factory = typeof j.kind === 'string' ? kinds.get(j.kind) : undefined;
    if (factory === undefined) {
      throw new ArgumentError(
        `json.kind: expected one of ${[...kinds.keys()].map((k) => `'${k}'`).join(' | ')}, got ${v.describe(j.kind)}`,
      );
    }
    if (j.config === null || typeof j.config !== 'object' || Array.isArray(j.config)) {
      throw new ArgumentError(`json.config: expected an object, got ${v.describe(j.config)}`);
    }
    if (typeof j.name !== 'string') throw new ArgumentError(`json.name: expected a string, got ${v.describe(j.name)}`);
    const metric = factory(j.config as Record<string, unknown>, j.name);
    internalCall(() => metric.restoreState(j.state));
    return metric;
  }

  /** @internal The native measurement for one update (validates the inputs first). */
  protected abstract measure(yTrue: unknown, yPred: unknown): Measurement<Float64Array>;
  /** @internal Folds one update's native numbers into the state; returns per-sample values. */
  protected abstract accumulate(raw: Float64Array, count: number, weights: number[] | null): number[];
  /** @internal Per-sample values without touching the state. */
  protected abstract perSample(raw: Float64Array, count: number): number[];
  /** @internal */
  protected abstract emptyState(): MetricState;

  #checkMergeable(other: unknown, label: string): void {
    if (!(other instanceof Metric)) throw new ArgumentError(`${label}: expected a Metric, got ${v.describe(other)}`);
    if (other.kind !== this.kind) throw new ArgumentError(`${label}: cannot merge a ${other.kind} into a ${this.kind}`);
    for (const key of new Set([...Object.keys(this.config), ...Object.keys(other.config)])) {
      const a = JSON.stringify(this.config[key]);
      const b = JSON.stringify(other.config[key]);
      if (a !== b)
        throw new ArgumentError(
          `${label}: cannot merge a ${this.kind} with config ${key} ${b} into one with ${key} ${a}`,
        );
    }
  }

  /** @internal Reads a toJSON() state back; subclasses with other state shapes override it. */
  protected restoreState(state: unknown): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      throw new ArgumentError(`json.state: expected an object, got ${v.describe(state)}`);
    }
    const empty = internalCall(() => this.emptyState());
    const given = state as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!(key in empty))
        throw new ArgumentError(
          `json.state.${key}: not part of a ${this.kind} state (expected ${Object.keys(empty).join(', ')})`,
        );
    }
    for (const [key, blank] of Object.entries(empty)) {
      const value = given[key];
      if (blank instanceof Float64Array) {
        const k = Math.round(Math.sqrt(blank.length));
        if (!Array.isArray(value) || value.length !== k)
          throw new ArgumentError(`json.state.${key}: expected a ${k}x${k} matrix, got ${v.describe(value)}`);
        // Read index by index: a hole is refused, not left as a zero count.
        v.arrayItems(value, `json.state.${key}`, k, `a ${k}x${k} matrix`).forEach((row: unknown, r) => {
          if (!Array.isArray(row) || row.length !== k)
            throw new ArgumentError(`json.state.${key}[${r}]: expected ${k} numbers, got ${v.describe(row)}`);
          v.arrayItems(row, `json.state.${key}[${r}]`, k).forEach((x: unknown, c) => {
            if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
              throw new ArgumentError(`json.state.${key}[${r}][${c}]: expected a count >= 0, got ${v.describe(x)}`);
            }
            blank[r * k + c] = x;
          });
        });
      } else {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new ArgumentError(`json.state.${key}: expected a finite number, got ${v.describe(value)}`);
        }
        empty[key] = value;
      }
    }
    this.state = empty;
  }
}

/** @internal The rows of a square matrix kept flat in a state (confusion matrices). */
export function matrixRows(flat: Float64Array): number[][] {
  const k = Math.round(Math.sqrt(flat.length));
  return Array.from({ length: k }, (_, r) => Array.from(flat.subarray(r * k, (r + 1) * k)));
}

// The hooks subclasses implement (measure, accumulate, ...) live on the prototypes, where
// any caller could reach them with garbage and get a TypeError, or an array of 2^31 elements
// that kills V8. They are wrapped (guardMetricHooks, lib/metrics/index.ts) to answer an
// ArgumentError unless the base class itself is calling them.
const HOOKS = [
  'measure',
  'accumulate',
  'perSample',
  'emptyState',
  'resultOf',
  'matrixValue',
  'restoreState',
  'detailsOf',
] as const;
let internalDepth = 0;

/** @internal Runs `fn` as the metric machinery: hooks may be called inside it. */
export function internalCall<T>(fn: () => T): T {
  internalDepth++;
  try {
    return fn();
  } finally {
    internalDepth--;
  }
}

/** @internal Wraps the hooks a metric class defines so that only the machinery can call them. */
export function guardMetricHooks(cls: { prototype: object }): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const name of HOOKS) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d === undefined || typeof d.value !== 'function') continue;
    const hook = d.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      ...d,
      value: function guardedHook(this: unknown, ...args: unknown[]) {
        if (internalDepth === 0)
          throw new ArgumentError(`${name}: an internal hook of the metric classes, not callable directly`);
        return hook.apply(this, args);
      },
    });
  }
}
