// `tfcv doctor`: what was found where — the binary (path, prebuilt or source), libtensorflow
// (directory, version, where it came from), OpenCV (static or the system's, version), glibc
// and Node-API — read from the process after loading, so it reports what is really used.
// The addon is loaded lazily so a broken install is described, not crashed on.
import fs from 'node:fs';
import path from 'node:path';
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
}

/** Shared objects mapped into this process whose file name matches `pattern`. */
function mapped(pattern: RegExp): string[] {
  let maps = '';
  try {
    maps = fs.readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return [];
  }
  const files = new Set<string>();
  for (const line of maps.split('\n')) {
    const file = line.slice(line.indexOf('/'));
    if (line.includes('/') && pattern.test(path.basename(file))) files.add(file);
  }
  return [...files];
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
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  out('tfcv', `${pkg.version} in ${packageRoot}`);
  out('platform', `${process.platform}-${process.arch}, Node ${process.versions.node}`);
  out('glibc', report?.header?.glibcVersionRuntime ?? 'none (not a glibc system)');
  out('Node-API', `${process.versions.napi} (the addon needs 8)`);
  const choice = resolveBinary(packageRoot);
  if (choice.kind === 'none') {
    out('binary', `none: ${choice.reason}`);
    throw new CliError('no native binary. Run: npx tfcv setup');
  }
  out('binary', `${choice.kind} ${choice.file}${choice.packageName ? ` (${choice.packageName})` : ''}`);
  const placed = choice.libtensorflowDir ? describe(choice.libtensorflowDir) : null;
  out(
    'libtensorflow',
    `${choice.libtensorflowDir}${placed ? ` (placed from ${placed.from}: ${placed.how})` : ' (not placed by tfcv setup)'}`,
  );
  let versions: { tensorflow: string; opencv: string };
  try {
    // Loaded lazily: doctor reports a binary that fails to load instead of failing itself.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { native } = require('../binding') as typeof import('../binding');
    versions = native.versions();
  } catch (e) {
    out('load', `FAILED: ${(e as Error).message}`);
    return 1;
  }
  const tfFiles = mapped(/^libtensorflow(_cc)?\.so/);
  out(
    'TensorFlow',
    `version ${versions.tensorflow}, loaded from ${tfFiles.join(', ') || '(not found in /proc/self/maps)'}`,
  );
  const cvFiles = mapped(/^libopencv_/);
  out(
    'OpenCV',
    `${versions.opencv} ${cvFiles.length ? `system, shared: ${cvFiles.join(', ')}` : 'static (linked into tfcv.node)'}`,
  );
  out('oneDNN', describeOneDnn(oneDnn()));
  const allocator = allocatorAdvice(io.env ?? process.env, report?.header?.glibcVersionRuntime);
  out('malloc', allocator.line);
  if (allocator.warning !== null) io.stderr.write(`warning: ${allocator.warning}\n`);
  out('status', 'ok');
  return 0;
}
