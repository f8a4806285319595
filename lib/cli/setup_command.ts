// `tfcv setup`: checks an installation and repairs it (scripts/setup/setup.js). An installed
// prebuilt needs nothing — its binary and libtensorflow are platform packages — so a working
// install gets "nothing to do" and nothing is written (a read-only install stays as it is);
// a damaged libtensorflow is re-copied and checked in a child first; TFCV_LIBTENSORFLOW_DIR
// is placed beside the binary; --build-from-source builds against the system OpenCV. It never
// loads the native addon in this process, so it runs when that addon cannot load.
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
