// Live streams (lib/stream): the ffmpeg video source against cv2.VideoCapture's frames,
// the flow policies (wait: every frame in order; latest / drop-oldest: bounded, counted
// drops), detections per frame equal to the model on that frame alone, several sources
// through one batcher, typed errors for every way a source fails with the iterator ending
// cleanly, no process or descriptor left after 100 open / close cycles, the sinks, and
// `tfcv watch`'s server. Videos are the committed 12-frame sample or made at test time.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const { Readable } = require('node:stream');
const { tfcv, collect, throwsTyped } = require('./helpers');
const { Model, ArgumentError, StreamError, openVideo, streamPipeline, detector, inspector, judgePart } = tfcv;
const { decodeImage } = require('../dist/evaluate/evaluate_detection');
const { startWatchServer } = require('../dist/stream/watch_server');
const { runCli } = require('../dist/cli/run_cli');

const FIXTURES = path.join(__dirname, 'fixtures');
const SAMPLE = path.join(FIXTURES, 'stream/sample.mp4');
const SHAPEDET = path.join(FIXTURES, 'models/shapedet');
const SEGNET = path.join(FIXTURES, 'models/segnet');
const OUTPUTS = {
  boxes: 'detection_boxes',
  scores: 'detection_scores',
  classes: 'detection_classes',
  format: 'yxyx',
  normalized: true,
};
const tick = (ms) => new Promise((r) => setTimeout(r, ms));

async function rejectsStream(promise, reason) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof StreamError, `expected a StreamError, got ${e?.stack ?? e}`);
    assert.equal(e.code, 'ERR_TFCV_STREAM');
    assert.equal(e.reason, reason, e.message);
    return true;
  });
}

async function drain(source) {
  const frames = [];
  for await (const f of source) {
    frames.push({ index: f.index, pts: f.pts, rows: f.mat.rows, cols: f.mat.cols });
    f.mat.dispose();
  }
  return frames;
}

const children = () => {
  try {
    return execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/ ps$/.test(l)); // the ps run by this check
  } catch {
    return []; // ps exits 1 when there is no child
  }
};
const fds = () => fs.readdirSync('/proc/self/fd').length;

async function closedPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

