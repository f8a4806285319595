#!/usr/bin/env node
// One fuzz batch in its own process (so a crash or a hang is caught by the runner):
//   node scripts/fuzz/child.js <decoder|loader|api|batcher|scopes|http> <seed> <start> <count> [stderrFile]
// For each case it prints "S <i> <label>" before and "R <i> <outcome> <detail>" after, with
// outcome ok | typed | trap | untyped | partial | leak | wrong (a typed error where the call
// had to succeed, or a 5xx from the example server). With stderrFile (this process's own stderr,
// redirected to a file by the runner), native library output written during a case that
// decoded successfully ("Corrupt JPEG data", "libpng warning", ...) marks it partial.
// Running it by hand on one index replays one case: that is the reproducer.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { decoderCase, loaderCase, FIXTURES, ROOT } = require('./cases');
const { enumerateTargets, apiCase, makeInstances, disposeInstances, sharedState, TRAP } = require('./api_calls');
const { batcherCase, scopesCase } = require('./batcher_cases');
const { httpRequest, exchange } = require('./http_cases');

const [kind, seedText, startText, countText, stderrFile] = process.argv.slice(2);
const seed = Number(seedText);
const start = Number(startText);
const count = Number(countText);
const tfcv = require(ROOT);

// Native warnings that mean "the decoder saw corrupt data" when they come with a success.
const CORRUPTION =
  /Corrupt JPEG|Premature end of JPEG|JPEG datastream|libpng (warning|error)|Not enough image data|incorrect data check|invalid (distance|code|block)|TIFFRead|Read error|imgcodecs.*(error|warning)/i;

let stderrOffset = 0;
function newStderr() {
  if (!stderrFile) return '';
  let text = '';
  try {
    const size = fs.statSync(stderrFile).size;
    if (size > stderrOffset) {
      const fd = fs.openSync(stderrFile, 'r');
      const b = Buffer.alloc(Math.min(size - stderrOffset, 65536));
      fs.readSync(fd, b, 0, b.length, stderrOffset);
      fs.closeSync(fd);
      text = b.toString('utf8');
    }
    stderrOffset = size;
  } catch {
    // no stderr file: nothing to attribute
  }
  return text;
}

const clip = (s) => String(s).replace(/\s+/g, ' ').slice(0, 300);

