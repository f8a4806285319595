// Mat: an OpenCV cv::Mat owned natively. Memory shared with another owner (a tensor, a JS
// buffer, another Mat through roi()) is read-only for OpenCV in-place writes: they throw
// ReadOnlyError, or copy first with { onShared: 'copy' }, so the other owner never changes.
import { trackInScope } from './scope';
import { markAsUntransferable } from 'node:worker_threads';
import { MatDType, TypedArrayOf, checkArrayMatches, isMatDType, viewAs } from './dtype';
import { ArgumentError, DTypeError } from './errors';
import { native, NativeMat } from './binding';
import { optionKeys } from './option_keys';
import * as v from './validate';
import { guardReceivers } from './receiver';
import { withCallerStack } from './async_stack';
import { readRegularFile, readRegularFileSync } from './files';

export interface MatFromBufferOptions {
  rows: number;
  cols: number;
  /** Default 1. */
  channels?: number;
  /** Default 'uint8'. */
  dtype?: MatDType;
  /**
   * `'copy'` (default) or `'share'`: the Mat aliases the JS memory, which stays pinned (and
   * its ArrayBuffer untransferable) while the Mat's memory lives. A shared Mat is read-only
   * for OpenCV in-place operations.
   */
  mode?: 'copy' | 'share';
}

export type DecodeFlags = 'color' | 'grayscale' | 'unchanged';

export interface DecodeOptions {
  /** 'color' (default, 3-channel BGR), 'grayscale', or 'unchanged' (keeps alpha and depth). */
  flags?: DecodeFlags;
  /**
   * Largest image accepted, in pixels (width x height), checked from the header before
   * decoding (for JPEG, PNG, BMP, WebP, TIFF, PNM, Sun raster, HDR; other formats after
   * decoding). Over it: LimitError. Default 100_000_000 (DEFAULT_MAX_PIXELS), at most 2^30.
   */
  maxPixels?: number;
  /**
   * Decode at 1/reduce of the size, like OpenCV's IMREAD_REDUCED_* flags: JPEGs are scaled in
   * the DCT domain (much faster; sizes rounded up), other formats are decoded in full and
   * resized to floor(size / reduce) with 'linear-exact'. Default 1.
   */
  reduce?: 1 | 2 | 4 | 8;
}

/** The default decode limit: 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;
/** The largest decode limit one may set (OpenCV's own cap): 2^30 pixels. */
export const MAX_MAX_PIXELS = 2 ** 30;

/** Mat.zeros's options. */
export interface ZerosOptions<D extends MatDType = MatDType> {
  /** Default 1. */
  channels?: number;
  /** Default 'uint8'. */
  dtype?: D;
}

const FROM_BUFFER_KEYS = optionKeys<MatFromBufferOptions>('Mat.fromBuffer', {
  rows: true,
  cols: true,
  channels: true,
  dtype: true,
  mode: true,
});
const ZEROS_KEYS = optionKeys<ZerosOptions>('Mat.zeros', { channels: true, dtype: true });
const DECODE_KEYS = optionKeys<DecodeOptions>('Mat.decode', { flags: true, maxPixels: true, reduce: true });
const SET_TO_KEYS = optionKeys<InPlaceOptions>('mat.setTo', { onShared: true });
const THRESHOLD_KEYS = optionKeys<ThresholdOptions>('mat.threshold', { type: true });
const THRESHOLD_SYNC_KEYS = optionKeys<ThresholdSyncOptions>('mat.thresholdSync', {
  type: true,
  onShared: true,
  inPlace: true,
});

function decodeOptions(options: DecodeOptions | undefined): [DecodeFlags, number, number] {
  const o = v.optionsObject(options, DECODE_KEYS);
  const flags = v.oneOf(o.flags, ['color', 'grayscale', 'unchanged'] as const, 'options.flags', 'color');
  const maxPixels =
    o.maxPixels === undefined ? DEFAULT_MAX_PIXELS : v.integer(o.maxPixels, 'options.maxPixels', 1, MAX_MAX_PIXELS);
  const reduce = o.reduce ?? 1;
  if (reduce !== 1 && reduce !== 2 && reduce !== 4 && reduce !== 8)
    throw new ArgumentError(`options.reduce: expected 1 | 2 | 4 | 8, got ${v.describe(reduce)}`);
  return [flags, maxPixels, reduce];
}

