// The model repository: models by name over TF Serving's layout (<base_path>/<version>/ holds
// a SavedModel), the versions each one serves by its version policy, labels, file-system
// polling and an explicit reload(). Replacing a version preserves availability: the new
// one is loaded and warmed first, and only then is the old one drained and disposed; a
// version that fails never replaces the serving one (its error shows in status()). A
// memory budget bounds what is resident across all models: a load that would exceed it
// unloads the least recently used versions first; those load again on demand, or answer
// UNAVAILABLE with the reason (onEvicted: 'reject').
import { EventEmitter } from 'node:events';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import { optionKeys } from '../option_keys';
import fs from 'node:fs';
import path from 'node:path';
import { ArgumentError } from '../errors';
import type { SavedModelOptions } from '../model';
import type { PreprocessSpec } from '../preprocess_spec';
import * as v from '../validate';
import { ModelVersion, VersionBatcherOptions, VersionState, directoryBytes } from './model_version';
import { ServingError } from './serving_error';
import { VersionPolicy, readVersionPolicy, selectVersions } from './version_policy';

export interface ModelConfig {
  /** The name clients use (/v1/models/{name}, /v2/models/{name}). */
  name: string;
  /** Directory holding numbered version folders. */
  basePath: string;
  /** Default { latest: 1 }. */
  versionPolicy?: VersionPolicy;
  /** Labels ('stable', 'canary') -> version numbers. */
  versionLabels?: Record<string, number>;
  /** Spec for encoded images fed to this model (over the signature's). Default { scale: 1 / 255 }. */
  image?: Partial<PreprocessSpec>;
}

export interface RepositoryOptions {
  models: readonly ModelConfig[];
  /** File-system poll period, ms (TF Serving's --file_system_poll_wait_seconds). 0: no polling. Default 1000. */
  pollIntervalMs?: number;
  /** Most resident bytes across all versions. Default: no limit. */
  memoryBudgetBytes?: number;
  /** A request for a version the budget unloaded: 'load' it again (default) or 'reject' with UNAVAILABLE. */
  onEvicted?: 'load' | 'reject';
  /** Batcher settings of every version. */
  batcher?: VersionBatcherOptions;
  /** Load options of every version (tags, session options). */
  load?: Omit<SavedModelOptions, 'warmup' | 'signature'>;
  /**
   * What a version is charged against the budget: 'measured' (default) the larger of its
   * files and the RSS growth over its load and warm-up; 'files' its files only (deterministic).
   */
  residentBytes?: 'measured' | 'files';
  /** How long a replaced version may finish its requests before it is disposed anyway, ms. Default 30000. */
  drainTimeoutMs?: number;
}

export interface VersionSelector {
  version?: number;
  label?: string;
}

export interface VersionStatus {
  version: number;
  state: VersionState;
  /** Canonical error code ('OK' when none) and message, as TF Serving's GetModelStatus. */
  errorCode: string;
  errorMessage: string;
  residentBytes: number;
  inFlight: number;
  evicted: boolean;
}

export interface ModelStatus {
  name: string;
  basePath: string;
  /** Problem of the model itself (base path unreadable, no version folder). */
  error: string | null;
  labels: Record<string, number>;
  versions: VersionStatus[];
}

export interface ReloadReport {
  loaded: Array<{ name: string; version: number }>;
  failed: Array<{ name: string; version: number; error: string }>;
  unloaded: Array<{ name: string; version: number }>;
}

interface ModelEntry {
  config: ModelConfig;
  policy: VersionPolicy;
  labels: Record<string, number>;
  versions: Map<number, ModelVersion>;
  desired: number[];
  error: string | null;
}

const KEYS = optionKeys<RepositoryOptions>('new ModelRepository', {
  models: true,
  pollIntervalMs: true,
  memoryBudgetBytes: true,
  onEvicted: true,
  batcher: true,
  load: true,
  drainTimeoutMs: true,
  residentBytes: true,
});
const MODEL_KEYS = optionKeys<ModelConfig>('a ModelRepository model config', {
  name: true,
  basePath: true,
  versionPolicy: true,
  versionLabels: true,
  image: true,
});