describe('stream: video source', function () {
  let tmp;
  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-stream-'));
  });
  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('decodes every frame bit-exactly as cv2.VideoCapture does, with the same timestamps', async function () {
    const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'stream/sample.cv2.json'), 'utf8'));
    const ref = zlib.inflateSync(fs.readFileSync(path.join(FIXTURES, 'stream/sample.cv2.bgr.zz')));
    const size = meta.width * meta.height * 3;
    let i = 0;
    for await (const f of openVideo(SAMPLE)) {
      assert.equal(f.index, i);
      assert.equal(f.mat.rows, meta.height);
      assert.equal(f.mat.cols, meta.width);
      assert.equal(f.mat.channels, 3);
      assert.ok(Math.abs(f.pts - meta.pts[i]) < 1e-5, `pts ${f.pts} vs ${meta.pts[i]}`);
      assert.ok(
        Buffer.from(f.mat.data).equals(ref.subarray(i * size, (i + 1) * size)),
        `frame ${i} differs from cv2's`,
      );
      assert.ok(f.capturedAt > Date.now() - 60000 && f.receivedAt <= performance.now());
      f.mat.dispose();
      i++;
    }
    assert.equal(i, meta.frames);
  });

  it('rgb frames are the bgr frames with the channels swapped; width/height scale', async function () {
    const bgr = [];
    for await (const f of openVideo(SAMPLE)) bgr.push(Buffer.from(f.mat.data)) && f.mat.dispose();
    let i = 0;
    for await (const f of openVideo(SAMPLE, { pixelFormat: 'rgb' })) {
      const d = f.mat.data;
      const b = bgr[i++];
      for (let k = 0; k < d.length; k += 3) {
        if (d[k] !== b[k + 2] || d[k + 2] !== b[k]) assert.fail(`frame ${i - 1} pixel ${k / 3}: not swapped`);
      }
      f.mat.dispose();
    }
    assert.equal(i, bgr.length);
    const scaled = await drain(openVideo(SAMPLE, { width: 32, height: 24 }));
    assert.deepEqual([scaled.length, scaled[0].rows, scaled[0].cols], [12, 24, 32]);
  });

  it('reads a raw pipe (a Readable of an encoded stream) and a file written by VideoWriter', async function () {
    const file = path.join(tmp, 'colors.mp4');
    const writer = new tfcv.VideoWriter(file, { width: 32, height: 32, fps: 10 });
    const colors = [
      [200, 30, 30],
      [30, 200, 30],
      [30, 30, 200],
    ];
    for (const c of colors) {
      const m = tfcv.Mat.zeros(32, 32, { channels: 3 }).setTo(c);
      await writer.write(m);
      m.dispose();
    }
    await writer.close();
    const means = [];
    for await (const f of openVideo(Readable.from([fs.readFileSync(file)]), { inputFormat: 'mp4' })) {
      means.push(f.mat.meanSync().slice(0, 3));
      f.mat.dispose();
    }
    assert.equal(means.length, 3);
    means.forEach((m, i) => m.forEach((x, c) => assert.ok(Math.abs(x - colors[i][c]) < 6, `${m} vs ${colors[i]}`)));
  });

  it('realtime pacing reads a file at its frame rate; fast does not wait', async function () {
    const t0 = performance.now();
    const frames = await drain(openVideo(SAMPLE, { pacing: 'realtime' }));
    const realtime = performance.now() - t0;
    assert.equal(frames.length, 12);
    // 12 frames at 30 fps: the last one is due 367 ms after the first.
    assert.ok(realtime >= 330, `realtime pacing took ${realtime.toFixed(0)} ms`);
  });

  it('options are checked: unknown keys, reconnect or loop on a file, bad sizes, a missing decoder', function () {
    throwsTyped(() => openVideo(SAMPLE, { fps: 3 }), ArgumentError, /options\.fps: unknown option/);
    throwsTyped(
      () => openVideo(SAMPLE, { reconnect: { retries: 1 } }),
      ArgumentError,
      /only network sources reconnect/,
    );
    throwsTyped(() => openVideo('rtsp://127.0.0.1:1/x', { loop: true }), ArgumentError, /only a file can loop/);
    throwsTyped(() => openVideo(SAMPLE, { width: 10 }), ArgumentError, /give both or neither/);
    throwsTyped(() => openVideo(42), ArgumentError, /source: expected a file path/);
    throwsTyped(() => openVideo(SAMPLE, { pacing: 'slow' }), ArgumentError, /options\.pacing/);
    throwsTyped(
      () => openVideo('rtsp://127.0.0.1:1/x', { reconnect: { tries: 1 } }),
      ArgumentError,
      /reconnect\.tries/,
    );
    throwsTyped(
      () => openVideo(SAMPLE, { ffmpeg: '/nonexistent/ffmpeg' }),
      StreamError,
      /not an executable.*apt-get install ffmpeg/,
    );
    assert.throws(
      () => tfcv.findFfmpeg(undefined, { PATH: '/nonexistent' }),
      (e) => e instanceof StreamError && e.reason === 'decoder-missing' && /TFCV_FFMPEG/.test(e.message),
    );
    const plain = path.join(tmp, 'not-a-program');
    fs.writeFileSync(plain, 'x', { mode: 0o644 });
    assert.throws(
      () => tfcv.findFfmpeg(undefined, { TFCV_FFMPEG: plain, PATH: '' }),
      (e) => e instanceof StreamError && e.message.includes(`TFCV_FFMPEG=${plain} is not an executable`),
    );
    const s = openVideo(SAMPLE);
    s[Symbol.asyncIterator]();
    throwsTyped(() => s[Symbol.asyncIterator](), ArgumentError, /already being iterated/);
  });

  it('a missing file, a missing camera, an unreachable URL, a corrupt file and a cut-off file are typed errors', async function () {
    await collect();
    const liveMats = tfcv.stats().liveMats;
    await rejectsStream(drain(openVideo(path.join(tmp, 'nope.mp4'))), 'not-found');
    await rejectsStream(drain(openVideo('/dev/video99')), 'not-found');
    const port = await closedPort();
    await rejectsStream(drain(openVideo(`http://127.0.0.1:${port}/v.mp4`, { reconnect: false })), 'unreachable');
    await rejectsStream(drain(openVideo(`rtsp://127.0.0.1:${port}/cam`, { reconnect: false })), 'unreachable');
    const junk = path.join(tmp, 'junk.mp4');
    fs.writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    await rejectsStream(drain(openVideo(junk)), 'corrupt');
    // Early EOF: the first half of an MP4 (its index, at the end, is missing).
    const cut = path.join(tmp, 'cut.mp4');
    fs.writeFileSync(cut, fs.readFileSync(SAMPLE).subarray(0, 1700));
    await rejectsStream(drain(openVideo(cut)), 'corrupt');
    await collect(); // frames' pixel views are let go by GC
    assert.equal(tfcv.stats().liveMats, liveMats);
    assert.deepEqual(children(), []);
  });

  it('after an error the iterator is done, and the source says failed', async function () {
    const s = openVideo(path.join(tmp, 'nope.mp4'));
    await rejectsStream(s.next(), 'not-found');
    assert.deepEqual(await s.next(), { done: true, value: undefined });
    assert.equal(s.stats().state, 'failed');
  });

  it('a killed decoder is a typed error; the iterator then ends', async function () {
    const s = openVideo(SAMPLE, { pacing: 'realtime', loop: true });
    const first = await s.next();
    first.value.mat.dispose();
    const pid = s.pid;
    assert.ok(pid > 0);
    process.kill(pid, 'SIGKILL');
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 1000; i++) (await s.next()).value?.mat.dispose();
      })(),
      (e) => e instanceof StreamError && e.reason === 'decoder-exited' && /killed \(SIGKILL\)/.test(e.message),
    );
    assert.equal((await s.next()).done, true);
    assert.equal(s.pid, undefined);
    assert.deepEqual(children(), []);
  });

  it('a network source reconnects by its policy, then fails with the last error', async function () {
    const port = await closedPort();
    const s = openVideo(`http://127.0.0.1:${port}/v.mp4`, { reconnect: { retries: 2, delayMs: 5 } });
    await rejectsStream(drain(s), 'unreachable');
    assert.equal(s.stats().reconnects, 2);
    assert.deepEqual(children(), []);
  });

  it('100 open / close cycles leave no process and no descriptor behind', async function () {
    this.timeout(120000);
    await collect();
    const before = fds();
    const liveMats = tfcv.stats().liveMats;
    const pids = [];
    for (let i = 0; i < 100; i++) {
      const s = openVideo(SAMPLE, { loop: true });
      const next = s.next();
      if (i % 10 === 0) {
        const r = await next; // every tenth reads a frame first
        pids.push(s.pid);
        r.value.mat.dispose();
        await s.close();
      } else {
        await s.close();
        await next;
      }
    }
    assert.equal(fds(), before, 'descriptors open before and after');
    assert.deepEqual(children(), [], 'no child process (or zombie) left');
    for (const pid of pids) assert.ok(!fs.existsSync(`/proc/${pid}`), `decoder ${pid} still exists`);
    await collect(); // frames' pixel views are let go by GC
    assert.equal(tfcv.stats().liveMats, liveMats);
  });
});

