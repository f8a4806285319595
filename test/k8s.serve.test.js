// examples/k8s/serve.yaml stays a working use of `tfcv serve`: its args are flags the
// command accepts (run for real, with the model path and port swapped for local ones), its
// probes answer as Kubernetes expects, and the grace period covers preStop and the drain.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { addVersion, tempBase, startServe } = require('./serving_helpers');

describe('examples/k8s/serve.yaml', function () {
  this.timeout(120_000);
  const [deployment, service] = YAML.parseAllDocuments(
    fs.readFileSync(path.join(__dirname, '..', 'examples', 'k8s', 'serve.yaml'), 'utf8'),
  ).map((d) => d.toJS());
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const flag = (name) => container.args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

  it('a grace period covering preStop and the drain; probes on the v2 health endpoints; a Service', () => {
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    assert.ok(pod.terminationGracePeriodSeconds >= preStop + Number(flag('drain_timeout_seconds')) + 5);
    assert.equal(container.readinessProbe.httpGet.path, '/v2/health/ready');
    assert.equal(container.livenessProbe.httpGet.path, '/v2/health/live');
    assert.equal(container.ports[0].containerPort, Number(flag('rest_api_port')));
    assert.equal(service.spec.selector.app, deployment.spec.selector.matchLabels.app);
    assert.deepEqual(container.command, ['npx', 'tfcv', 'serve']);
  });

  it("runs with the manifest's args; the probes answer 200 once ready", async () => {
    const base = tempBase();
    addVersion(path.join(base, 'cnn'), 1, 'cnn_keras');
    fs.writeFileSync(
      path.join(base, 'models.config'),
      `model_config_list { config { name: "cnn" base_path: "${base}/cnn" } }`,
    );
    const args = container.args
      .filter((a) => !a.startsWith('--rest_api_port='))
      .map((a) => (a.startsWith('--model_config_file=') ? `--model_config_file=${base}/models.config` : a));
    const server = await startServe(args);
    try {
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        const r = await fetch(`http://127.0.0.1:${server.port}${probe.httpGet.path}`);
        assert.equal(r.status, 200, probe.httpGet.path);
      }
    } finally {
      const { code } = await server.stop();
      assert.equal(code, 0);
    }
  });
});
