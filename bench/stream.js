#!/usr/bin/env node
// Live streams: frames/s and capture-to-result latency p50 / p99 of the bundled detector
// (shapedet) on one synthetic video (256x256, drawn and encoded at start) for
//  - tfcv's stream pipeline under each policy (openVideo -> streamPipeline -> detector);
//  - a hand-written ffmpeg-pipe + tfcv loop (raw frames split off stdout, Mat.fromBuffer,
//    preprocess, model.run, boxes, one frame at a time);
//  - Python: cv2.VideoCapture + TensorFlow in a loop (bench/python/stream_cv2_tf.py).
// Then the latency bound of 'latest': a 60 fps real-time source and the model padded to
// ~50 ms a frame (about 20 fps): p99 against model time + one frame interval + 10 ms, RSS
// at start and end; Python's loop on the same source for contrast. Never part of the tests.
//
//   node bench/stream.js [--frames 300] [--seconds 20] [--quick]
// Results also go to bench/results/stream.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const tfcv = require('../dist');
const { python, run } = require('./lib/setup');
const { writeResults } = require('./lib/report');

const ROOT = path.resolve(__dirname, '..');
const SHAPEDET = path.join(ROOT, 'test/fixtures/models/shapedet');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUICK = process.argv.includes('--quick');
const FRAMES = arg('frames', QUICK ? 150 : 300);
const SECONDS = arg('seconds', QUICK ? 8 : 20);
const PAD_MS = 50;
const OUTPUTS = { boxes: 'detection_boxes', scores: 'detection_scores', classes: 'detection_classes', format: 'yxyx' };
const tick = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(values, q) {
  const s = Float64Array.from(values).sort();
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
}

async function tfcvRun(model, video, policy, extra = {}, pacing = 'fast') {
  const det = tfcv.detector(model, { outputs: OUTPUTS, preprocess: { scale: 1 / 255 }, batcher: { warmup: true } });
  await det.batcher.ready;
  const p = tfcv.streamPipeline(tfcv.openVideo(video, { pacing }), { process: det, policy, ...extra });
  const t0 = performance.now();
  let boxes = 0;
  for await (const r of p) boxes += r.value.classes.length;
  const ms = performance.now() - t0;
  const s = p.stats();
  await det.close();
  return {
    fps: (s.processed / ms) * 1000,
    p50: s.latencyMs.p50,
    p99: s.latencyMs.p99,
    processed: s.processed,
    dropped: s.dropped,
    boxes,
  };
}

/** The loop Node users write by hand: spawn ffmpeg, cut frames off stdout, run the model on each. */
async function handLoop(model, video, size) {
  const det = tfcv.detector(model, { outputs: OUTPUTS, preprocess: { scale: 1 / 255 } });
  const spec = det.spec;
  await det.close();
  const { decodeImage } = require('../dist/evaluate/evaluate_detection');
  const frameBytes = size * size * 3;
  const child = spawn('ffmpeg', [
    '-loglevel',
    'error',
    '-nostdin',
    '-i',
    video,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'bgr24',
    'pipe:1',
  ]);
  let pending = Buffer.alloc(0);
  const latencies = [];
  let frames = 0;
  const t0 = performance.now();
  const outputs = { ...OUTPUTS, normalized: true, classOffset: 0 };
  for await (const chunk of child.stdout) {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= frameBytes) {
      const at = performance.now();
      const mat = tfcv.Mat.fromBuffer(pending.subarray(0, frameBytes), { rows: size, cols: size, channels: 3 });
      pending = pending.subarray(frameBytes);
      const feed = await tfcv.preprocess([mat], spec);
      const out = await model.run({ image: feed });
      decodeImage(
        out,
        outputs,
        0,
        { resize: 'stretch', source: { width: size, height: size }, target: { width: 64, height: 64 } },
        { iouThreshold: 0.5, scoreThreshold: 0.3 },
      );
      for (const t of Object.values(out)) t.dispose();
      feed.dispose();
      mat.dispose();
      latencies.push(performance.now() - at);
      frames++;
    }
  }
  const ms = performance.now() - t0;
  return {
    fps: (frames / ms) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    processed: frames,
    dropped: 0,
  };
}

