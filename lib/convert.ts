// The bridge between Mat and Tensor, with explicit ownership (docs/design.md, "Ownership"): 'copy' (default),
// 'share' (zero-copy; the new object keeps the old owner alive; a Mat over tensor memory is
// read-only) and 'move' (ownership handed over; the source is disposed at once). A share or
// move that cannot be honoured falls back to a copy (reported through `onCopy` and
// tfcv.stats()) or throws ZeroCopyError with `fallback: 'throw'`.
import { withCallerStack } from './async_stack';
import { MatDType, MAT_DTYPES, isMatDType } from './dtype';
import { DTypeError, ShapeError } from './errors';
import { Mat, matHandle } from './mat';
import { native, NativeMatToTensorOptions } from './binding';
import { Tensor, tensorHandle } from './tensor';
import * as v from './validate';

export type TransferMode = 'copy' | 'share' | 'move';
export type TensorLayout = 'HWC' | 'CHW' | 'NHWC' | 'NCHW';

export interface ConversionOptions {
  /** Default 'copy'. */
  mode?: TransferMode;
  /** When 'share' / 'move' cannot be honoured: 'copy' (default) or 'throw' (ZeroCopyError). */
  fallback?: 'copy' | 'throw';
  /** Called with the reason when a 'share' / 'move' became a copy. */
  onCopy?: (reason: string) => void;
}

export interface ToTensorOptions extends ConversionOptions {
  /** Output dtype (a Mat dtype); default: the Mat's. A change of dtype always copies. */
  dtype?: MatDType;
  /** Default 'HWC' ([rows, cols, channels]); 'NHWC' / 'NCHW' add a batch dim of 1. CHW always copies. */
  layout?: TensorLayout;
}

export type ToMatOptions = ConversionOptions;

const MODES: readonly TransferMode[] = ['copy', 'share', 'move'];
const LAYOUTS: readonly TensorLayout[] = ['HWC', 'CHW', 'NHWC', 'NCHW'];

function readCommon(options: ConversionOptions | undefined) {
  const o = v.optionsObject(options, 'options');
  const mode = v.oneOf(o.mode, MODES, 'options.mode', 'copy');
  const fallback = v.oneOf(o.fallback, ['copy', 'throw'] as const, 'options.fallback', 'copy');
  const onCopy = v.optionalFunction<NonNullable<ConversionOptions['onCopy']>>(o.onCopy, 'options.onCopy');
  return { mode, fallback, onCopy, o };
}

function matToTensorOptions(mat: Mat, options: ToTensorOptions | undefined) {
  const { mode, fallback, onCopy, o } = readCommon(options);
  const layout = v.oneOf((o as ToTensorOptions).layout, LAYOUTS, 'options.layout', 'HWC');
  const dtype = (o as ToTensorOptions).dtype;
  if (dtype !== undefined && !isMatDType(dtype)) {
    throw new DTypeError(
      `options.dtype: expected one of ${MAT_DTYPES.join(', ')} (a dtype OpenCV can convert to), got ${v.describe(dtype)}`,
    );
  }
  const handle = matHandle(mat);
  const nativeOptions: NativeMatToTensorOptions = {
    mode,
    fallback,
    dtype,
    channelsFirst: layout === 'CHW' || layout === 'NCHW',
    batch: layout === 'NHWC' || layout === 'NCHW',
  };
  return { handle, nativeOptions, onCopy };
}

function tensorToMatOptions(tensor: Tensor, options: ToMatOptions | undefined) {
  const { mode, fallback, onCopy } = readCommon(options);
  const handle = tensorHandle(tensor);
  // Checked here so that a wrong dtype or layout never reaches native code.
  const dtype = handle.dtype;
  if (!isMatDType(dtype)) {
    throw new DTypeError(`tensor: expected a dtype OpenCV represents (${MAT_DTYPES.join(', ')}), got ${dtype}`);
  }
  const shape = handle.shape;
  const ok =
    (shape.length === 2 || shape.length === 3 || (shape.length === 4 && shape[0] === 1)) &&
    shape.slice(-3).every((d) => d > 0) &&
    (shape.length === 2 || shape[shape.length - 1]! <= 512);
  if (!ok)
    throw new ShapeError(`tensor: expected shape [H,W], [H,W,C] or [1,H,W,C] with C <= 512, got [${shape.join(',')}]`);
  return { handle, nativeOptions: { mode, fallback }, onCopy };
}

function report(
  mode: string,
  result: { zeroCopy: boolean; copyReason: string | null },
  onCopy?: (reason: string) => void,
) {
  if (mode !== 'copy' && !result.zeroCopy && onCopy) onCopy(result.copyReason ?? 'copied');
}

/** Mat -> Tensor off the event loop. */
export async function toTensor<D extends MatDType = MatDType>(
  mat: Mat,
  options?: ToTensorOptions & { dtype?: D },
): Promise<Tensor<D>> {
  const { handle, nativeOptions, onCopy } = matToTensorOptions(mat, options);
  const result = await withCallerStack(native.matToTensor(handle, nativeOptions));
  report(nativeOptions.mode, result, onCopy);
  return new Tensor<D>(result.tensor);
}

/** Synchronous twin of toTensor(). */
export function toTensorSync<D extends MatDType = MatDType>(
  mat: Mat,
  options?: ToTensorOptions & { dtype?: D },
): Tensor<D> {
  const { handle, nativeOptions, onCopy } = matToTensorOptions(mat, options);
  const result = native.matToTensorSync(handle, nativeOptions);
  report(nativeOptions.mode, result, onCopy);
  return new Tensor<D>(result.tensor);
}

/** Tensor ([H,W], [H,W,C] or [1,H,W,C]) -> Mat off the event loop. */
export async function toMat(tensor: Tensor, options?: ToMatOptions): Promise<Mat> {
  const { handle, nativeOptions, onCopy } = tensorToMatOptions(tensor, options);
  const result = await withCallerStack(native.tensorToMat(handle, nativeOptions));
  report(nativeOptions.mode, result, onCopy);
  return new Mat(result.mat);
}

/** Synchronous twin of toMat(). */
export function toMatSync(tensor: Tensor, options?: ToMatOptions): Mat {
  const { handle, nativeOptions, onCopy } = tensorToMatOptions(tensor, options);
  const result = native.tensorToMatSync(handle, nativeOptions);
  report(nativeOptions.mode, result, onCopy);
  return new Mat(result.mat);
}