describe('stream: pipeline', function () {
  let model;
  before(async function () {
    model = await Model.loadSavedModel(SHAPEDET);
  });
  after(function () {
    model.dispose();
  });

  it("'wait' processes every frame, in order, with nothing dropped", async function () {
    const p = streamPipeline(openVideo(SAMPLE), {
      policy: 'wait',
      maxInFlight: 3,
      process: async (f) => {
        await tick(((f.index * 7) % 5) + 1); // out-of-order completion
        return f.index;
      },
    });
    const seen = [];
    for await (const r of p) {
      assert.equal(r.value, r.frame.index);
      assert.equal(r.source, SAMPLE);
      seen.push(r.frame.index);
    }
    assert.deepEqual(seen, [...Array(12).keys()]);
    const s = p.stats();
    assert.deepEqual([s.frames, s.processed, s.dropped, s.failed], [12, 12, 0, 0]);
    assert.ok(s.latencyMs.p50 > 0 && s.latencyMs.p99 >= s.latencyMs.p50);
  });

  it("'latest' drops older waiting frames under a slow process; every frame is processed or dropped", async function () {
    await collect();
    const liveMats = tfcv.stats().liveMats;
    const p = streamPipeline(openVideo(SAMPLE, { pacing: 'realtime' }), {
      policy: 'latest',
      process: async () => tick(100),
    });
    const seen = [];
    for await (const r of p) seen.push(r.frame.index);
    const s = p.stats();
    assert.ok(s.dropped > 0, `dropped ${s.dropped}`);
    assert.equal(s.processed + s.dropped, 12);
    assert.equal(seen.length, s.processed);
    assert.ok(
      seen.every((x, i) => i === 0 || x > seen[i - 1]),
      `in order: ${seen}`,
    );
    assert.equal(seen[seen.length - 1], 11, 'the newest frame is the last processed');
    await collect(); // frames' pixel views are let go by GC
    assert.equal(tfcv.stats().liveMats, liveMats);
  });

  it("'drop-oldest' keeps a FIFO of `queue` frames", async function () {
    const p = streamPipeline(openVideo(SAMPLE), { policy: 'drop-oldest', queue: 2, process: async () => tick(30) });
    const seen = [];
    for await (const r of p) seen.push(r.frame.index);
    const s = p.stats();
    assert.equal(s.processed + s.dropped, 12);
    assert.ok(s.dropped > 0);
    assert.ok(seen.every((x, i) => i === 0 || x > seen[i - 1]));
    assert.ok(seen.includes(11) && seen.includes(10), 'the last two frames wait in the queue and are processed');
  });

  it('options are checked', function () {
    const s = openVideo(SAMPLE);
    throwsTyped(() => streamPipeline(s, { process: 1 }), ArgumentError, /options\.process/);
    throwsTyped(() => streamPipeline(s, { process: () => 1, policy: 'newest' }), ArgumentError, /options\.policy/);
    throwsTyped(
      () => streamPipeline(s, { process: () => 1, policy: 'wait', queue: 2 }),
      ArgumentError,
      /queues nothing/,
    );
    throwsTyped(() => streamPipeline(s, { process: () => 1, fps: 2 }), ArgumentError, /options\.fps: unknown/);
    throwsTyped(() => streamPipeline([], { process: () => 1 }), ArgumentError, /sources/);
    throwsTyped(() => streamPipeline([s, openVideo(SAMPLE)], { process: () => 1 }), ArgumentError, /same name/);
  });

  it('a process error rejects the iterator and closes the source; onError skip counts it', async function () {
    await collect();
    const liveMats = tfcv.stats().liveMats;
    const p = streamPipeline(openVideo(SAMPLE), {
      process: (f) => {
        if (f.index === 3) throw new Error('boom');
        return f.index;
      },
      policy: 'wait',
    });
    await assert.rejects(
      (async () => {
        for await (const r of p) void r;
      })(),
      /boom/,
    );
    const q = streamPipeline(openVideo(SAMPLE), {
      process: (f) => (f.index % 4 === 0 ? Promise.reject(new Error('x')) : f.index),
      policy: 'wait',
      onError: 'skip',
    });
    let n = 0;
    for await (const r of q) n += r.value >= 0 ? 1 : 0;
    assert.deepEqual([n, q.stats().failed], [9, 3]);
    await collect(); // frames' pixel views are let go by GC
    assert.equal(tfcv.stats().liveMats, liveMats);
    assert.deepEqual(children(), []);
  });

  it('detections of every frame equal the model run on that decoded frame alone', async function () {
    const det = detector(model, {
      outputs: OUTPUTS,
      preprocess: { scale: 1 / 255 },
      classNames: ['circle', 'ellipse', 'square'],
    });
    const spec = det.spec;
    const readOutputs = { ...OUTPUTS, classOffset: 0 };
    let frames = 0;
    let boxes = 0;
    try {
      for await (const r of streamPipeline(openVideo(SAMPLE), { process: det, policy: 'wait' })) {
        const feed = await tfcv.preprocess([r.frame.mat], spec);
        const out = await model.run({ image: feed });
        feed.dispose();
        const alone = decodeImage(
          out,
          readOutputs,
          0,
          { resize: spec.resize, source: { width: 64, height: 64 }, target: { width: 64, height: 64 } },
          { iouThreshold: 0.5, scoreThreshold: 0.3 },
        );
        for (const t of Object.values(out)) t.dispose();
        assert.deepEqual(Array.from(r.value.classes), Array.from(alone.classes), `frame ${r.frame.index} classes`);
        r.value.boxes.forEach((x, k) =>
          assert.ok(Math.abs(x - alone.boxes[k]) < 1e-3, `frame ${r.frame.index} box ${k}`),
        );
        r.value.scores.forEach((x, k) => assert.ok(Math.abs(x - alone.scores[k]) < 1e-5));
        const counted = Object.values(r.value.counts).reduce((a, b) => a + b, 0);
        assert.equal(counted, r.value.classes.length);
        frames++;
        boxes += r.value.classes.length;
      }
    } finally {
      await det.close();
    }
    assert.equal(frames, 12);
    assert.ok(boxes >= 12, `the detector finds the shapes (${boxes} boxes)`);
  });

  it('several sources share one batcher: results tagged by source, frames batched together', async function () {
    const det = detector(model, { outputs: OUTPUTS, preprocess: { scale: 1 / 255 }, batcher: { maxDelayMs: 5 } });
    const sources = ['a', 'b', 'c'].map((name) => openVideo(SAMPLE, { name }));
    const per = { a: [], b: [], c: [] };
    try {
      for await (const r of streamPipeline(sources, { process: det, policy: 'wait', maxInFlight: 2 }))
        per[r.source].push(r.frame.index);
      const b = det.batcher.stats();
      for (const name of ['a', 'b', 'c']) assert.deepEqual(per[name], [...Array(12).keys()]);
      assert.equal(b.images, 36);
      assert.ok(b.batches < 36, `frames of several sources share batches (${b.batches} batches for 36 frames)`);
    } finally {
      await det.close();
    }
  });

  it('stats() and the Prometheus registry carry latency, fps, drops and queue depth per source', async function () {
    const p = streamPipeline(openVideo(SAMPLE, { name: 'cam' }), { process: (f) => f.index, policy: 'wait' });
    for await (const r of p) void r;
    const s = p.stats();
    assert.equal(s.sources.cam.processed, 12);
    assert.equal(s.sources.cam.source.frames, 12);
    assert.equal(s.sources.cam.source.state, 'ended');
    const text = await tfcv.pipelineMetrics(p).metrics();
    assert.match(text, /tfcv_stream_processed_total\{source="cam"\} 12/);
    assert.match(text, /tfcv_stream_dropped_total\{source="cam"\} 0/);
    assert.match(text, /tfcv_stream_latency_p99_seconds\{source="cam"\} [0-9.e-]+/);
    assert.match(text, /tfcv_stream_queue_depth\{source="cam"\} 0/);
  });
});