function decodeArgs(
  data: unknown,
  options: DecodeOptions | undefined,
): [ArrayBufferView | ArrayBuffer, DecodeFlags, number, number] {
  return [v.binary(data, 'data'), ...decodeOptions(options)];
}

function pathArg(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0)
    throw new ArgumentError(`path: expected a file path, got ${v.describe(path)}`);
  return path;
}

export interface InPlaceOptions {
  /** When the memory is shared with another owner: 'throw' (default, ReadOnlyError) or 'copy' first. */
  onShared?: 'throw' | 'copy';
}

export type ThresholdType = 'binary' | 'binary-inv' | 'trunc' | 'tozero' | 'tozero-inv' | 'otsu' | 'binary-inv-otsu';

export interface ThresholdOptions {
  /** Default 'binary' (pixels > thresh become maxval). 'otsu' variants need a 1-channel uint8 / uint16 Mat and ignore `thresh`. */
  type?: ThresholdType;
}

export interface ThresholdSyncOptions extends ThresholdOptions, InPlaceOptions {
  /** Write into this Mat instead of returning a new one. */
  inPlace?: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

// Module-private access to a Mat's native handle (an ES private field: unreachable from
// user code, and `#native in x` is a brand check a spoofed prototype cannot pass).
let readMatHandle: (mat: unknown) => NativeMat | undefined;
const THRESHOLD_TYPES: readonly ThresholdType[] = [
  'binary',
  'binary-inv',
  'trunc',
  'tozero',
  'tozero-inv',
  'otsu',
  'binary-inv-otsu',
];

export class Mat<D extends MatDType = MatDType> {
  #native: NativeMat;

