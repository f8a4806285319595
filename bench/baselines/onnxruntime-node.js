#!/usr/bin/env node
// Baseline for bench/model-latency.js: ONNX Runtime for Node (onnxruntime-node) running the
// same networks, exported to ONNX with TensorFlow's weights (bench/models/export_onnx.py), so
// tfcv can be compared with the other native runtime a Node user would reach for.
// Installed outside the repo, in ${TFCV_CACHE:-~/.cache/tfcv}/baselines/onnxruntime-node.
//
// usage: onnxruntime-node.js MODEL SHAPE TIME_MS   (MODEL tiny|mobilenet, SHAPE e.g. 1,224,224,3)
//        onnxruntime-node.js --prepare             (install + export only)
// stdout: one JSON line, {"median_ms":…,"p99_ms":…,"iterations":…} or {"error":"…"} (exit 0).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, cache, Unavailable, createRunner, parseArgs, measure } = require('./runner_kit');

const { log, run, start } = createRunner('onnxruntime-node');

const ORT_VERSION = process.env.TFCV_ORT_NODE_VERSION || '1.30.0';
const installDir = path.join(cache, 'baselines/onnxruntime-node');
const modelsDir = path.join(cache, 'bench-models');
const STEMS = { tiny: 'tiny_cnn', mobilenet: 'mobilenet_v2' };

/** onnxruntime-node from the npm registry, once. Its postinstall would fetch CUDA add-ons from
 *  NuGet; ONNXRUNTIME_NODE_INSTALL=skip makes it exit at once (the CPU binaries are in the package). */
function ensureOrt() {
  const pkg = path.join(installDir, 'node_modules/onnxruntime-node/package.json');
  if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).version === ORT_VERSION) return;
  fs.mkdirSync(installDir, { recursive: true });
  const manifest = path.join(installDir, 'package.json');
  if (!fs.existsSync(manifest))
    fs.writeFileSync(manifest, JSON.stringify({ name: 'tfcv-baseline-onnxruntime-node', private: true }, null, 2));
  log(`installing onnxruntime-node@${ORT_VERSION} into ${installDir}`);
  const r = run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `onnxruntime-node@${ORT_VERSION}`], {
    cwd: installDir,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  if (!r.ok) throw new Unavailable(`npm install onnxruntime-node@${ORT_VERSION} failed: ${r.out.trim().slice(-300)}`);
}

/** The .onnx file for MODEL at this batch size (exported once by bench/models/export_onnx.py). */
function ensureModels(models, batches) {
  const missing = models.some((m) =>
    batches.some((b) => !fs.existsSync(path.join(modelsDir, `${STEMS[m]}_b${b}.onnx`))),
  );
  if (!missing) return;
  log(`exporting ${models.join(', ')} (batch ${batches.join(', ')}) to ONNX`);
  const python = process.env.PYTHON || 'python3';
  const r = run(python, [
    path.join(root, 'bench/models/export_onnx.py'),
    '--models',
    models.join(','),
    '--batches',
    batches.join(','),
    '--out',
    modelsDir,
  ]);
  if (!r.ok) {
    const line = r.out
      .trim()
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{"error"'));
    throw new Unavailable(line ? JSON.parse(line).error : `ONNX export failed: ${r.out.trim().slice(-300)}`);
  }
}

async function bench({ model, shape, timeMs }) {
  ensureOrt();
  ensureModels([model], [shape[0]]);
  const file = path.join(modelsDir, `${STEMS[model]}_b${shape[0]}.onnx`);
  const ort = require(path.join(installDir, 'node_modules/onnxruntime-node'));
  const cores = os.availableParallelism();
  // Comparable to tfcv's session defaults: intra-op = cores, inter-op = min(2, cores). ORT's
  // default executionMode is 'sequential', where inter-op threads are not used (as for a CNN,
  // a chain of ops, in TensorFlow).
  const session = await ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    intraOpNumThreads: cores,
    interOpNumThreads: Math.min(2, cores),
    graphOptimizationLevel: 'all',
  });
  const input = session.inputNames[0];
  const output = session.outputNames[0];
  const count = shape.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor('float32', new Float32Array(count).fill(0.5), shape);
  const feeds = { [input]: x };

  // Correctness before speed: the first image's output must match TensorFlow's on the SavedModel.
  const ref = JSON.parse(fs.readFileSync(file.replace(/\.onnx$/, '.json'), 'utf8')).tf_reference_batch1;
  const y = (await session.run(feeds))[output];
  let diff = 0;
  for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(y.data[i] - ref[i]));
  const scale = Math.max(...ref.map(Math.abs));
  log(
    `${path.basename(file)}: ${input} [${shape}] -> ${output} [${y.dims}], max |ORT - TF| = ${diff.toExponential(2)} (output max ${scale.toExponential(2)})`,
  );
  if (!(diff <= 1e-2 * scale + 1e-6))
    throw new Unavailable(`ONNX Runtime's output differs from TensorFlow's (max abs diff ${diff})`);

  // One await per inference: session.run is asynchronous (ORT runs it off the JS thread).
  const result = await measure(async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose();
  }, timeMs);
  await session.release();
  return result;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--prepare') {
    ensureOrt();
    require(path.join(installDir, 'node_modules/onnxruntime-node'));
    ensureModels(Object.keys(STEMS), [1, 8]);
    return { ok: true };
  }
  return bench(parseArgs(argv));
}

start(main);
