// The one loader of the native addon: a prebuilt binary first (prebuildify layout through
// node-gyp-build), the local cmake-js build second. It also registers the error classes
// with the addon so native code throws them directly. Everything else imports `native`.
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

/** @internal */
export interface NativeBinding {
  NativeTensor: Function;
  NativeMat: Function;
  tensorAlloc(dtype: string, shape: number[]): NativeTensor;
  tensorFromBytes(dtype: string, shape: number[], data: ArrayBufferView | ArrayBuffer, mode: string, onUnaligned: string): NativeTensor;
  tensorFromStrings(shape: number[], data: Array<string | ArrayBufferView>): NativeTensor;
  tensorRows(tensor: NativeTensor, firstRow: number, rowCount: number): NativeTensor;
  matFromBytes(rows: number, cols: number, channels: number, dtype: string, data: ArrayBufferView | ArrayBuffer, mode: string): NativeMat;
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
  registerErrors(ctors: readonly Function[]): void;
  isNative(value: unknown, kind: 'tensor' | 'mat' | 'model'): boolean;
  errorKindCount: number;
}

const packageRoot = path.resolve(__dirname, '..');

function load(): { binding: NativeBinding; file: string } {
  // TensorFlow logs an INFO line per SavedModel load step; read lazily at its first log
  // call, so setting it here (before the library loads) still takes effect. Warnings stay.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { resolveBinary } = require('../scripts/resolve-binary.js') as {
    resolveBinary(dir: string): { kind: 'prebuilt' | 'local' | 'build'; file: string | null };
  };
  // TFCV_BINARY_PATH: an explicit binary (the sanitizer build of `npm run test:asan`).
  const override = process.env.TFCV_BINARY_PATH;
  const choice = override ? { kind: 'local' as const, file: path.resolve(override) } : resolveBinary(packageRoot);
  if (choice.file === null) {
    throw new InternalError(
      `tfcv: no native binary found (no prebuild for ${process.platform}-${process.arch} and no local build). ` +
        `Run 'npm run build:native' in ${packageRoot}.`,
    );
  }
  const file = choice.file;
  let binding: NativeBinding;
  try {
    binding = require(file) as NativeBinding;
  } catch (cause) {
    throw new InternalError(
      `tfcv: the native binary ${file} failed to load: ${(cause as Error).message}. ` +
        `If libtensorflow or OpenCV is missing, run 'bash scripts/setup/libtensorflow.sh' and 'bash scripts/setup/opencv.sh'.`,
    );
  }
  if (binding.errorKindCount !== ERROR_KINDS.length) {
    throw new InternalError(`tfcv: native binary ${file} does not match this facade (error kinds differ); rebuild it`);
  }
  binding.registerErrors(ERROR_KINDS);
  return { binding, file };
}

const loaded = load();

/** @internal */
export const native: NativeBinding = loaded.binding;

/** Absolute path of the native binary that was loaded (a prebuild or the local build). */
export const nativePath: string = loaded.file;
