// Hot reload under load (scripts/serving_swap_load.js, small): versions replaced while
// concurrent clients send requests — no request fails, every answer comes from a version
// that was ready, the replaced versions are disposed, and RSS stays within a bound.
'use strict';
const assert = require('node:assert/strict');
const { run } = require('../scripts/serving_swap_load');

describe('serving: hot reload under load', function () {
  this.timeout(300_000);
  it('swaps versions 6 times under 6 concurrent clients: 0 failed, answers only from ready versions', async () => {
    const r = await run({ swaps: 6, clients: 6, steadyMs: 1000 });
    assert.equal(r.failed, 0, r.failures.join('\n'));
    assert.equal(r.answersFromNotReadyVersions, 0);
    assert.ok(r.requests > 50, `only ${r.requests} requests ran`);
    assert.ok(r.versionsAnswering >= 3, `answers came from ${r.versionsAnswering} versions`);
    assert.equal(r.disposed, 6);
    assert.deepEqual(r.loadedAtEnd, [7]);
    // Bound: each of these small versions is well under 20 MB resident; 6 swaps that kept
    // every old version would grow RSS by far more than the bound below allows on top.
    assert.ok(r.rssGrowthMB < 120, `RSS grew ${r.rssGrowthMB.toFixed(1)} MB over 6 swaps`);
  });
});