describe('stream: inspection, drawing, sinks and tfcv watch', function () {
  it('judgePart applies every bound of the rule', function () {
    const rule = { minArea: 100, maxArea: 1000, minCircularity: 0.8, maxMean: 200 };
    assert.deepEqual(judgePart({ area: 500, circularity: 0.9, mean: 100 }, rule), []);
    assert.deepEqual(judgePart({ area: 50, circularity: 0.5, mean: 250 }, rule), [
      'minArea',
      'minCircularity',
      'maxMean',
    ]);
    assert.deepEqual(judgePart({ area: 5000, circularity: 0.9, mean: 100 }, {}), []);
  });

  it('the inspector measures each part of the mask on the frame and judges it', async function () {
    const model = await Model.loadSavedModel(SEGNET);
    const ins = inspector(model, {
      output: 'foreground',
      preprocess: { scale: 1 / 255 },
      rule: { minCircularity: 0.7 },
    });
    try {
      let parts = 0;
      for await (const r of streamPipeline(openVideo(SAMPLE), { process: ins, policy: 'wait' })) {
        for (const part of r.value.parts) {
          parts++;
          assert.ok(part.area >= 20 && part.area <= 64 * 64);
          assert.ok(Math.abs(part.circularity - (4 * Math.PI * part.area) / part.perimeter ** 2) < 1e-9);
          assert.equal(part.pass, part.circularity >= 0.7);
          assert.ok(part.mean >= 0 && part.mean <= 255);
          assert.equal(part.area, tfcv.contourArea(part.contour));
        }
        assert.equal(r.value.counts.pass + r.value.counts.fail, r.value.parts.length);
        tfcv.annotate(r.frame.mat, r.value, { status: 'ok' });
      }
      assert.ok(parts > 0, 'segnet finds parts in the sample');
    } finally {
      await ins.close();
      model.dispose();
    }
  });

  it('MJPEG and server-sent events reach an HTTP client; a bad request gets 404 / 405 and the server stays up', async function () {
    const model = await Model.loadSavedModel(SHAPEDET);
    const det = detector(model, { outputs: OUTPUTS, preprocess: { scale: 1 / 255 } });
    const p = streamPipeline(openVideo(SAMPLE, { pacing: 'realtime', loop: true }), { process: det });
    const server = await startWatchServer(p, {
      host: '127.0.0.1',
      port: 0,
      title: 'test',
      classNames: ['c', 'e', 's'],
    });
    try {
      const mjpeg = await new Promise((resolve, reject) => {
        http
          .get(server.url + 'stream.mjpg', (res) => {
            let data = Buffer.alloc(0);
            res.on('data', (c) => {
              data = Buffer.concat([data, c]);
              if (data.indexOf('--tfcvframe', 20) > 0) {
                res.destroy();
                resolve({ type: res.headers['content-type'], data });
              }
            });
          })
          .on('error', reject);
      });
      assert.equal(mjpeg.type, 'multipart/x-mixed-replace; boundary=tfcvframe');
      const head = mjpeg.data.subarray(0, 200).toString('latin1');
      assert.match(head, /^--tfcvframe\r\nContent-Type: image\/jpeg\r\nContent-Length: \d+\r\n\r\n\xff\xd8/);
      const events = await new Promise((resolve, reject) => {
        http
          .get(server.url + 'events', (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => {
              text += c;
              if (/event: frame\ndata: .*\n\n/.test(text) && /event: stats\ndata: .*\n\n/.test(text)) {
                res.destroy();
                resolve({ type: res.headers['content-type'], text });
              }
            });
          })
          .on('error', reject);
      });
      assert.equal(events.type, 'text/event-stream');
      const frame = JSON.parse(/event: frame\ndata: (.*)\n/.exec(events.text)[1]);
      assert.ok(Array.isArray(frame.boxes) && typeof frame.latencyMs === 'number' && typeof frame.counts === 'object');
      const page = await fetch(server.url);
      assert.match(await page.text(), /<img id="video" src="\/stream.mjpg"/);
      assert.equal((await fetch(server.url + 'nope')).status, 404);
      assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
      const metrics = await (await fetch(server.url + 'metrics')).text();
      assert.match(metrics, /tfcv_stream_processed_total\{source=".*sample.mp4"\} \d+/);
    } finally {
      await server.stop();
      await det.close();
      model.dispose();
    }
    assert.deepEqual(children(), []);
  });

  it('tfcv watch runs a model on a file and reports; --make-sample writes the sample video', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-watch-'));
    const out = [];
    const io = { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => out.push(s) }, cwd: dir };
    try {
      assert.equal(await runCli(['watch', '--make-sample', 'sample.mp4'], io), 0);
      assert.match(out.join(''), /wrote .*sample.mp4: 90 frames/);
      const code = await runCli(
        [
          'watch',
          'sample.mp4',
          '--model',
          SHAPEDET,
          '--port',
          '0',
          '--pacing',
          'fast',
          '--policy',
          'wait',
          '--frames',
          '20',
          '--save',
          'out.mp4',
        ],
        io,
      );
      assert.equal(code, 0, out.join(''));
      assert.match(out.join(''), /tfcv watch: http:\/\/127\.0\.0\.1:\d+\//);
      assert.match(out.join(''), /20 frames processed, 0 dropped/);
      assert.equal((await drain(openVideo(path.join(dir, 'out.mp4')))).length, 20);
      assert.equal(await runCli(['watch', 'sample.mp4'], io), 2);
      assert.equal(await runCli(['watch', 'nope.mp4', '--model', SHAPEDET, '--port', '0'], io), 1);
      assert.match(out.join(''), /no such file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
