#!/usr/bin/env node
// Detection: COCO mAP over 5,000 images x 100 detections with tfcv's MeanAveragePrecision
// beside pycocotools' COCOeval (and faster-coco-eval when installed) on the same data, and
// NMS over 10,000 boxes with tfcv.nms beside cv2.dnn.NMSBoxes (Python) and a plain C++ call
// of cv::dnn::NMSBoxes (bench/native/nms, the system's OpenCV). Also the cost of the curves
// (MeanAveragePrecision.curves(): PR and P / R / F1-confidence curves from the same records)
// beside mAP alone, and of DetectionConfusionMatrix, on the same data. Interleaved rounds, fastest
// pass of each (the machine is shared: neighbours only ever add time). Also checks that all
// of them give the same numbers / the same kept indices. Never part of the test suite.
//
//   node bench/detection.js [--images 5000] [--classes 80] [--boxes 10000] [--rounds 3] [--quick] [--no-python]
// (--quick: 1,000 images, 2 rounds.) Results also go to bench/results/detection.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tfcv = require('../dist');
const setup = require('./lib/setup');

const ROOT = path.resolve(__dirname, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUICK = process.argv.includes('--quick');
const IMAGES = arg('images', QUICK ? 1000 : 5000);
const CLASSES = arg('classes', 80);
const DETS = 100;
const BOXES = arg('boxes', 10000);
const ROUNDS = arg('rounds', QUICK ? 2 : 3); // pycocotools and faster-coco-eval: one pass (in the first round)
const NMS_PASSES = 20;
const BATCH = 500; // images per update(): a streaming evaluation, not one giant call
const best = (xs) => (xs.length ? Math.min(...xs) : null);

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r2 = (x) => Math.round(x * 100) / 100;

/** COCO-like data: 1..15 objects per image, exactly 100 detections (jittered hits, then clutter). */
function makeDataset() {
  const random = rng(7);
  const images = [];
  for (let i = 0; i < IMAGES; i++) {
    const truth = { boxes: [], classes: [], iscrowd: [] };
    const n = 1 + Math.floor(random() * 15);
    for (let k = 0; k < n; k++) {
      const s = Math.exp(Math.log(8) + random() * Math.log(300 / 8));
      truth.boxes.push([
        r2(random() * 600),
        r2(random() * 400),
        r2(s * (0.6 + random() * 0.8)),
        r2(s * (0.6 + random() * 0.8)),
      ]);
      truth.classes.push(Math.floor(random() * CLASSES));
      truth.iscrowd.push(random() < 0.02 ? 1 : 0);
    }
    const pred = { boxes: [], classes: [], scores: [] };
    for (let k = 0; k < DETS; k++) {
      if (k < n * 2) {
        const [x, y, w, h] = truth.boxes[k % n];
        const j = 0.15 * random();
        pred.boxes.push([
          r2(x + (random() - 0.5) * j * w),
          r2(y + (random() - 0.5) * j * h),
          r2(w * (1 + (random() - 0.5) * j)),
          r2(h * (1 + (random() - 0.5) * j)),
        ]);
        pred.classes.push(random() < 0.9 ? truth.classes[k % n] : Math.floor(random() * CLASSES));
      } else {
        const s = Math.exp(Math.log(6) + random() * Math.log(250 / 6));
        pred.boxes.push([r2(random() * 600), r2(random() * 400), r2(s), r2(s * (0.7 + random() * 0.6))]);
        pred.classes.push(Math.floor(random() * CLASSES));
      }
      pred.scores.push(Math.round(random() * 1e4) / 1e4);
    }
    images.push({ truth, pred });
  }
  return images;
}

function writeCoco(images, file) {
  const gt = {
    images: [],
    annotations: [],
    categories: Array.from({ length: CLASSES }, (_, c) => ({ id: c, name: `c${c}` })),
  };
  const dets = [];
  let id = 1;
  images.forEach(({ truth, pred }, i) => {
    gt.images.push({ id: i + 1, width: 640, height: 480 });
    truth.boxes.forEach((b, k) =>
      gt.annotations.push({
        id: id++,
        image_id: i + 1,
        category_id: truth.classes[k],
        bbox: b,
        iscrowd: truth.iscrowd[k],
        area: b[2] * b[3],
      }),
    );
    pred.boxes.forEach((b, k) =>
      dets.push({ image_id: i + 1, category_id: pred.classes[k], bbox: b, score: pred.scores[k] }),
    );
  });
  fs.writeFileSync(file, JSON.stringify({ gt, dets }));
}

/** Per image typed arrays, as a detector's decoded output would be (made outside the timing). */
function typed(images) {
  return images.map(({ truth, pred }) => ({
    truth: {
      boxes: Float64Array.from(truth.boxes.flat()),
      classes: Int32Array.from(truth.classes),
      iscrowd: Uint8Array.from(truth.iscrowd),
    },
    pred: {
      boxes: Float64Array.from(pred.boxes.flat()),
      classes: Int32Array.from(pred.classes),
      scores: Float64Array.from(pred.scores),
    },
  }));
}

async function tfcvMap(data, sync, withCurves = false) {
  const t0 = performance.now();
  const m = new tfcv.MeanAveragePrecision();
  for (let i = 0; i < data.length; i += BATCH) {
    const part = data.slice(i, i + BATCH);
    const truth = part.map((d) => d.truth),
      pred = part.map((d) => d.pred);
    if (sync) m.updateSync(truth, pred);
    else await m.update(truth, pred);
  }
  const r = m.result();
  const ms = performance.now() - t0;
  if (!withCurves) return { ms, stats: r.stats };
  // The curves on top of the same metric: what a run that also wants them pays extra.
  const t1 = performance.now();
  const curves = m.curves();
  return { ms, stats: r.stats, curvesMs: performance.now() - t1, best: curves.overall.best };
}

async function tfcvConfusion(data) {
  const t0 = performance.now();
  const m = new tfcv.DetectionConfusionMatrix(CLASSES);
  for (let i = 0; i < data.length; i += BATCH) {
    const part = data.slice(i, i + BATCH);
    await m.update(
      part.map((d) => d.truth),
      part.map((d) => d.pred),
    );
  }
  return { ms: performance.now() - t0, f1: m.result().value };
}

function runPython(python, args) {
  const r = spawnSync(python, [path.join(__dirname, 'python/detection_baselines.py'), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').pop() };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function buildCpp() {
  const build = path.join(ROOT, 'build/bench-native/nms');
  const source = path.join(__dirname, 'native/nms');
  const exe = path.join(build, 'nms_baseline');
  const stale =
    !fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(path.join(source, 'nms_baseline.cc')).mtimeMs;
  if (stale) {
    // cv::dnn::NMSBoxes lives in OpenCV's dnn module, which tfcv itself does not need.
    const dnn = setup.aptPackages(['libopencv-dnn-dev']);
    if (dnn.error) return { error: `the C++ baseline needs OpenCV's dnn module: ${dnn.error}` };
    for (const args of [
      ['-S', source, '-B', build, '-DCMAKE_BUILD_TYPE=Release'],
      ['--build', build],
    ]) {
      const r = spawnSync('cmake', args, { encoding: 'utf8' });
      if (r.status !== 0)
        return {
          error: `the C++ baseline did not build (cmake ${args[0]} exit ${r.status}): ${(r.stderr || '')
            .trim()
            .split('\n')
            .filter((l) => /error|Error|not found/.test(l))
            .slice(0, 2)
            .join(' ')}`,
        };
    }
  }
  return { exe };
}

function makeNmsInput(dir) {
  const random = rng(11);
  const boxes = new Float64Array(BOXES * 4),
    scores = new Float32Array(BOXES);
  for (let i = 0; i < BOXES; i++) {
    const s = 10 + random() * 90;
    boxes.set([r2(random() * 1000), r2(random() * 1000), r2(s), r2(s * (0.5 + random()))], i * 4);
    scores[i] = random();
  }
  const files = { boxes: path.join(dir, 'boxes.f64'), scores: path.join(dir, 'scores.f32') };
  fs.writeFileSync(files.boxes, Buffer.from(boxes.buffer));
  fs.writeFileSync(files.scores, Buffer.from(scores.buffer));
  return { boxes, scores, files };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-bench-detection-'));
  try {
    const v = tfcv.versions();
    console.log(
      `detection benchmark: mAP over ${IMAGES} images x ${DETS} detections (${CLASSES} classes, updates of ${BATCH} images), NMS over ${BOXES} boxes; fastest of ${ROUNDS} interleaved rounds`,
    );
    console.log(
      `tfcv with OpenCV ${v.opencv}, Node ${process.versions.node}, ${os.cpus().length} cores (${os.cpus()[0].model})\n`,
    );
    const images = makeDataset();
    const json = path.join(dir, 'coco.json');
    writeCoco(images, json);
    const data = typed(images);
    const nmsInput = makeNmsInput(dir);
    // The bench venv (scripts/fixtures/setup_venv.sh) brings numpy, cv2 and pycocotools.
    const venv = process.argv.includes('--no-python') ? { error: 'skipped (--no-python)' } : setup.python();
    const python = venv.python ?? null;
    const cpp = buildCpp();
    const ms = {
      tfcvAsync: [],
      curves: [],
      confusion: [],
      tfcvSync: [],
      pycocotools: [],
      faster: [],
      nmsSync: [],
      nmsAsync: [],
      cv2: [],
      cpp: [],
    };
    const values = {};
    const notes = {};
    await tfcvMap(data.slice(0, 200), false); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const a = await tfcvMap(data, false, true);
      ms.tfcvAsync.push(a.ms);
      ms.curves.push(a.curvesMs);
      values.tfcv = a.stats;
      values.best = a.best;
      const cm = await tfcvConfusion(data);
      ms.confusion.push(cm.ms);
      values.confusionF1 = cm.f1;
      ms.tfcvSync.push((await tfcvMap(data, true)).ms);
      // pycocotools takes minutes at full size: one pass, in the first round.
      if (python && round === 0) {
        const py = runPython(python, ['map', json, 1]);
        if (py.error) notes.python = py.error;
        else {
          if (py.pycocotools?.ms) {
            ms.pycocotools.push(...py.pycocotools.ms);
            values.pycocotools = py.pycocotools.stats;
            notes.pycocotoolsVersion = py.pycocotools.version;
          } else notes.pycocotools = py.pycocotools?.error;
          if (py['faster-coco-eval']?.ms) {
            ms.faster.push(...py['faster-coco-eval'].ms);
            values.faster = py['faster-coco-eval'].stats;
          } else notes.faster = py['faster-coco-eval']?.error;
        }
      } else if (!python) notes.python = venv.error;

      for (let p = 0; p < NMS_PASSES; p++) {
        let t0 = performance.now();
        const kept = tfcv.nmsSync(nmsInput.boxes, nmsInput.scores, { iouThreshold: 0.5 });
        ms.nmsSync.push(performance.now() - t0);
        values.nms = Array.from(kept);
        t0 = performance.now();
        await tfcv.nms(nmsInput.boxes, nmsInput.scores, { iouThreshold: 0.5 });
        ms.nmsAsync.push(performance.now() - t0);
      }
      if (python) {
        const py = runPython(python, ['nms', nmsInput.files.boxes, nmsInput.files.scores, BOXES, 0.5, 0, NMS_PASSES]);
        if (py.error) notes.cv2 = py.error;
        else {
          ms.cv2.push(...py.cv2.ms);
          values.cv2 = py.cv2.kept;
          notes.cv2Version = py.cv2.version;
        }
      }
      if (!cpp.error) {
        const r = spawnSync(
          cpp.exe,
          [nmsInput.files.boxes, nmsInput.files.scores, BOXES, 0.5, 0, NMS_PASSES + 1].map(String),
          { encoding: 'utf8', maxBuffer: 1 << 24 },
        );
        if (r.status !== 0) cpp.error = r.stderr.trim();
        else {
          const out = JSON.parse(r.stdout);
          ms.cpp.push(...out.ms.slice(1)); // the first call pays for first touches
          values.cpp = out.kept;
          notes.cppOpenCV = out.opencv;
        }
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\r`);
    }
    process.stderr.write('\n');
    if (cpp.error) notes.cpp = cpp.error;
    const f = Object.fromEntries(Object.entries(ms).map(([k, xs]) => [k, best(xs)]));
    const fmt = (x) => (x === null ? 'n/a' : `${x.toFixed(2)} ms`);
    const ratio = (a, b) => (a !== null && b !== null ? `${(a / b).toFixed(2)}x` : 'n/a');
    console.log('COCO mAP (5,000 x 100 by default)   time        pycocotools / this');
    console.log(
      `  tfcv MeanAveragePrecision async  ${fmt(f.tfcvAsync).padStart(11)}  ${ratio(f.pycocotools, f.tfcvAsync)}`,
    );
    console.log(
      `  tfcv MeanAveragePrecision sync   ${fmt(f.tfcvSync).padStart(11)}  ${ratio(f.pycocotools, f.tfcvSync)}`,
    );
    console.log(`  pycocotools COCOeval             ${fmt(f.pycocotools).padStart(11)}  ${notes.pycocotools ?? ''}`);
    console.log(
      `  faster-coco-eval                 ${fmt(f.faster).padStart(11)}  ${f.faster === null ? (notes.faster ?? '') : `faster-coco-eval / tfcv async ${ratio(f.faster, f.tfcvAsync)}`}`,
    );
    console.log(
      `  + curves() (PR, P/R/F1 vs confidence) ${fmt(f.curves).padStart(11)}  curves / mAP alone ${ratio(f.curves, f.tfcvAsync)}, mAP with curves / mAP alone ${ratio(f.tfcvAsync + f.curves, f.tfcvAsync)} (budget 1.5x)`,
    );
    console.log(
      `  DetectionConfusionMatrix async   ${fmt(f.confusion).padStart(11)}  / mAP alone ${ratio(f.confusion, f.tfcvAsync)}; best F1 ${values.best?.f1?.toFixed(4)} at score >= ${values.best?.confidence}`,
    );
    const diff = (a, b) =>
      a && b ? Math.max(...a.map((x, i) => (b[i] === -1 && Number.isNaN(x) ? 0 : Math.abs(x - b[i])))) : null;
    console.log(
      `  max |tfcv - pycocotools| over the 12 numbers: ${diff(values.tfcv, values.pycocotools) ?? 'n/a'}; AP ${values.tfcv?.[0]?.toFixed(6)}`,
    );
    console.log(`\nNMS over ${BOXES} boxes (IoU 0.5)     time        this / plain C++`);
    console.log(`  tfcv nmsSync                     ${fmt(f.nmsSync).padStart(11)}  ${ratio(f.nmsSync, f.cpp)}`);
    console.log(`  tfcv nms (async)                 ${fmt(f.nmsAsync).padStart(11)}  ${ratio(f.nmsAsync, f.cpp)}`);
    console.log(
      `  cv::dnn::NMSBoxes, plain C++     ${fmt(f.cpp).padStart(11)}  ${notes.cpp ?? `OpenCV ${notes.cppOpenCV}`}`,
    );
    console.log(
      `  cv2.dnn.NMSBoxes (Python)        ${fmt(f.cv2).padStart(11)}  ${ratio(f.cv2, f.cpp)} ${notes.cv2 ?? `cv2 ${notes.cv2Version}`}`,
    );
    const same = (a, b) => (a && b ? JSON.stringify(a) === JSON.stringify(b) : null);
    console.log(
      `  kept ${values.nms.length} boxes; same indices as C++: ${same(values.nms, values.cpp)}, as cv2: ${same(values.nms, values.cv2)}`,
    );
    const results = {
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        date: new Date().toISOString(),
      },
      setup: {
        images: IMAGES,
        detectionsPerImage: DETS,
        classes: CLASSES,
        batch: BATCH,
        boxes: BOXES,
        rounds: ROUNDS,
        statistic: 'fastest pass, ms',
      },
      ms: f,
      passes: ms,
      notes,
      parity: {
        mapMaxAbsDiffVsPycocotools: diff(values.tfcv, values.pycocotools),
        nmsSameAsCpp: same(values.nms, values.cpp),
        nmsSameAsCv2: same(values.nms, values.cv2),
        kept: values.nms.length,
      },
      ratios: {
        pycocotoolsOverTfcvAsync: f.pycocotools && f.pycocotools / f.tfcvAsync,
        curvesOverMap: f.curves / f.tfcvAsync,
        mapWithCurvesOverMap: (f.tfcvAsync + f.curves) / f.tfcvAsync,
        confusionOverMap: f.confusion / f.tfcvAsync,
        fasterCocoEvalOverTfcvAsync: f.faster && f.faster / f.tfcvAsync,
        nmsSyncOverCpp: f.cpp && f.nmsSync / f.cpp,
        nmsAsyncOverCpp: f.cpp && f.nmsAsync / f.cpp,
      },
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results/detection.json'), JSON.stringify(results, null, 2) + '\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
