// `tfcv setup`: what the install hook does (scripts/setup/setup.js), runnable again without
// reinstalling — after `npm install --ignore-scripts`, a deleted libtensorflow, or a fixed
// cause. Idempotent: a working install is checked and left as it is. It never loads the
// native addon in this process, so it runs when that addon cannot load.
import path from 'node:path';
import { CliError } from './cli_error';
import { CliIo } from './io';

export interface SetupCommandOptions {
  buildFromSource?: boolean;
  rebuild?: boolean;
}

interface SetupModule {
  setup(options: {
    root: string;
    log: (m: string) => void;
    rebuild?: boolean;
    forceSource?: boolean;
  }): Promise<{ kind: string; file: string }>;
  sourceBuildRequested(): boolean;
}

export const packageRoot = path.resolve(__dirname, '..', '..');

export async function setupCommand(opts: SetupCommandOptions, io: CliIo): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { setup, sourceBuildRequested } = require(path.join(packageRoot, 'scripts/setup/setup.js')) as SetupModule;
  try {
    const result = await setup({
      root: packageRoot,
      log: (m) => io.stdout.write(`tfcv setup: ${m}\n`),
      rebuild: !!opts.rebuild,
      forceSource: !!opts.buildFromSource || !!opts.rebuild || sourceBuildRequested(),
    });
    io.stdout.write(`tfcv setup: ready (${result.kind} binary ${result.file})\n`);
    return 0;
  } catch (e) {
    throw new CliError(`setup failed: ${(e as Error).message}`);
  }
}
