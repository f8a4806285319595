#!/usr/bin/env node
// Memory soak: the evaluation loop of a long-running job (decode -> preprocess -> segnet run
// -> metrics, some objects disposed, some left to the garbage collector) for --minutes
// after a warm-up, sampling RSS, the V8 heap and tfcv.stats() every --sample-seconds. It
// prints the RSS slope (least squares over the samples after warm-up, MB/min) and how the
// growth is distributed over time (first vs last third), so a leak (steady slope) can be told
// from allocator warm-up (a slope that flattens). Exits 1 when the slope is over --max-slope.
//
//   node --expose-gc scripts/soak.js --minutes 30 [--warmup-minutes 2] [--json out.json]
//   MALLOC_ARENA_MAX=2 node --expose-gc scripts/soak.js --minutes 10   (glibc arenas capped)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '15' },
    'max-slope': { type: 'string', default: '0.5' },
    json: { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const warmupMinutes = Number(args['warmup-minutes']);
const sampleSeconds = Number(args['sample-seconds']);
const maxSlope = Number(args['max-slope']);
for (const [k, v] of Object.entries({ minutes, warmupMinutes, sampleSeconds, maxSlope })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${k}: expected a number >= 0`);
}

const root = path.resolve(__dirname, '..');
const tfcv = require(root);
const fixtures = path.join(root, 'test/fixtures');
const refDir = path.join(fixtures, 'reference/metrics');
const images = fs
  .readdirSync(path.join(refDir, 'images'))
  .sort()
  .map((f) => fs.readFileSync(path.join(refDir, 'images', f)));
const masks = fs
  .readdirSync(path.join(refDir, 'masks'))
  .sort()
  .map((f) => fs.readFileSync(path.join(refDir, 'masks', f)));
const photo = fs.readFileSync(path.join(fixtures, 'images/photo_640x480.jpg'));

const MB = 1024 * 1024;
const rssMb = () => process.memoryUsage().rss / MB;

async function iteration(model, metrics, i) {
  const batch = 4;
  const picked = Array.from({ length: batch }, (_, k) => (i * batch + k) % images.length);
  // Decode: some Mats disposed, some left to GC.
  const decoded = await Promise.all(picked.map((p) => tfcv.Mat.decode(images[p])));
  const truth = await Promise.all(picked.map((p) => tfcv.Mat.decode(masks[p], { flags: 'grayscale' })));
  const input = await tfcv.preprocess(i % 3 === 0 ? [photo, ...decoded.slice(1)] : decoded, {
    width: 64,
    height: 64,
    dtype: 'float32',
    scale: 1 / 255,
  });
  const out = await model.run({ image: input });
  const probabilities = out.foreground;
  // Truth masks are 0/255: class ids 0/1 by a threshold, at the model's size.
  const resized = await Promise.all(
    truth.map(async (m) =>
      (await m.resize({ width: 64, height: 64 }, { interpolation: 'nearest' })).thresholdSync(127, 1, {
        inPlace: true,
      }),
    ),
  );
  for (const m of metrics) await m.update(m.usesTruth ? resized : null, probabilities);
  if (i % 2 === 0) {
    for (const m of decoded) m.dispose();
    input.dispose();
    for (const t of Object.values(out)) t.dispose();
  } // else: left to the garbage collector
  for (const m of truth) m.dispose();
  for (const m of resized) m.dispose();
  if (i % 500 === 499) for (const m of metrics) m.reset();
}

function slope(samples) {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.minute, 0) / n;
  const my = samples.reduce((a, s) => a + s.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.minute - mx) * (s.rssMb - my);
    den += (s.minute - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main() {
  const model = await tfcv.loadSavedModel(path.join(fixtures, 'models/segnet'));
  const metrics = [
    new tfcv.MeanIoU(2, { threshold: 0.5 }),
    new tfcv.Dice(2, { threshold: 0.5 }),
    new tfcv.Circularity({ threshold: 0.5 }),
  ];
  const start = Date.now();
  const warmupEnd = start + warmupMinutes * 60000;
  const end = warmupEnd + minutes * 60000;
  const samples = [];
  let nextSample = warmupEnd;
  let i = 0;
  let warmIterations = 0;
  let rssAtWarm = null;
  while (Date.now() < end) {
    await iteration(model, metrics, i++);
    const now = Date.now();
    if (now >= nextSample) {
      if (rssAtWarm === null) {
        rssAtWarm = rssMb();
        warmIterations = i;
      }
      const s = tfcv.stats();
      const sample = {
        minute: (now - warmupEnd) / 60000,
        iterations: i,
        rssMb: rssMb(),
        heapUsedMb: process.memoryUsage().heapUsed / MB,
        externalMb: process.memoryUsage().external / MB,
        liveTensors: s.liveTensors,
        liveMats: s.liveMats,
        externalBytes: s.externalBytes,
      };
      samples.push(sample);
      process.stderr.write(
        `[soak] ${sample.minute.toFixed(1)} min  ${i} iterations  rss ${sample.rssMb.toFixed(1)} MB  heap ${sample.heapUsedMb.toFixed(1)} MB  live tensors ${s.liveTensors} mats ${s.liveMats}\n`,
      );
      nextSample = now + sampleSeconds * 1000;
    }
  }
  model.dispose();
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const thirds = (k) => samples.filter((s) => s.minute >= (k * minutes) / 3 && s.minute <= ((k + 1) * minutes) / 3);
  const result = {
    minutes,
    warmupMinutes,
    iterations: i,
    iterationsAfterWarmup: i - warmIterations,
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? null,
    rssAtWarmupMb: rssAtWarm,
    rssEndMb: samples.length ? samples[samples.length - 1].rssMb : null,
    slopeMbPerMin: slope(samples),
    slopeFirstThirdMbPerMin: slope(thirds(0)),
    slopeLastThirdMbPerMin: slope(thirds(2)),
    finalStats: tfcv.stats(),
    samples,
  };
  const summary = { ...result, samples: undefined };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2) + '\n');
  process.exitCode = result.slopeMbPerMin > maxSlope ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack) + '\n');
  process.exit(2);
});