  static {
    readMatHandle = (mat) => (typeof mat === 'object' && mat !== null && #native in mat ? mat.#native : undefined);
  }

  /** @internal Use Mat.fromBuffer / Mat.zeros / Mat.decode / toMat. */
  constructor(handle: NativeMat) {
    if (!native.isNative(handle, 'mat')) {
      throw new ArgumentError(
        'Mat: not constructible directly; use Mat.fromBuffer(), Mat.zeros(), Mat.decode() or toMat()',
      );
    }
    this.#native = handle;
    trackInScope(this);
  }

  /** A Mat over raw pixel data (row-major, channels interleaved). */
  static fromBuffer<D extends MatDType = 'uint8'>(
    data: ArrayBufferView | ArrayBuffer,
    options: MatFromBufferOptions & { dtype?: D },
  ): Mat<D> {
    v.binary(data, 'data');
    if (options === undefined || options === null || typeof options !== 'object') {
      throw new ArgumentError(`options: expected { rows, cols, channels?, dtype?, mode? }, got ${v.describe(options)}`);
    }
    v.optionsObject(options, FROM_BUFFER_KEYS);
    const rows = v.integer(options.rows, 'options.rows', 1, 2 ** 31 - 1);
    const cols = v.integer(options.cols, 'options.cols', 1, 2 ** 31 - 1);
    const channels = v.integer(options.channels ?? 1, 'options.channels', 1, 512);
    const dtype = options.dtype ?? 'uint8';
    if (!isMatDType(dtype))
      throw new DTypeError(
        `options.dtype: expected a Mat dtype (uint8, int8, uint16, int16, int32, float16, float32, float64), got ${v.describe(dtype)}`,
      );
    if (ArrayBuffer.isView(data)) checkArrayMatches(dtype, data, 'data');
    const mode = v.oneOf(options.mode, ['copy', 'share'] as const, 'options.mode', 'copy');
    if (mode === 'share') markAsUntransferable(data instanceof ArrayBuffer ? data : data.buffer);
    return new Mat<D>(native.matFromBytes(rows, cols, channels, dtype, data, mode));
  }

  /** A Mat of zeros. */
  static zeros<D extends MatDType = 'uint8'>(rows: number, cols: number, options: ZerosOptions<D> = {}): Mat<D> {
    v.integer(rows, 'rows', 1, 2 ** 31 - 1);
    v.integer(cols, 'cols', 1, 2 ** 31 - 1);
    const o = v.optionsObject(options, ZEROS_KEYS);
    const channels = v.integer(o.channels ?? 1, 'options.channels', 1, 512);
    const dtype = o.dtype ?? 'uint8';
    if (!isMatDType(dtype)) throw new DTypeError(`options.dtype: expected a Mat dtype, got ${v.describe(dtype)}`);
    return new Mat<D>(native.matZeros(rows, cols, channels, dtype));
  }

  /**
   * Decodes an encoded image (JPEG, PNG, BMP, WebP, TIFF, ... : the system OpenCV's codecs)
   * off the event loop. The bytes are copied first, so the caller may reuse its buffer at
   * once. Corrupt, truncated, empty or non-image data: DecodeError (never a partial image);
   * over `maxPixels`: LimitError. JPEG EXIF orientation is applied (except 'unchanged').
   */
  static async decode(data: ArrayBufferView | ArrayBuffer, options?: DecodeOptions): Promise<Mat> {
    return new Mat(await withCallerStack(native.matDecode(...decodeArgs(data, options))));
  }

  /** Synchronous twin of decode(). */
  static decodeSync(data: ArrayBufferView | ArrayBuffer, options?: DecodeOptions): Mat {
    return new Mat(native.matDecodeSync(...decodeArgs(data, options)));
  }

  /**
   * Reads and decodes an image file (read with fs.promises, then decoded off the event loop).
   * Only regular files of at most 2 GiB - 1 are read: a directory, FIFO, device or socket is
   * an ArgumentError before any read, a larger file a LimitError.
   */
  static async read(path: string, options?: DecodeOptions): Promise<Mat> {
    const file = pathArg(path);
    decodeOptions(options);
    return Mat.decode(await readRegularFile(file, 'path'), options);
  }

  /** Synchronous twin of read(). */
  static readSync(path: string, options?: DecodeOptions): Mat {
    const file = pathArg(path);
    decodeOptions(options);
    return Mat.decodeSync(readRegularFileSync(file, 'path'), options);
  }

  get rows(): number {
    return matHandle(this).rows;
  }
  get cols(): number {
    return matHandle(this).cols;
  }
  get channels(): number {
    return matHandle(this).channels;
  }
  get dtype(): D {
    return matHandle(this).dtype as D;
  }
  /** OpenCV type code (CV_8UC3 = 16, ...). */
  get type(): number {
    return matHandle(this).type;
  }
  /** Bytes per row (larger than cols * channels * elemSize for an ROI view). */
  get step(): number {
    return matHandle(this).step;
  }
  /** Bytes of pixel data (rows * cols * channels * elemSize). */
  get byteLength(): number {
    return matHandle(this).byteLength;
  }
  /** False for an ROI view whose rows are not adjacent in memory. */
  get isContinuous(): boolean {
    return matHandle(this).isContinuous;
  }
  /** True while another owner (tensor, JS buffer, Mat) can see this memory: in-place OpenCV writes are refused. */
  get readOnly(): boolean {
    return matHandle(this).readOnly;
  }
  get disposed(): boolean {
    return matHandle(this).disposed;
  }

  /**
   * The pixels as a typed array, row-major with channels interleaved. Zero-copy when
   * `isContinuous` (the view keeps the memory alive on its own; JS writes through it reach
   * every owner of the memory), a packed copy otherwise.
   */
  get data(): TypedArrayOf<D> {
    return viewAs(this.dtype, matHandle(this).data()) as TypedArrayOf<D>;
  }

  /** A deep copy with its own, writable memory. */
  clone(): Mat<D> {
    return new Mat<D>(matHandle(this).clone());
  }

  /** A view of a rectangle (no copy). While both live, the view and its parent are read-only for in-place writes. */
  roi(rect: Rect): Mat<D> {
    if (rect === null || typeof rect !== 'object')
      throw new ArgumentError(`rect: expected { x, y, width, height }, got ${v.describe(rect)}`);
    const x = v.integer(rect.x, 'rect.x', 0, 2 ** 31 - 1);
    const y = v.integer(rect.y, 'rect.y', 0, 2 ** 31 - 1);
    const w = v.integer(rect.width, 'rect.width', 1, 2 ** 31 - 1);
    const h = v.integer(rect.height, 'rect.height', 1, 2 ** 31 - 1);
    return new Mat<D>(matHandle(this).roi(x, y, w, h));
  }

  /** Sets every pixel to `value` (a number, or one number per channel), in place. */
  setTo(value: number | readonly number[], options?: InPlaceOptions): this {
    const values = typeof value === 'number' ? [value] : value;
    if (!Array.isArray(values) || values.length === 0 || values.length > 4) {
      throw new ArgumentError(`value: expected a number or 1..4 numbers, got ${v.describe(value)}`);
    }
    for (let i = 0; i < values.length; i++) v.finiteNumber(values[i], `value[${i}]`); // holes included
    const scalar = typeof value === 'number' ? [value, value, value, value] : values;
    const onShared = v.oneOf(
      v.optionsObject(options, SET_TO_KEYS).onShared,
      ['throw', 'copy'] as const,
      'options.onShared',
      'throw',
    );
    matHandle(this).setTo(scalar.slice(), onShared);
    return this;
  }

  /** cv::threshold off the event loop: a new Mat. */
  async threshold(thresh: number, maxval: number, options?: ThresholdOptions): Promise<Mat<D>> {
    v.finiteNumber(thresh, 'thresh');
    v.finiteNumber(maxval, 'maxval');
    const type = v.oneOf(v.optionsObject(options, THRESHOLD_KEYS).type, THRESHOLD_TYPES, 'options.type', 'binary');
    return new Mat<D>(await withCallerStack(native.threshold(matHandle(this), thresh, maxval, type)));
  }

  /** Synchronous twin of threshold(): a new Mat, or this Mat when `inPlace` (read-only rules apply). */
  thresholdSync(thresh: number, maxval: number, options?: ThresholdSyncOptions): Mat<D> {
    v.finiteNumber(thresh, 'thresh');
    v.finiteNumber(maxval, 'maxval');
    const o = v.optionsObject(options, THRESHOLD_SYNC_KEYS);
    const type = v.oneOf(o.type, THRESHOLD_TYPES, 'options.type', 'binary');
    const onShared = v.oneOf(o.onShared, ['throw', 'copy'] as const, 'options.onShared', 'throw');
    const inPlace = o.inPlace === true;
    const result = matHandle(this).threshold(thresh, maxval, type, inPlace, onShared);
    return inPlace ? this : new Mat<D>(result);
  }

  /** Copies the pixels when another owner can see them, so that in-place writes are allowed. */
  makeWritable(): this {
    matHandle(this).makeWritable();
    return this;
  }

  /** Releases this handle now (idempotent). Later use throws DisposedError. */
  dispose(): void {
    matHandle(this).dispose();
  }

  /** dispose() for `using` (TypeScript 5.2+ / explicit resource management). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    // console.log(Mat.prototype) must not throw: only real Mats describe themselves.
    if (readMatHandle(this) === undefined) return 'Mat {}';
    if (this.disposed) return 'Mat <disposed>';
    return `Mat<${this.dtype}> ${this.rows}x${this.cols}x${this.channels}${this.readOnly ? ' (read-only)' : ''}`;
  }
}

guardReceivers(Mat, (x) => readMatHandle(x) !== undefined);

/** @internal The native handle of a Mat (disposed ones included: native calls then throw DisposedError). */
export function matHandle(mat: unknown, name = 'mat'): NativeMat {
  const handle = readMatHandle(mat);
  if (handle === undefined) throw new ArgumentError(`${name}: expected a Mat, got ${v.describe(mat)}`);
  return handle;
}
