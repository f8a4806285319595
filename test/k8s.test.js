// examples/k8s: the manifests parse and hold what the server and the evaluation need
// (probes on the server's endpoints, a grace period covering preStop + drain, an Indexed
// Job whose JOB_COMPLETIONS matches its completions), and the Indexed Job simulated with N
// processes (the variables Kubernetes sets, the args as written) merges to one run's result.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const YAML = require('yaml');
const { runCli } = require('../dist/cli/run_cli');

const ROOT = path.join(__dirname, '..');
const K8S = path.join(ROOT, 'examples/k8s');
const REF = path.join(__dirname, 'fixtures/reference/metrics');
const SEGNET = path.join(__dirname, 'fixtures/models/segnet');

function docs(file) {
  const all = YAML.parseAllDocuments(fs.readFileSync(path.join(K8S, file), 'utf8'));
  for (const d of all) assert.deepEqual(d.errors, [], `${file}: ${d.errors.join('; ')}`);
  return all.map((d) => d.toJS());
}

/** `--name=value` args of a container as a map. */
function flags(args) {
  const out = {};
  for (const a of args) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) out[m[1]] = m[2] ?? true;
  }
  return out;
}

describe('examples/k8s', () => {
  it('server.yaml: a Deployment with probes on /readyz and /healthz, and a grace period covering preStop + drain; a Service', () => {
    const [deployment, service] = docs('server.yaml');
    assert.equal(deployment.kind, 'Deployment');
    assert.equal(service.kind, 'Service');
    const pod = deployment.spec.template.spec;
    const c = pod.containers[0];
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.readinessProbe.httpGet.port, 'http');
    assert.equal(c.ports.find((p) => p.name === 'http').containerPort, Number(flags(c.args).port));
    const preStopSeconds = Number(c.lifecycle.preStop.exec.command[1]);
    assert.equal(c.lifecycle.preStop.exec.command[0], 'sleep');
    const drainSeconds = Number(flags(c.args)['drain-timeout-ms']) / 1000;
    assert.ok(drainSeconds > 0, 'the drain timeout is set explicitly');
    assert.ok(
      pod.terminationGracePeriodSeconds >= preStopSeconds + drainSeconds + 1,
      `grace ${pod.terminationGracePeriodSeconds} s < preStop ${preStopSeconds} s + drain ${drainSeconds} s`,
    );
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    assert.equal(service.spec.ports[0].targetPort, 'http');
    // The server accepts every flag the manifest passes.
    const known = fs.readFileSync(path.join(ROOT, 'examples/server/server.js'), 'utf8');
    for (const f of Object.keys(flags(c.args)))
      assert.match(known, new RegExp(`(?:'${f}'|\\b${f}): \\{ type:`), `server.js has --${f}`);
  });

  it('evaluate-job.yaml: an Indexed Job with --shard auto and JOB_COMPLETIONS = completions; merge-job.yaml merges the shards', () => {
    const [job] = docs('evaluate-job.yaml');
    assert.equal(job.kind, 'Job');
    assert.equal(job.spec.completionMode, 'Indexed');
    const c = job.spec.template.spec.containers[0];
    assert.equal(flags(c.args).shard, 'auto');
    const env = Object.fromEntries(c.env.map((e) => [e.name, e]));
    assert.equal(Number(env.JOB_COMPLETIONS.value), job.spec.completions);
    assert.equal(
      env.JOB_COMPLETION_INDEX.valueFrom.fieldRef.fieldPath,
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
    assert.match(flags(c.args).json, /\$\(JOB_COMPLETION_INDEX\)/, 'each pod writes its own file');
    const [merge] = docs('merge-job.yaml');
    assert.equal(merge.kind, 'Job');
    assert.match(merge.spec.template.spec.containers[0].args[0], /tfcv merge \/results\/shard-\*\.json --json /);
  });

  it('the Indexed Job simulated with N processes merges to the result of one run', async function () {
    this.timeout(120000);
    const [job] = docs('evaluate-job.yaml');
    const c = job.spec.template.spec.containers[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcv-k8s-'));
    const n = 3; // the manifest's 8 would be 8 processes on a 2-core machine; the mechanism is the same
    // The manifest's args with its paths mapped onto the repository's fixtures.
    const mapPath = (a) =>
      a
        .replace('/app/model', SEGNET)
        .replace('/data/images', path.join(REF, 'images'))
        .replace('/data/masks', path.join(REF, 'masks'))
        .replace('/results', dir);
    const argsFor = (index) => c.args.map((a) => mapPath(a).replace('$(JOB_COMPLETION_INDEX)', String(index)));
    const cli = path.join(ROOT, 'dist/cli/tfcv.js');
    const runs = Array.from(
      { length: n },
      (_, index) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [cli, ...argsFor(index)], {
            env: {
              ...process.env,
              JOB_COMPLETION_INDEX: String(index),
              JOB_COMPLETIONS: String(n),
              TF_CPP_MIN_LOG_LEVEL: '2',
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          child.on('exit', (code) =>
            code === 0 ? resolve(out) : reject(new Error(`pod ${index} exited ${code}: ${out}`)),
          );
        }),
    );
    const outputs = await Promise.all(runs);
    outputs.forEach((out, i) => assert.match(out, new RegExp(`\\(shard ${i + 1}/${n} of 24 images\\)`)));
    // merge-job.yaml's command, its glob expanded as sh would.
    const shards = fs
      .readdirSync(dir)
      .filter((f) => /^shard-\d+\.json$/.test(f))
      .sort()
      .map((f) => path.join(dir, f));
    assert.equal(shards.length, n);
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: ROOT };
    assert.equal(await runCli(['merge', ...shards, '--json', path.join(dir, 'merged.json')], io), 0);
    const single = path.join(dir, 'single.json');
    const oneRun = c.args.map(mapPath).filter((a) => !a.startsWith('--shard') && !a.startsWith('--json'));
    assert.equal(await runCli([...oneRun, '--json', single], io), 0);
    const merged = JSON.parse(fs.readFileSync(path.join(dir, 'merged.json'), 'utf8'));
    const whole = JSON.parse(fs.readFileSync(single, 'utf8'));
    assert.deepEqual(
      merged.shards,
      [1, 2, 3].map((index) => ({ index, count: n })),
    );
    assert.deepEqual(Object.keys(merged.states).sort(), Object.keys(whole.states).sort());
    for (const name of Object.keys(whole.states))
      assert.deepEqual(merged.states[name], whole.states[name], `${name}: merged states equal one run`);
    for (const name of Object.keys(whole.results))
      assert.deepEqual(merged.results[name], whole.results[name], `${name}: merged result equals one run`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--shard auto without the variables is a usage error that names them', async () => {
    const err = [];
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s) => (err.push(s), true) },
      cwd: ROOT,
      env: { JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '3' },
    };
    const args = [
      'evaluate',
      '--model',
      SEGNET,
      '--images',
      path.join(REF, 'images'),
      '--masks',
      path.join(REF, 'masks'),
      '--shard',
      'auto',
      '--no-progress',
    ];
    assert.equal(await runCli(args, io), 2);
    assert.match(err.join(''), /JOB_COMPLETION_INDEX 3 is not below JOB_COMPLETIONS 3/);
    err.length = 0;
    assert.equal(await runCli(args, { ...io, env: {} }), 2);
    assert.match(err.join(''), /'auto' reads JOB_COMPLETION_INDEX/);
  });
});