function classify(error) {
  if (error instanceof tfcv.TfcvError && typeof error.code === 'string' && error.code.startsWith('ERR_TFCV'))
    return ['typed', `${error.name}: ${clip(error.message)}`];
  if (error instanceof Error && error.message === TRAP) return ['trap', 'the argument threw'];
  const name = error && error.constructor ? error.constructor.name : typeof error;
  return ['untyped', `${name}: ${clip(error && error.message)}`];
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${ms} ms`), { hang: true })), ms);
    }),
  ]);
}

// --------------------------------------------------------------------------- decoder

async function runDecoder(i) {
  const c = decoderCase(seed, i);
  const label = `${c.call} ${c.seedName} [${c.mutations.join(',')}] ${c.bytes.length} bytes`;
  out(`S ${i} ${label}`);
  newStderr();
  const opts = {};
  for (const [k, v] of Object.entries(c.options)) if (v !== undefined) opts[k] = v;
  let produced = null;
  try {
    if (c.call === 'decodeSync') produced = tfcv.Mat.decodeSync(c.bytes, opts);
    else if (c.call === 'decode') produced = await withTimeout(tfcv.Mat.decode(c.bytes, opts), 20000);
    else if (c.call === 'preprocess') produced = await withTimeout(tfcv.preprocess([c.bytes], c.spec), 20000);
    else {
      // preprocess of a Mat decoded from the bytes (the two-step path)
      const m = tfcv.Mat.decodeSync(c.bytes, opts);
      try {
        produced = await withTimeout(tfcv.preprocess([m], c.spec), 20000);
      } finally {
        m.dispose();
      }
    }
  } catch (error) {
    if (error && error.hang) return out(`R ${i} hang ${clip(error.message)}`);
    const [outcome, detail] = classify(error);
    return out(`R ${i} ${outcome} ${detail}`);
  }
  produced.dispose();
  const warnings = newStderr();
  if (CORRUPTION.test(warnings)) return out(`R ${i} partial decoded while the codec reported: ${clip(warnings)}`);
  if (c.truncatedBeforeEnd) return out(`R ${i} partial decoded an image cut before its end marker`);
  return out(`R ${i} ok`);
}

// ---------------------------------------------------------------------------- loader

function specialPath(dir, special) {
  const p = path.join(dir, `special-${special}`);
  switch (special) {
    case 'fifo':
      execFileSync('mkfifo', [p]);
      return p;
    case 'directory':
      fs.mkdirSync(p);
      return p;
    case 'symlinkLoop':
      fs.symlinkSync(p, p);
      return p;
    case 'dangling':
      fs.symlinkSync(path.join(dir, 'nothing-here'), p);
      return p;
    case 'sparse2g':
      fs.closeSync(fs.openSync(p, 'w'));
      fs.truncateSync(p, 2 ** 31 + 1);
      return p;
    case 'longName':
      return path.join(dir, 'n'.repeat(5000));
    case 'empty':
      fs.writeFileSync(p, '');
      return p;
    default:
      return special; // /dev/zero, /dev/null, /dev/urandom
  }
}

async function runLoader(i, dir) {
  const c = loaderCase(seed, i);
  const caseDir = fs.mkdtempSync(path.join(dir, `case${i}-`));
  const label = c.kind === 'special' ? `${c.target} <- ${c.special}` : `${c.kind} ${c.mutation}#${c.mutationSeed}`;
  out(`S ${i} ${c.async ? 'async' : 'sync'} ${label}`);
  const load = async () => {
    if (c.kind === 'special') {
      // A 5,000-character name cannot be put inside a model directory (rename would fail with
      // ENAMETOOLONG in this harness, not in tfcv): there it becomes a dangling link.
      const special =
        c.special === 'longName' && (c.target === 'savedModelPb' || c.target === 'variablesIndex')
          ? 'dangling'
          : c.special;
      const p = specialPath(caseDir, special);
      if (c.target === 'frozen') return c.async ? tfcv.loadFrozenGraph(p) : tfcv.loadFrozenGraphSync(p);
      if (c.target === 'matRead') return c.async ? tfcv.Mat.read(p) : tfcv.Mat.readSync(p);
      if (c.target === 'savedModelDir') return c.async ? tfcv.loadSavedModel(p) : tfcv.loadSavedModelSync(p);
      const model = path.join(caseDir, 'model');
      fs.cpSync(path.join(FIXTURES, 'models/segnet'), model, { recursive: true });
      const victim = path.join(model, c.target === 'savedModelPb' ? 'saved_model.pb' : 'variables/variables.index');
      fs.rmSync(victim);
      if (p.startsWith('/dev/')) fs.symlinkSync(p, victim);
      else fs.renameSync(p, victim);
      return c.async ? tfcv.loadSavedModel(model) : tfcv.loadSavedModelSync(model);
    }
    if (c.kind === 'frozenBytes') return c.async ? tfcv.loadFrozenGraph(c.bytes) : tfcv.loadFrozenGraphSync(c.bytes);
    if (c.kind === 'frozenFile') {
      const p = path.join(caseDir, 'graph.pb');
      fs.writeFileSync(p, c.bytes);
      return c.async ? tfcv.loadFrozenGraph(p) : tfcv.loadFrozenGraphSync(p);
    }
    // A SavedModel with one file mutated.
    const { rngFor, MUTATORS } = require('./cases');
    const model = path.join(caseDir, 'model');
    fs.cpSync(path.join(FIXTURES, 'models/segnet'), model, { recursive: true });
    const file = path.join(
      model,
      c.kind === 'savedModelPb'
        ? 'saved_model.pb'
        : rngFor(c.mutationSeed, 1, 4).pick(['variables/variables.index', 'variables/variables.data-00000-of-00001']),
    );
    fs.writeFileSync(file, MUTATORS[c.mutation](rngFor(c.mutationSeed, 0, 3), Buffer.from(fs.readFileSync(file))));
    return c.async ? tfcv.loadSavedModel(model) : tfcv.loadSavedModelSync(model);
  };
  try {
    const loaded = await withTimeout(Promise.resolve().then(load), 30000);
    if (loaded instanceof tfcv.Model) {
      if (c.runAfterLoad) {
        const feeds = {};
        for (const [key, spec] of Object.entries(loaded.inputs())) {
          const shape = (spec.shape ?? [1]).map((d) => (d < 0 ? 1 : d));
          feeds[key] = tfcv.Tensor.alloc(spec.dtype, shape);
        }
        try {
          const outputs = await withTimeout(loaded.run(feeds), 30000);
          for (const t of Object.values(outputs)) t.dispose();
        } catch (error) {
          if (error && error.hang) throw error;
          const [outcome, detail] = classify(error);
          if (outcome === 'untyped') throw error;
          void detail;
        } finally {
          for (const t of Object.values(feeds)) t.dispose();
        }
      }
      loaded.dispose();
    } else if (loaded && typeof loaded.dispose === 'function') loaded.dispose();
    out(`R ${i} ok`);
  } catch (error) {
    if (error && error.hang) return out(`R ${i} hang ${clip(error.message)}`);
    const [outcome, detail] = classify(error);
    out(`R ${i} ${outcome} ${detail}`);
  } finally {
    fs.rmSync(caseDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------- api

async function runApi(i, targets, shared) {
  let inst;
  try {
    inst = makeInstances(tfcv, shared);
  } catch (error) {
    return out(`R ${i} untyped could not build the instances: ${clip(error && error.stack)}`);
  }
  const c = apiCase(tfcv, targets, seed, i, inst);
  out(`S ${i} ${clip(c.label)}`);
  try {
    let result = c.run();
    if (result && typeof result.then === 'function') result = await withTimeout(result, 20000);
    out(`R ${i} ok`);
  } catch (error) {
    if (error && error.hang) out(`R ${i} hang ${clip(error.message)}`);
    else {
      const [outcome, detail] = classify(error);
      out(`R ${i} ${outcome} ${detail}`);
    }
  } finally {
    disposeInstances(inst);
    // A call may have changed process-wide limits: back to the defaults for the next case.
    tfcv.setLimits({ maxAllocationBytes: tfcv.DEFAULT_MAX_ALLOCATION_BYTES });
  }
}

// ------------------------------------------------------- batcher, scopes, http (issue 21)

async function settleGc() {
  for (let k = 0; k < 2; k++) {
    global.gc();
    for (let j = 0; j < 3; j++) await new Promise((r) => setImmediate(r));
  }
}

/** Options for a label: long (sparse) arrays shown by their length, never walked. */
function showOptions(o) {
  return JSON.stringify(o, (k, v) => (Array.isArray(v) && v.length > 16 ? `Array(${v.length})` : v));
}

/** Live tensors and Mats back where they were after the case (views are freed by GC). */
async function leakOf(before) {
  const settled = (s) => s.liveTensors <= before.liveTensors && s.liveMats <= before.liveMats;
  let s = tfcv.stats();
  if (settled(s)) return null;
  await settleGc();
  s = tfcv.stats();
  if (settled(s)) return null;
  return `live tensors ${before.liveTensors} -> ${s.liveTensors}, mats ${before.liveMats} -> ${s.liveMats}`;
}

async function runModelCase(i, model, which) {
  const label = which === 'batcher' ? showOptions(require('./batcher_cases').batcherOptions(seed, i)) : `scopes #${i}`;
  out(`S ${i} ${clip(label)}`);
  const before = tfcv.stats();
  try {
    const fn = which === 'batcher' ? batcherCase : scopesCase;
    const result = await withTimeout(fn(tfcv, model, seed, i), 30000);
    const errors = result.error ? [result.error] : (result.errors ?? []);
    const untyped = errors.map(classify).find(([o]) => o === 'untyped');
    if (untyped) return out(`R ${i} untyped ${untyped[1]}`);
    if (result.failures && result.failures.length > 0) {
      const [, detail] = classify(result.failures[0]);
      return out(`R ${i} wrong a scoped handler failed: ${detail}`);
    }
    const leak = await leakOf(before);
    if (leak) return out(`R ${i} leak ${leak}`);
    out(`R ${i} ${errors.length > 0 ? 'typed' : 'ok'}${errors.length ? ' ' + classify(errors[0])[1] : ''}`);
  } catch (error) {
    if (error && error.hang) return out(`R ${i} hang ${clip(error.message)}`);
    const [outcome, detail] = classify(error);
    out(`R ${i} ${outcome} ${detail}`);
  }
}

async function runHttpCase(i, app, port, jpeg) {
  const request = httpRequest(seed, i, jpeg);
  out(`S ${i} ${clip(request.label)}`);
  const answer = await exchange(port, request, 20000);
  if (answer.hang) return out(`R ${i} hang no answer in 20 s`);
  const bad = answer.statuses.find((s) => s >= 500 && s !== 503 && s !== 504);
  if (bad) return out(`R ${i} wrong status ${bad}: ${clip(answer.text)}`);
  // Every slot and upload is freed: the server is idle again within a few seconds.
  const until = Date.now() + 5000;
  let st = app.stats();
  while ((st.inFlight !== 0 || st.uploads !== 0) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5));
    st = app.stats();
  }
  if (st.inFlight !== 0 || st.uploads !== 0) return out(`R ${i} leak inFlight ${st.inFlight} uploads ${st.uploads}`);
  out(`R ${i} ${answer.statuses.some((s) => s >= 400) ? 'typed' : 'ok'} ${answer.statuses.join(',')}`);
}

async function runServerKinds() {
  const model = await tfcv.loadSavedModel(path.join(FIXTURES, 'models/segnet'));
  try {
    if (kind === 'http') {
      const { createServer } = require(path.join(ROOT, 'examples/server/server'));
      const app = createServer({ model, bodyTimeoutMs: 3000 });
      await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
      const port = app.server.address().port;
      const jpeg = fs.readFileSync(path.join(FIXTURES, 'images/photo_640x480.jpg'));
      try {
        for (let i = start; i < start + count; i++) await runHttpCase(i, app, port, jpeg);
      } finally {
        await app.close();
      }
      return;
    }
    for (let i = start; i < start + count; i++) await runModelCase(i, model, kind);
  } finally {
    if (!model.disposed) model.dispose();
  }
}

function out(line) {
  fs.writeSync(1, line.replace(/\n/g, ' ') + '\n');
}

async function main() {
  // Calls may write files (mat.write, reports): they land in a scratch directory.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-fuzz-'));
  process.chdir(dir);
  // A promise rejected after its call answered (should not happen) is reported, not fatal.
  process.on('unhandledRejection', (error) => out(`U ${clip(error && error.stack)}`));
  try {
    if (kind === 'batcher' || kind === 'scopes' || kind === 'http') {
      await runServerKinds();
    } else if (kind === 'api') {
      const targets = enumerateTargets(tfcv);
      const shared = sharedState();
      for (let i = start; i < start + count; i++) await runApi(i, targets, shared);
    } else {
      for (let i = start; i < start + count; i++) {
        if (kind === 'decoder') await runDecoder(i);
        else await runLoader(i, dir);
      }
    }
  } finally {
    process.chdir(os.tmpdir());
    fs.rmSync(dir, { recursive: true, force: true });
  }
  out('DONE');
  // Anything a case left pending (a timed-out promise, a timer) must not keep the batch alive.
  process.exit(0);
}

main().catch((error) => {
  out(`X ${clip(error && error.stack)}`);
  process.exit(3);
});
