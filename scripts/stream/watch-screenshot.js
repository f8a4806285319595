// Checks `tfcv watch` in a real browser: makes the sample video, starts `tfcv watch` on it
// (looping, the bundled shapedet), lets headless Chromium (Debian's `chromium`) load the
// live page and take a screenshot, then stops the server. Prints the PNG's path; look at it:
// the boxes must be visible on the stream, the numbers filled in.
//   node scripts/stream/watch-screenshot.js [out.png]
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const out = path.resolve(process.argv[2] || path.join(root, 'bench/results/watch-screenshot.png'));
const cli = path.join(root, 'dist/cli/tfcv.js');
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(
  (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0,
);
if (!chromium) {
  console.error('no chromium on PATH (Debian: apt-get install chromium)');
  process.exit(1);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-shot-'));
  const video = path.join(dir, 'sample.mp4');
  const made = spawnSync(process.execPath, [cli, 'watch', '--make-sample', video], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`--make-sample failed: ${made.stderr}`);
  const watch = spawn(
    process.execPath,
    [
      cli,
      'watch',
      video,
      '--model',
      path.join(root, 'test/fixtures/models/shapedet'),
      '--class-names',
      'circle,ellipse,square',
      '--loop',
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = await new Promise((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`tfcv watch printed no URL in 60 s: ${text}`)), 60000);
      watch.stdout.on('data', (c) => {
        text += c;
        const m = /(http:\/\/\S+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      watch.on('exit', (code) => reject(new Error(`tfcv watch exited (${code}): ${text}`)));
    });
    await new Promise((r) => setTimeout(r, 2000)); // frames flowing, stats filled
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const shot = spawnSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--window-size=900,580',
        '--timeout=8000',
        `--screenshot=${out}`,
        url,
      ],
      { encoding: 'utf8', timeout: 90000 },
    );
    if (shot.status !== 0 || !fs.existsSync(out))
      throw new Error(`chromium failed (${shot.status}): ${shot.stderr.slice(-500)}`);
    const stats = await (await fetch(url + 'stats')).json();
    console.log(`screenshot: ${out}`);
    console.log(
      `at that time: ${stats.processed} frames processed, ${stats.dropped} dropped, fps ${stats.fps.toFixed(1)}, latency p50 ${stats.recentLatencyMs.p50.toFixed(1)} ms p99 ${stats.recentLatencyMs.p99.toFixed(1)} ms`,
    );
  } finally {
    watch.kill('SIGINT');
    await new Promise((r) => (watch.exitCode === null ? watch.on('exit', r) : r()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