function pythonRun(video, args = []) {
  const py = python();
  if (py.error) return { error: py.error };
  const r = run(py.python, [path.join(__dirname, 'python/stream_cv2_tf.py'), video, SHAPEDET, ...args], {
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  if (!r.ok) return { error: r.out.slice(-300) };
  const j = JSON.parse(
    r.out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop(),
  );
  return { fps: j.fps, p50: j.p50, p99: j.p99, processed: j.frames, dropped: 0 };
}

/** 'latest' on a real-time 60 fps source with the model padded to PAD_MS: the latency bound. */
async function latencyBound(model, video) {
  const det = tfcv.detector(model, { outputs: OUTPUTS, preprocess: { scale: 1 / 255 }, batcher: { warmup: true } });
  await det.batcher.ready;
  const slow = async (frame) => {
    const t = performance.now();
    const d = await det(frame);
    const left = PAD_MS - (performance.now() - t);
    if (left > 0) await tick(left);
    return d;
  };
  const p = tfcv.streamPipeline(tfcv.openVideo(video, { pacing: 'realtime', loop: true }), {
    process: slow,
    policy: 'latest',
  });
  const rss = [process.memoryUsage().rss];
  const t0 = performance.now();
  let warm = false;
  const lat = [];
  const proc = [];
  for await (const r of p) {
    if (!warm && performance.now() - t0 > 1000) warm = true; // the first second: caches, JIT
    if (warm) {
      lat.push(r.latencyMs);
      proc.push(r.processMs);
    }
    if (performance.now() - t0 > SECONDS * 1000) break;
  }
  if (global.gc) global.gc();
  rss.push(process.memoryUsage().rss);
  const s = p.stats();
  await det.close();
  return {
    p50: percentile(lat, 0.5),
    p99: percentile(lat, 0.99),
    processP99: percentile(proc, 0.99),
    processP50: percentile(proc, 0.5),
    fps: s.fps,
    frames: s.frames,
    processed: s.processed,
    dropped: s.dropped,
    rssStartMiB: rss[0] / 2 ** 20,
    rssEndMiB: rss[1] / 2 ** 20,
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-bench-stream-'));
  try {
    const video = path.join(dir, 'sample30.mp4');
    const video60 = path.join(dir, 'sample60.mp4');
    await tfcv.writeSampleVideo(video, { frames: FRAMES, fps: 30 });
    await tfcv.writeSampleVideo(video60, { frames: 120, fps: 60 });
    const model = await tfcv.Model.loadSavedModel(SHAPEDET);
    const fmt = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(1));
    const table = (title, rows) => {
      const py = rows[0];
      console.log(`\n${title}`);
      console.log(
        ['', 'frames/s', 'p50 ms', 'p99 ms', 'processed', 'dropped', 'fps vs python', 'p99 vs python'].join('\t'),
      );
      for (const r of rows) {
        if (r.error) {
          console.log(`${r.name}\tn/a: ${r.error}`);
          continue;
        }
        const ratio = py.error ? '' : `${(r.fps / py.fps).toFixed(2)}x`;
        const p99 = py.error ? '' : `${(r.p99 / py.p99).toFixed(2)}x`;
        console.log([r.name, fmt(r.fps), fmt(r.p50), fmt(r.p99), r.processed, r.dropped, ratio, p99].join('\t'));
      }
    };
    console.log(
      `${FRAMES} frames of 256x256 H.264 (30 fps), shapedet (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`,
    );
    const fast = [
      { name: 'python cv2.VideoCapture + TF loop', ...pythonRun(video) },
      { name: 'hand-written ffmpeg pipe + tfcv loop', ...(await handLoop(model, video, 256)) },
      { name: 'tfcv wait (maxInFlight 1)', ...(await tfcvRun(model, video, 'wait')) },
      { name: 'tfcv wait (maxInFlight 2)', ...(await tfcvRun(model, video, 'wait', { maxInFlight: 2 })) },
    ];
    table('as fast as each goes (latency: from the frame being read to its boxes)', fast);
    const live = [
      { name: 'python loop, frames due at 30 fps', ...pythonRun(video, ['--realtime']) },
      { name: 'tfcv latest', ...(await tfcvRun(model, video, 'latest', {}, 'realtime')) },
      { name: 'tfcv drop-oldest', ...(await tfcvRun(model, video, 'drop-oldest', {}, 'realtime')) },
      { name: 'tfcv wait', ...(await tfcvRun(model, video, 'wait', {}, 'realtime')) },
    ];
    table('a real-time 30 fps source (latency: from the frame being due / decoded to its boxes)', live);
    const rows = [...fast, ...live];
    console.log(`\n'latest' on a real-time 60 fps source, model padded to ${PAD_MS} ms (~20 fps), ${SECONDS} s:`);
    const bound = await latencyBound(model, video60);
    const limit = bound.processP99 + 1000 / 60 + 10;
    console.log(
      `  latency p50 ${fmt(bound.p50)} ms, p99 ${fmt(bound.p99)} ms; bound = model p99 ${fmt(bound.processP99)} + 16.7 + 10 = ${fmt(limit)} ms -> ${bound.p99 <= limit ? 'within' : 'OVER'}`,
    );
    console.log(
      `  ${bound.processed} processed, ${bound.dropped} dropped of ${bound.frames}; RSS ${fmt(bound.rssStartMiB)} -> ${fmt(bound.rssEndMiB)} MiB`,
    );
    const pyRealtime = pythonRun(video60, ['--realtime', '--pad-ms', String(PAD_MS)]);
    if (pyRealtime.error) console.log(`  python loop on the same source: n/a: ${pyRealtime.error}`);
    else
      console.log(
        `  python loop on the same source (every frame, no dropping): p50 ${fmt(pyRealtime.p50)} ms, p99 ${fmt(pyRealtime.p99)} ms over ${pyRealtime.processed} frames`,
      );
    model.dispose();
    const file = writeResults('stream', {
      frames: FRAMES,
      rows,
      latencyBound: { ...bound, limit },
      pythonRealtime: pyRealtime,
    });
    console.log(`\nresults: ${path.relative(ROOT, file)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
