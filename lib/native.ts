// The one loader of the native addon: the prebuilt platform package or the source build, as
// scripts/resolve-binary.js chooses; a failure names the cause and `npx tfcv setup`. It also
// registers the error classes with the addon so native code throws them directly.
// Everything else imports `native`.
import path from 'node:path';
import { ERROR_KINDS, InternalError } from './errors';

/** @internal Shape of the raw binding (binding/addon.cc). */
export interface NativeTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly byteLength: number;
  readonly disposed: boolean;
  readonly shared: boolean;
  data(): ArrayBuffer;
  stringBytes(): Buffer[];
  copy(): NativeTensor;
  dispose(): void;
}

/** @internal */
export interface NativeMat {
  readonly rows: number;
  readonly cols: number;
  readonly channels: number;
  readonly dtype: string;
  readonly type: number;
  readonly step: number;
  readonly byteLength: number;
  readonly isContinuous: boolean;
  readonly readOnly: boolean;
  readonly disposed: boolean;
  data(): ArrayBuffer;
  clone(): NativeMat;
  roi(x: number, y: number, width: number, height: number): NativeMat;
  setTo(values: number[], onShared: string): NativeMat;
  threshold(thresh: number, maxval: number, type: string, inPlace: boolean, onShared: string): NativeMat;
  makeWritable(): NativeMat;
  dispose(): void;
}

/** @internal */
export interface NativeConversion<T> {
  zeroCopy: boolean;
  copyReason: string | null;
  tensor: T extends 'tensor' ? NativeTensor : never;
  mat: T extends 'mat' ? NativeMat : never;
}

/** @internal */
export interface NativeMatToTensorOptions {
  mode: string;
  fallback: string;
  dtype?: string;
  channelsFirst: boolean;
  batch: boolean;
}

/** @internal A class the native side constructs or recognises (native objects, error kinds). */
export type NativeClass = abstract new (...args: never[]) => object;

/** @internal */
export interface NativeBinding {
  NativeTensor: NativeClass;
  NativeMat: NativeClass;
  tensorAlloc(dtype: string, shape: number[]): NativeTensor;
  tensorFromBytes(
    dtype: string,
    shape: number[],
    data: ArrayBufferView | ArrayBuffer,
    mode: string,
    onUnaligned: string,
  ): NativeTensor;
  tensorFromStrings(shape: number[], data: Array<string | ArrayBufferView>): NativeTensor;
  tensorRows(tensor: NativeTensor, firstRow: number, rowCount: number): NativeTensor;
  matFromBytes(
    rows: number,
    cols: number,
    channels: number,
    dtype: string,
    data: ArrayBufferView | ArrayBuffer,
    mode: string,
  ): NativeMat;
  matZeros(rows: number, cols: number, channels: number, dtype: string): NativeMat;
  matDecode(data: ArrayBufferView | ArrayBuffer, flags: string): NativeMat;
  matDecodeAsync(data: ArrayBufferView | ArrayBuffer, flags: string): Promise<NativeMat>;
  matToTensor(mat: NativeMat, options: NativeMatToTensorOptions): NativeConversion<'tensor'>;
  matToTensorAsync(mat: NativeMat, options: NativeMatToTensorOptions): Promise<NativeConversion<'tensor'>>;
  tensorToMat(tensor: NativeTensor, options: { mode: string; fallback: string }): NativeConversion<'mat'>;
  tensorToMatAsync(tensor: NativeTensor, options: { mode: string; fallback: string }): Promise<NativeConversion<'mat'>>;
  stats(): Record<string, number>;
  flushDeferred(): void;
  versions(): { tensorflow: string; opencv: string };
  registerErrors(ctors: readonly NativeClass[]): void;
  isNative(value: unknown, kind: 'tensor' | 'mat' | 'model'): boolean;
  errorKindCount: number;
}

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

function load(): { binding: NativeBinding; choice: BinaryChoice & { file: string } } {
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
  let binding: NativeBinding;
  try {
    // The binary is chosen at run time, so it is required, not imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require(file) as NativeBinding;
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
export const native: NativeBinding = loaded.binding;

/** Absolute path of the native binary that was loaded (the prebuilt platform package's or the source build). */
export const nativePath: string = loaded.choice.file;

/** @internal Which flavour was loaded and where its libtensorflow lives (tfcv doctor). */
export const nativeChoice: BinaryChoice = loaded.choice;
