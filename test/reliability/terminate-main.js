// Child process of test/worker-termination.test.js: for each requested op, starts a worker
// that loops on it and terminates it mid-run (random delays, several rounds), then checks
// that every native object the workers made was released. Prints one JSON line; the
// process exits non-zero (or dies with SIGABRT, which the test reports) on any failure.
'use strict';
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const tfcv = require('../../dist');

const [ops, rounds] = [process.argv[2].split(','), Number(process.argv[3] || 3)];

function runOnce(op, delayMs) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'terminate-worker.js'), { workerData: { op } });
    worker.once('error', reject);
    worker.once('message', (m) => {
      if (m !== 'ready') return reject(new Error(`${op}: ${JSON.stringify(m)}`));
      setTimeout(() => worker.terminate().then(resolve, reject), delayMs);
    });
  });
}

async function main() {
  const before = tfcv.stats();
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const done = [];
  for (const op of ops) {
    for (let r = 0; r < rounds; r++) await runOnce(op, 5 + Math.floor(random() * 150));
    done.push(op);
  }
  for (let i = 0; i < 5; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  const after = tfcv.stats();
  process.stdout.write(JSON.stringify({ done, before, after }) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack) + '\n');
  process.exit(1);
});
