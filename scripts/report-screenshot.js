#!/usr/bin/env node
// The report checked in a real browser: runs `tfcv evaluate --coco` (the bundled shapedet on
// the committed shapes set) with --report and --plots, and, with --masks, a segmentation run
// of the bundled segnet on the committed images; then takes a full-page screenshot of each
// report with Debian's headless Chromium (apt-get install -y chromium). Look at the PNGs.
// Not part of the test suite (a browser start takes seconds).
//
//   node scripts/report-screenshot.js [--out DIR] [--chromium /usr/bin/chromium] [--height 2600]
// Writes DIR/detection/{report/,plots/,results.json,results.per-image.csv} and
// DIR/detection-report.png (default DIR: ./report-screenshot).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');
const { runCli } = require('../dist/cli/run_cli');

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'report-screenshot' },
    chromium: { type: 'string', default: 'chromium' },
    height: { type: 'string', default: '2600' },
  },
});
const ROOT = path.resolve(__dirname, '..');
const OUT = path.resolve(args.out);
const SET = path.join(ROOT, 'test/fixtures/detection/shapes');
const MODEL = path.join(ROOT, 'test/fixtures/models/shapedet');

async function cli(argv) {
  const stream = (s) => ({ write: (x) => (s.write(String(x)), true), isTTY: false, columns: 100 });
  const code = await runCli(argv, { stdout: stream(process.stdout), stderr: stream(process.stderr), cwd: ROOT });
  if (code !== 0) throw new Error(`tfcv ${argv.join(' ')} exited ${code}`);
}

/** One screenshot; Chromium gets its own profile folder and at most 60 s. */
function screenshot(html, png) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-chromium-'));
  try {
    const r = spawnSync(
      args.chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--screenshot=${png}`,
        `--window-size=1280,${Number(args.height)}`,
        `file://${html}`,
      ],
      { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' },
    );
    if (r.error) throw new Error(`${args.chromium}: ${r.error.message} (apt-get install -y chromium)`);
    if (!fs.existsSync(png)) throw new Error(`no screenshot from ${args.chromium}: ${r.stderr.trim().slice(-400)}`);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function main() {
  const det = path.join(OUT, 'detection');
  fs.rmSync(det, { recursive: true, force: true });
  fs.mkdirSync(det, { recursive: true });
  const reference = JSON.parse(fs.readFileSync(path.join(SET, 'reference.json'), 'utf8'));
  await cli([
    'evaluate',
    '--model',
    MODEL,
    '--images',
    path.join(SET, 'images'),
    '--coco',
    path.join(SET, 'annotations.json'),
    '--boxes',
    'detection_boxes',
    '--scores',
    'detection_scores',
    '--classes',
    'detection_classes',
    '--score-threshold',
    String(reference.nms.scoreThreshold),
    '--nms-iou',
    String(reference.nms.iouThreshold),
    '--no-progress',
    '--json',
    path.join(det, 'results.json'),
    '--report',
    path.join(det, 'report'),
    '--plots',
    path.join(det, 'plots'),
  ]);
  const png = path.join(OUT, 'detection-report.png');
  screenshot(path.join(det, 'report/index.html'), png);
  console.log(`screenshot: ${png} (${fs.statSync(png).size} bytes); plots in ${path.join(det, 'plots')}`);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
