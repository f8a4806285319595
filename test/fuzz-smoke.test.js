// The fixed-seed fuzz smoke of CI (`npm run fuzz` with small counts, at most ~2 minutes):
// mutated images through decode / preprocess, corrupt and special model files through the
// loaders, and random-argument calls of every exported function and method, each batch in a
// child process. Every case must end in a result or a typed tfcv error: no crash, no hang,
// no untyped error, no partial image. A failure names the case and its reproducer file.
// The issue-21 targets (batcher options and requests, scopes around concurrent batches, bad
// HTTP requests to examples/server) also check for leaks and for wrong answers.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

describe('fuzz smoke (fixed seed)', function () {
  this.timeout(240000);
  it('decoders, loaders and random API calls: 0 crashes, 0 hangs, 0 untyped errors, 0 partial images', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-fuzz-smoke-'));
    const json = path.join(out, 'summary.json');
    const r = spawnSync(
      process.execPath,
      [
        path.join(__dirname, '../scripts/fuzz/run.js'),
        '--seed',
        '1',
        '--decoder',
        '4000',
        '--loader',
        '60',
        '--api',
        '4000',
        '--batch',
        '1000',
        '--seconds',
        '100',
        '--out',
        out,
        '--json',
        json,
        '--quiet',
      ],
      { encoding: 'utf8', timeout: 230000 },
    );
    assert.equal(r.signal, null, r.stderr);
    const summary = JSON.parse(fs.readFileSync(json, 'utf8'));
    const failures = summary.failures.map(
      (f) => `${f.outcome} ${f.kind} #${f.index} ${f.label} -> ${f.detail.slice(0, 200)} (${f.reproducer})`,
    );
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // The smoke really ran: every kind produced outcomes, most of them typed errors.
    for (const kind of ['decoder', 'loader', 'api']) assert.ok(summary.kinds[kind].cases > 0, `${kind}: no cases ran`);
    assert.ok(summary.kinds.decoder.typed > 100 && summary.kinds.api.typed > 100, JSON.stringify(summary.kinds));
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('batcher options, scopes with concurrent batches, bad HTTP requests: 0 crashes, hangs, untyped, leaks, wrong', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-fuzz-smoke21-'));
    const json = path.join(out, 'summary.json');
    const counts = [
      '--decoder',
      '0',
      '--loader',
      '0',
      '--api',
      '0',
      '--batcher',
      '300',
      '--scopes',
      '30',
      '--http',
      '200',
    ];
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, '../scripts/fuzz/run.js'), '--seed', '1', ...counts, '--batch', '1000'].concat([
        '--seconds',
        '90',
        '--out',
        out,
        '--json',
        json,
        '--quiet',
      ]),
      { encoding: 'utf8', timeout: 200000 },
    );
    assert.equal(r.signal, null, r.stderr);
    const summary = JSON.parse(fs.readFileSync(json, 'utf8'));
    const failures = summary.failures.map(
      (f) => `${f.outcome} ${f.kind} #${f.index} ${f.label} -> ${f.detail.slice(0, 200)} (${f.reproducer})`,
    );
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const k = summary.kinds;
    assert.ok(k.batcher.cases === 300 && k.scopes.cases === 30 && k.http.cases === 200, JSON.stringify(k));
    // Both outcomes happen: options refused with typed errors, and batches that ran.
    assert.ok(k.batcher.typed > 100 && k.batcher.ok > 0, JSON.stringify(k.batcher));
    assert.equal(k.scopes.ok, 30);
    assert.ok(k.http.typed > 50 && k.http.ok > 5, JSON.stringify(k.http));
    fs.rmSync(out, { recursive: true, force: true });
  });
});
