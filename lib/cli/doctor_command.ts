// `tfcv doctor`: what was found where — the binary (path, prebuilt or source), libtensorflow
// (directory, where it came from, whether its files are whole), OpenCV (static or the
// system's, version), glibc and Node-API. The addon is loaded in a child process that reports
// what it really mapped (/proc/self/maps): a broken install — a library that does not load,
// or one so damaged that loading it kills the process (SIGBUS) — is described, never
// crashed on, and the damaged file is named. It runs without the addon loading here.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describeOneDnn, oneDnn } from '../onednn';
import { allocatorAdvice } from './allocator_advice';
import { CliError } from './cli_error';
import { CliIo } from './io';
import { packageRoot } from './setup_command';

interface Choice {
  kind: string;
  file?: string;
  libtensorflowDir?: string;
  packageName?: string;
  reason?: string;
  fix?: string;
}

interface Probe {
  versions: { tensorflow: string; opencv: string };
  tensorflowFiles: string[];
  opencvFiles: string[];
}

/**
 * Loads the addon in a child and returns what it mapped, or { error } with the child's words
 * or the signal that killed it.
 */
function probe(): Probe | { error: string } {
  const script = `
    const fs = require('node:fs');
    const path = require('node:path');
    const { native } = require(${JSON.stringify(path.join(packageRoot, 'dist/binding.js'))});
    const versions = native.versions();
    const maps = fs.readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.includes('/')).map((l) => l.slice(l.indexOf('/')));
    const pick = (re) => [...new Set(maps.filter((f) => re.test(path.basename(f))))];
    process.stdout.write(JSON.stringify({ versions, tensorflowFiles: pick(/^libtensorflow(_cc)?\\.so/), opencvFiles: pick(/^libopencv_/) }));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120000 });
  if (r.status === 0) {
    try {
      return JSON.parse(r.stdout) as Probe;
    } catch {
      return { error: `unexpected output: ${r.stdout.slice(0, 200)}` };
    }
  }
  if (r.signal) return { error: `the process loading it was killed by ${r.signal}` };
  const lines = (r.stderr || '').split('\n');
  const message = lines.find((l) => /^\w*Error: /.test(l)) ?? lines.filter(Boolean).slice(-2).join(' ');
  return { error: message.replace(/^\w*Error: /, '').trim() || `exit ${r.status}` };
}

export async function doctorCommand(io: CliIo): Promise<number> {
  const out = (label: string, value: string) => io.stdout.write(`${(label + ':').padEnd(15)}${value}\n`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(packageRoot, 'package.json')) as { version: string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveBinary } = require(path.join(packageRoot, 'scripts/resolve-binary.js')) as {
    resolveBinary(root: string): Choice;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { describe } = require(path.join(packageRoot, 'scripts/setup/libtensorflow.js')) as {
    describe(dir: string): { from: string; how: string; version: string | null } | null;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { damage } = require(path.join(packageRoot, 'scripts/setup/repair.js')) as {
    damage(dir: string): { name: string; file: string; problem: string }[];
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { elfProblem } = require(path.join(packageRoot, 'scripts/setup/elf-check.js')) as {
    elfProblem(file: string): string | null;
  };
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  out('tfcv', `${pkg.version} in ${packageRoot}`);
  out('platform', `${process.platform}-${process.arch}, Node ${process.versions.node}`);
  out('glibc', report?.header?.glibcVersionRuntime ?? 'none (not a glibc system)');
  out('Node-API', `${process.versions.napi} (the addon needs 8)`);
  const choice = resolveBinary(packageRoot);
  if (choice.kind === 'none') {
    out('binary', `none: ${choice.reason}`);
    throw new CliError(`no native binary. ${choice.fix ?? 'Run: npx tfcv setup'}`);
  }
  out('binary', `${choice.kind} ${choice.file}${choice.packageName ? ` (${choice.packageName})` : ''}`);
  const lt = choice.libtensorflowDir ?? '';
  let record: { from?: string; how?: string } | null = describe(lt);
  if (!record) {
    try {
      record = JSON.parse(fs.readFileSync(path.join(lt, 'libtensorflow.json'), 'utf8')) as { from: string };
    } catch {
      record = null;
    }
  }
  out(
    'libtensorflow',
    `${lt}${record?.how ? ` (placed from ${record.from}: ${record.how})` : record?.from ? ` (package: ${record.from})` : ''}`,
  );
  const damaged = [
    ...[choice.file ?? '', path.join(path.dirname(choice.file ?? ''), 'tfcv_core.node')]
      .map((file) => ({ file, problem: elfProblem(file) }))
      .filter((d) => d.problem),
    ...(lt ? damage(lt) : []),
  ];
  for (const d of damaged) out('DAMAGED', `${d.file}: ${d.problem}`);
  const probed = probe();
  if ('error' in probed) {
    out('load', `FAILED: ${probed.error}`);
    throw new CliError(
      damaged.length
        ? `${damaged.map((d) => path.basename(d.file)).join(', ')} damaged. Run: npx tfcv setup (re-copies libtensorflow), or reinstall`
        : 'the native addon does not load. Run: npx tfcv setup',
    );
  }
  out(
    'TensorFlow',
    `version ${probed.versions.tensorflow}, loaded from ${probed.tensorflowFiles.join(', ') || '(not found in /proc/self/maps)'}`,
  );
  out(
    'OpenCV',
    `${probed.versions.opencv} ${probed.opencvFiles.length ? `system, shared: ${probed.opencvFiles.join(', ')}` : 'static (linked into tfcv.node)'}`,
  );
  // the child inherited this environment and runs on this CPU: the same decision
  out('oneDNN', describeOneDnn(oneDnn()));
  const allocator = allocatorAdvice(io.env ?? process.env, report?.header?.glibcVersionRuntime);
  out('malloc', allocator.line);
  if (allocator.warning !== null) io.stderr.write(`warning: ${allocator.warning}\n`);
  if (damaged.length) {
    out('status', 'loads, but files are damaged');
    throw new CliError('damaged files. Run: npx tfcv setup');
  }
  out('status', 'ok');
  return 0;
}