const SELECTOR_KEYS = optionKeys<VersionSelector>('ModelRepository.acquire', { version: true, label: true });

export class ModelRepository extends EventEmitter {
  readonly memoryBudgetBytes: number;
  readonly onEvicted: 'load' | 'reject';
  readonly pollIntervalMs: number;
  #models = new Map<string, ModelEntry>();
  #options: RepositoryOptions;
  #drainTimeoutMs: number;
  #measure: 'measured' | 'files';
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<ReloadReport> | null = null;
  #loadChain: Promise<unknown> = Promise.resolve();
  #onDemand = new Map<ModelVersion, Promise<void>>();
  #started = false;
  #closed = false;
  #unloads = new Set<Promise<void>>();

  constructor(options: RepositoryOptions) {
    super();
    markConstructed(this);
    const o = v.optionsObject(options, KEYS);
    const models = v.arrayItems(o.models, 'options.models', 10_000, 'an array of model configs');
    if (models.length === 0) throw new ArgumentError('options.models: expected at least one model config, got []');
    this.pollIntervalMs =
      o.pollIntervalMs === undefined ? 1000 : v.integer(o.pollIntervalMs, 'options.pollIntervalMs', 0);
    this.memoryBudgetBytes =
      o.memoryBudgetBytes === undefined ? Infinity : v.integer(o.memoryBudgetBytes, 'options.memoryBudgetBytes', 1);
    this.onEvicted = v.oneOf(o.onEvicted, ['load', 'reject'] as const, 'options.onEvicted', 'load');
    this.#measure = v.oneOf(o.residentBytes, ['measured', 'files'] as const, 'options.residentBytes', 'measured');
    this.#drainTimeoutMs =
      o.drainTimeoutMs === undefined ? 30_000 : v.integer(o.drainTimeoutMs, 'options.drainTimeoutMs', 0);
    this.#options = { ...o, models: [] } as RepositoryOptions;
    models.forEach((m, i) => {
      const c = readModelConfig(m, `options.models[${i}]`);
      if (this.#models.has(c.name))
        throw new ArgumentError(`options.models[${i}].name: '${c.name}' is configured twice`);
      this.#models.set(c.name, {
        config: c,
        policy: readVersionPolicy(c.versionPolicy, `options.models[${i}].versionPolicy`),
        labels: { ...(c.versionLabels ?? {}) },
        versions: new Map(),
        desired: [],
        error: null,
      });
    });
  }

  /** Loads what the policies select (resolves once every first load has settled) and starts polling. */
  async start(): Promise<ReloadReport> {
    if (this.#started) throw new ArgumentError('repository.start: already started');
    this.#started = true;
    const report = await this.reload();
    if (this.pollIntervalMs > 0 && !this.#closed) {
      this.#timer = setInterval(() => {
        if (this.#reloading === null) this.#reload(false).catch((e) => this.emit('error', e));
      }, this.pollIntervalMs);
      this.#timer.unref();
    }
    return report;
  }

  /** Rescans every base path now: loads new versions (retrying failed ones), unloads those no longer selected. */
  reload(): Promise<ReloadReport> {
    return this.#reload(true);
  }

  /** Names of the configured models. */
  modelNames(): string[] {
    return [...this.#models.keys()];
  }

  /** Sets (or with `version` null, removes) a label. The version need not be loaded yet. */
  setLabel(name: string, label: string, version: number | null): void {
    const entry = this.#entry(name);
    if (typeof label !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(label))
      throw new ArgumentError(`label: expected 1-64 letters, digits, '_' or '-', got ${v.describe(label)}`);
    if (version === null) delete entry.labels[label];
    else entry.labels[label] = v.integer(version, 'version', 0);
  }

  /** True once started and every model has a version that can serve (AVAILABLE, or evicted with onEvicted 'load'). */
  ready(): boolean {
    if (!this.#started || this.#closed) return false;
    return [...this.#models.keys()].every((name) => this.modelReady(name));
  }

  /** A model (or one version of it) can serve now. */
  modelReady(name: string, version?: number): boolean {
    const entry = this.#models.get(name);
    if (entry === undefined || this.#closed) return false;
    const ok = (mv: ModelVersion) => mv.state === 'AVAILABLE' || (mv.evicted && this.onEvicted === 'load');
    if (version !== undefined) {
      const mv = entry.versions.get(version);
      return mv !== undefined && ok(mv);
    }
    return [...entry.versions.values()].some(ok);
  }

  /**
   * The version a request is served by, with a slot taken (call `release` when done).
   * Latest available when no version or label is given. Throws ServingError NOT_FOUND
   * (unknown model, version or label) or UNAVAILABLE (nothing ready, or evicted and 'reject').
   */
  async acquire(name: string, selector: VersionSelector = {}): Promise<{ version: ModelVersion; release: () => void }> {
    selector = v.optionsObject(selector, SELECTOR_KEYS, 'selector');
    const entry = this.#models.get(name);
    const what =
      selector.version !== undefined
        ? `Specific(${name}, ${selector.version})`
        : selector.label !== undefined
          ? `Label(${name}, ${selector.label})`
          : `Latest(${name})`;
    if (entry === undefined || this.#closed)
      throw new ServingError('NOT_FOUND', `Servable not found for request: ${what}`);
    let wanted = selector.version;
    if (selector.label !== undefined) {
      wanted = entry.labels[selector.label];
      if (wanted === undefined)
        throw new ServingError('NOT_FOUND', `Unrecognized servable version label: ${selector.label} (${what})`);
    }
    let mv: ModelVersion | undefined;
    if (wanted !== undefined) {
      mv = entry.versions.get(wanted);
      if (mv === undefined || (mv.state === 'END' && !mv.evicted))
        throw new ServingError('NOT_FOUND', `Servable not found for request: ${what}`);
    } else {
      const versions = [...entry.versions.values()].sort((a, b) => b.version - a.version);
      mv = versions.find((x) => x.state === 'AVAILABLE') ?? versions.find((x) => x.evicted);
      if (mv === undefined) {
        const loading = versions.find((x) => x.state === 'LOADING' || x.state === 'START');
        if (loading)
          throw new ServingError(
            'UNAVAILABLE',
            `model '${name}': no version is ready yet (version ${loading.version} is loading)`,
          );
        throw new ServingError('NOT_FOUND', `Servable not found for request: ${what}`);
      }
    }
    if (mv.evicted && mv.state !== 'AVAILABLE') {
      if (this.onEvicted === 'reject')
        throw new ServingError(
          'UNAVAILABLE',
          `model '${name}' version ${mv.version} was unloaded to stay within the memory budget of ${this.memoryBudgetBytes} bytes; it loads again on reload()`,
        );
      await this.#loadOnDemand(mv);
    }
    if (mv.state !== 'AVAILABLE')
      throw new ServingError('UNAVAILABLE', `model '${name}' version ${mv.version} is ${mv.state}`);
    return { version: mv, release: mv.acquire() };
  }

  /** Status of a model's versions (TF Serving's GetModelStatus), newest first. */
  status(name: string): ModelStatus {
    const entry = this.#entry(name);
    return {
      name,
      basePath: entry.config.basePath,
      error: entry.error,
      labels: { ...entry.labels },
      versions: [...entry.versions.values()]
        .sort((a, b) => b.version - a.version)
        .map((mv) => ({
          version: mv.version,
          state: mv.state,
          errorCode: mv.error ? mv.error.status : 'OK',
          errorMessage: mv.error ? mv.error.message : '',
          residentBytes: residentOf(mv),
          inFlight: mv.inFlight,
          evicted: mv.evicted,
        })),
    };
  }

  /** Loaded versions (AVAILABLE), for metrics. */
  loadedVersions(): ModelVersion[] {
    const out: ModelVersion[] = [];
    for (const e of this.#models.values())
      for (const mv of e.versions.values()) if (mv.state === 'AVAILABLE') out.push(mv);
    return out;
  }

  /** Bytes attributed to resident versions (loading, available or draining). */
  residentBytes(): number {
    let total = 0;
    for (const e of this.#models.values()) for (const mv of e.versions.values()) total += residentOf(mv);
    return total;
  }

  /** Stops polling, drains and disposes every version. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#reloading?.catch(() => {});
    await this.#loadChain.catch(() => {});
    const all: Promise<void>[] = [];
    for (const e of this.#models.values())
      for (const mv of e.versions.values()) all.push(mv.unload(this.#drainTimeoutMs));
    await Promise.all([...all, ...this.#unloads]);
  }

  #entry(name: string): ModelEntry {
    const entry = this.#models.get(name);
    if (entry === undefined)
      throw new ArgumentError(`name: unknown model ${v.describe(name)} (configured: ${this.modelNames().join(', ')})`);
    return entry;
  }

  #reload(retryFailed: boolean): Promise<ReloadReport> {
    if (this.#closed) return Promise.resolve({ loaded: [], failed: [], unloaded: [] });
    // One rescan at a time; an explicit reload during a poll runs after it.
    const previous = this.#reloading ?? Promise.resolve();
    const run = previous
      .catch(() => {})
      .then(() => this.#rescan(retryFailed))
      .finally(() => {
        if (this.#reloading === run) this.#reloading = null;
      });
    this.#reloading = run;
    return run;
  }

  async #rescan(retryFailed: boolean): Promise<ReloadReport> {
    const report: ReloadReport = { loaded: [], failed: [], unloaded: [] };
    for (const entry of this.#models.values()) {
      if (this.#closed) break;
      const onDisk = scanVersions(entry);
      entry.desired = selectVersions(entry.policy, onDisk);
      const name = entry.config.name;
      for (const n of entry.desired) {
        let mv = entry.versions.get(n);
        // Loaded or loading: nothing to do. Failed or evicted: again on an explicit reload() only.
        if (mv !== undefined && !(retryFailed && mv.state === 'END')) continue;
        if (mv === undefined) {
          mv = new ModelVersion(name, n, path.join(entry.config.basePath, String(n)), {
            load: { ...(this.#options.load ?? {}) },
            batcher: this.#options.batcher ?? {},
            image: entry.config.image ?? { scale: 1 / 255 },
            measureRss: this.#measure === 'measured',
          });
          entry.versions.set(n, mv);
        }
        try {
          await this.#load(mv);
          report.loaded.push({ name, version: n });
        } catch (error) {
          report.failed.push({ name, version: n, error: (error as Error).message });
        }
      }
      // Availability preserving: old versions go only once a selected one serves.
      const serving = entry.desired.some((n) => entry.versions.get(n)?.state === 'AVAILABLE');
      for (const [n, mv] of entry.versions) {
        if (entry.desired.includes(n)) continue;
        if (mv.state === 'END') {
          entry.versions.delete(n);
          continue;
        }
        if (!serving) continue;
        entry.versions.delete(n);
        report.unloaded.push({ name, version: n });
        this.#track(
          mv.unload(this.#drainTimeoutMs).then(() => {
            this.emit('version', mv);
          }),
        );
      }
    }
    return report;
  }

  #track(p: Promise<void>): void {
    this.#unloads.add(p);
    p.finally(() => this.#unloads.delete(p)).catch(() => {});
  }

  // Loads one at a time: the RSS growth measured over a load is then that version's.
  #load(mv: ModelVersion): Promise<void> {
    const run = this.#loadChain
      .catch(() => {})
      .then(async () => {
        if (this.#closed) throw new ServingError('UNAVAILABLE', 'the repository is closed');
        await this.#makeRoom(mv);
        this.emit('version', mv);
        try {
          await mv.load();
        } finally {
          this.emit('version', mv);
        }
      });
    this.#loadChain = run;
    return run;
  }

  #loadOnDemand(mv: ModelVersion): Promise<void> {
    let pending = this.#onDemand.get(mv);
    if (pending === undefined) {
      pending = this.#load(mv).finally(() => this.#onDemand.delete(mv));
      this.#onDemand.set(mv, pending);
    }
    return pending;
  }

  // Unloads least recently used versions until `mv` (estimated by its files) fits.
  async #makeRoom(mv: ModelVersion): Promise<void> {
    if (this.memoryBudgetBytes === Infinity) return;
    const need = directoryBytes(mv.dir);
    if (need > this.memoryBudgetBytes) {
      mv.state = 'END';
      mv.error = new ServingError(
        'RESOURCE_EXHAUSTED',
        `version ${mv.version} needs at least ${need} bytes, more than the memory budget of ${this.memoryBudgetBytes}`,
      );
      throw mv.error;
    }
    while (this.residentBytes() + need > this.memoryBudgetBytes) {
      const candidates = this.loadedVersions()
        .filter((x) => x !== mv)
        .sort((a, b) => a.lastUsed - b.lastUsed);
      const victim = candidates[0];
      if (victim === undefined) {
        mv.state = 'END';
        mv.error = new ServingError(
          'RESOURCE_EXHAUSTED',
          `version ${mv.version} (${need} bytes) does not fit in the memory budget of ${this.memoryBudgetBytes} bytes beside what is loading or draining (${this.residentBytes()} bytes)`,
        );
        throw mv.error;
      }
      victim.evicted = true;
      await victim.unload(this.#drainTimeoutMs);
      victim.error = new ServingError(
        'UNAVAILABLE',
        `unloaded (least recently used) to load ${mv.name} version ${mv.version} within the memory budget of ${this.memoryBudgetBytes} bytes`,
      );
      this.emit('version', victim);
    }
  }
}

function residentOf(mv: ModelVersion): number {
  return mv.state === 'AVAILABLE' || mv.state === 'UNLOADING' || mv.state === 'LOADING' ? mv.bytes : 0;
}

function scanVersions(entry: ModelEntry): number[] {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(entry.config.basePath, { withFileTypes: true });
  } catch (error) {
    entry.error = `base path ${entry.config.basePath} cannot be read: ${(error as Error).message}`;
    return [];
  }
  const versions = names
    .filter((d) => /^\d{1,15}$/.test(d.name) && (d.isDirectory() || d.isSymbolicLink()))
    .map((d) => Number(d.name));
  entry.error = versions.length === 0 ? `no version folder (<number>/) under ${entry.config.basePath}` : null;
  return versions;
}

function readModelConfig(value: unknown, name: string): ModelConfig {
  const o = v.optionsObject(value as ModelConfig, MODEL_KEYS, name);
  if (typeof o.name !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(o.name))
    throw new ArgumentError(`${name}.name: expected 1-128 letters, digits, '_', '.' or '-', got ${v.describe(o.name)}`);
  if (typeof o.basePath !== 'string' || o.basePath.length === 0)
    throw new ArgumentError(`${name}.basePath: expected a directory path, got ${v.describe(o.basePath)}`);
  if (o.versionLabels !== undefined) {
    const labels = v.recordObject<number>(o.versionLabels, `${name}.versionLabels`);
    for (const [label, n] of Object.entries(labels)) v.integer(n, `${name}.versionLabels.${label}`, 0);
  }
  return { ...o, basePath: path.resolve(o.basePath) } as ModelConfig;
}

guardReceivers(ModelRepository, (x) => wasConstructed(x, ModelRepository));
