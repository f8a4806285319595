// Fuzz targets for the batcher and for scopes around batches (issue 21). `batcherCase`
// builds a batcher from random options (holes, sparse and huge arrays, wrong types, out of
// range numbers; the option sets issue 21 found hangs in) and, when one is made, sends a few
// requests with random run options (timeoutMs past 2^31, fractions, signals aborted early or
// late, wrong feeds). `scopesCase` runs several concurrent request handlers, each in its own
// scope(), through one batcher, closes the scopes in random order and checks that every
// handler could read its outputs and that nothing is left alive afterwards (a leak).
'use strict';
const { rngFor } = require('./cases');

const SALT_BATCHER = 21;
const SALT_SCOPES = 22;

function sparse(length, fill) {
  const a = [];
  a.length = length;
  if (fill) for (const [i, v] of fill) a[i] = v;
  return a;
}

function randomSizes(r) {
  switch (r.int(9)) {
    case 0:
      // eslint-disable-next-line no-sparse-arrays
      return [4, ,];
    case 1:
      return sparse(2 ** 32 - 1);
    case 2:
      return sparse(r.pick([3, 100, 70000]), [[0, 1]]);
    case 3:
      return [];
    case 4:
      return [1, 2, 4, 8].slice(0, 1 + r.int(4));
    case 5:
      return [r.pick([0, -1, 1.5, NaN, '2', 65537, 2 ** 31]), 4];
    case 6:
      return [4, 2];
    case 7:
      return r.pick([null, 'x', 4, {}]);
    default:
      return [1 + r.int(4), 5 + r.int(4)];
  }
}

function randomNumber(r, good) {
  return r.chance(0.6) ? good() : r.pick([0, -1, 0.5, NaN, Infinity, 2 ** 31, 2 ** 53, '1', null, {}, [], 1e9]);
}

/** The options of case `index`: a plain object (may hold anything). */
function batcherOptions(seed, index) {
  const r = rngFor(seed, index, SALT_BATCHER);
  const o = {};
  if (r.chance(0.5)) o.allowedBatchSizes = randomSizes(r);
  if (r.chance(0.4)) o.maxBatchSize = randomNumber(r, () => 1 + r.int(16));
  if (r.chance(0.4)) o.maxDelayMs = randomNumber(r, () => r.int(5));
  if (r.chance(0.3)) o.maxQueue = randomNumber(r, () => 1 + r.int(8));
  if (r.chance(0.3)) o.concurrency = randomNumber(r, () => 1 + r.int(3));
  if (r.chance(0.2))
    o.outputs = r.pick([['foreground'], ['classes', 'foreground'], [], sparse(2 ** 32 - 1), ['nope'], 'foreground']);
  if (r.chance(0.1)) o.signature = r.pick(['serving_default', 'nope', 3]);
  if (r.chance(0.05)) o.warmup = r.pick([true, false, 'yes']);
  return o;
}

function runOptions(r) {
  const o = {};
  if (r.chance(0.5))
    o.timeoutMs = r.pick([1, 2, 50, 60000, 2 ** 31 - 1, 2 ** 31, 2 ** 40, 0, -5, 0.5, 1.5, NaN, Infinity, '10', null]);
  if (r.chance(0.3)) o.signal = r.pick(['abortNow', 'abortLater', 'never', 'notASignal']);
  return r.chance(0.05) ? r.pick([null, 'x', 5]) : o;
}

function feeds(tfcv, r) {
  const rows = r.chance(0.9) ? 1 + r.int(3) : r.pick([0, 17, 100]);
  const shape = r.chance(0.9) ? [rows, 64, 64, 3] : r.pick([[rows, 32, 32, 3], [rows], []]);
  const dtype = r.chance(0.95) ? 'float32' : 'int32';
  const t = tfcv.Tensor.alloc(dtype, shape);
  if (t.data && typeof t.data.fill === 'function') t.data.fill(r.int(2));
  if (r.chance(0.03)) return { feeds: { nope: t }, made: [t] };
  if (r.chance(0.03)) {
    t.dispose();
    return { feeds: { image: t }, made: [] };
  }
  return { feeds: { image: t }, made: [t] };
}

/** One batcher case: resolves when every request settled and the batcher closed. */
async function batcherCase(tfcv, model, seed, index) {
  const r = rngFor(seed, index, SALT_BATCHER + 100);
  const options = batcherOptions(seed, index);
  let b;
  try {
    b = model.batcher(options);
  } catch (error) {
    return { error };
  }
  const made = [];
  const requests = [];
  const controllers = [];
  try {
    const n = 1 + r.int(4);
    for (let k = 0; k < n; k++) {
      const f = feeds(tfcv, r);
      made.push(...f.made);
      const o = runOptions(r);
      if (o && typeof o === 'object' && o.signal) {
        const mode = o.signal;
        if (mode === 'notASignal') o.signal = {};
        else {
          const c = new AbortController();
          controllers.push(c);
          o.signal = c.signal;
          if (mode === 'abortNow') c.abort();
          else if (mode === 'abortLater') setTimeout(() => c.abort(), r.int(5));
        }
      }
      requests.push(b.run(f.feeds, o));
    }
    const settled = await Promise.allSettled(requests);
    const errors = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') for (const t of Object.values(s.value)) t.dispose();
      else errors.push(s.reason);
    }
    return { errors };
  } finally {
    await b.close();
    for (const t of made) t.dispose();
  }
}

/**
 * One scopes case: `handlers` concurrent scoped requests through one batcher; each reads its
 * output after a random delay (while other scopes close). Returns the handlers' failures.
 */
async function scopesCase(tfcv, model, seed, index) {
  const r = rngFor(seed, index, SALT_SCOPES);
  const maxBatchSize = 1 + r.int(8);
  const b = model.batcher({ maxDelayMs: r.int(10), maxBatchSize, concurrency: 1 + r.int(2) });
  const tick = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const handlers = [];
  const failures = [];
  try {
    const n = 2 + r.int(6);
    for (let k = 0; k < n; k++) {
      const delay = r.int(8);
      const nested = r.chance(0.3);
      const throws = r.chance(0.15);
      const keepIt = r.chance(0.1);
      handlers.push(
        tfcv
          .scope(async () => {
            const input = tfcv.Tensor.alloc('float32', [1 + r.int(Math.min(2, maxBatchSize)), 64, 64, 3]);
            const run = () => b.run({ image: input });
            const out = nested ? await tfcv.scope(run) : await run();
            await tick(delay);
            const value = out.foreground.data[0]; // DisposedError here was issue 21's bug
            if (throws) throw new Error('handler threw');
            if (keepIt) return tfcv.keep(out);
            return value;
          })
          .then(
            (v) => {
              if (v && typeof v === 'object') for (const t of Object.values(v)) t.dispose();
            },
            (error) => {
              if (!(error instanceof Error && error.message === 'handler threw')) failures.push(error);
            },
          ),
      );
    }
    await Promise.all(handlers);
  } finally {
    await b.close();
  }
  return { failures };
}

module.exports = { batcherCase, scopesCase, batcherOptions };
