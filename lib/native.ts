// The one loader of the native addon: the prebuilt platform package or the source build, as
// scripts/resolve-binary.js chooses; a failure names the cause and `npx tfcv setup`. It also
// registers the error classes with the addon so native code throws them directly.
// The facade imports the binding through lib/binding.ts, which types it.
import path from 'node:path';
import type { Binding } from './binding';
import { ERROR_KINDS, InternalError } from './errors';
import { noteOneDnnDecided } from './onednn';

const packageRoot = path.resolve(__dirname, '..');

/** @internal What the loader chose (scripts/resolve-binary.js). */
export interface BinaryChoice {
  kind: 'prebuilt' | 'source' | 'none';
  file?: string;
  libtensorflowDir?: string;
  packageName?: string;
  reason?: string;
}

const SETUP_HINT = 'Run: npx tfcv setup';

function load(): { binding: Binding; choice: BinaryChoice & { file: string } } {
  // TensorFlow's C++ logging reads this lazily at its first log call, so setting it here
  // (before the library loads) takes effect: errors only unless the user chose a level.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveBinary } = require('../scripts/resolve-binary.js') as { resolveBinary(dir: string): BinaryChoice };
  const choice = resolveBinary(packageRoot);
  if (choice.kind === 'none' || !choice.file) {
    throw new InternalError(
      `tfcv: no native binary: ${choice.reason}. The install script may not have run (npm install --ignore-scripts). ${SETUP_HINT}`,
    );
  }
  const file = choice.file;
  let binding: Binding;
  try {
    // TensorFlow decides on oneDNN while the library loads (a static initialiser reads
    // TF_ENABLE_ONEDNN_OPTS): what it decided is noted now, for versions() and doctor.
    noteOneDnnDecided();
    // The binary is chosen at run time, so it is required, not imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require(file) as Binding;
  } catch (cause) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inspectRoot } = require('../scripts/setup/libtensorflow.js') as { inspectRoot(dir: string): object | null };
    const missing = choice.libtensorflowDir && !inspectRoot(choice.libtensorflowDir);
    throw new InternalError(
      missing
        ? `tfcv: libtensorflow is not installed beside the ${choice.kind} binary ${file} (expected in ${choice.libtensorflowDir}); ` +
            `the install script did not run (npm install --ignore-scripts?). ${SETUP_HINT}. (loader: ${(cause as Error).message})`
        : `tfcv: the ${choice.kind} native binary ${file} failed to load: ${(cause as Error).message}. ${SETUP_HINT}`,
    );
  }
  if (binding.errorKindCount !== ERROR_KINDS.length) {
    throw new InternalError(
      `tfcv: native binary ${file} does not match this facade (error kinds differ). ${SETUP_HINT}`,
    );
  }
  binding.registerErrors(ERROR_KINDS);
  return { binding, choice: { ...choice, file } };
}

const loaded = load();

/** @internal */
export const native: Binding = loaded.binding;

/** Absolute path of the native binary that was loaded (the prebuilt platform package's or the source build). */
export const nativePath: string = loaded.choice.file;

/** @internal Which flavour was loaded and where its libtensorflow lives (tfcv doctor). */
export const nativeChoice: BinaryChoice = loaded.choice;
