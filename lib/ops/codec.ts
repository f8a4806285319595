// Encoding Mats to image bytes (cv::imencode) and writing image files. Decoding and
// reading live on Mat itself (Mat.decode, Mat.read).
import { writeRegularFile, writeRegularFileSync } from '../files';
import { extname } from 'node:path';
import { withCallerStack } from '../async_stack';
import { ArgumentError } from '../errors';
import { Mat, matHandle } from '../mat';
import type { MatDType } from '../dtype';
import { native } from '../binding';
import { optionKeys } from '../option_keys';
import * as v from '../validate';

/** Formats tfcv encodes: 'jpeg' and 'webp' hold uint8; 'png' uint8 and uint16; 'tiff' also float32 / float64; 'bmp' uint8. */
export type ImageFormat = 'jpeg' | 'png' | 'bmp' | 'webp' | 'tiff';

export interface EncodeOptions {
  /** 'jpeg' and 'webp': 1..100 (default: OpenCV's, 95 for JPEG). */
  quality?: number;
  /** 'png': zlib level 0..9. */
  compression?: number;
}

export interface WriteOptions extends EncodeOptions {
  /** Default: from the file extension (.jpg .jpeg .png .bmp .webp .tif .tiff). */
  format?: ImageFormat;
}

const ENCODE_KEYS = optionKeys<EncodeOptions>('Mat.encode', { quality: true, compression: true });
const WRITE_KEYS = optionKeys<WriteOptions>('Mat.write', { quality: true, compression: true, format: true });

const FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'bmp', 'webp', 'tiff'];
const EXTENSIONS: Record<string, ImageFormat> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.bmp': 'bmp',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
};

declare module '../mat' {
  // Declaration merging needs the same type parameters as Mat's own declaration, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Mat<D extends MatDType = MatDType> {
    /** Encodes to an image file's bytes off the event loop. A dtype the format cannot hold is a DTypeError (no silent conversion). */
    encode(format: ImageFormat, options?: EncodeOptions): Promise<Buffer>;
    /** Synchronous twin of encode(). */
    encodeSync(format: ImageFormat, options?: EncodeOptions): Buffer;
    /** Encodes (off the event loop) and writes an image file; the format comes from the extension unless given. */
    write(path: string, options?: WriteOptions): Promise<void>;
    /** Synchronous twin of write(). */
    writeSync(path: string, options?: WriteOptions): void;
  }
}

function encodeArgs(
  format: unknown,
  options: EncodeOptions | undefined,
): [ImageFormat, number | undefined, number | undefined] {
  if (format === undefined)
    throw new ArgumentError(`format: expected ${FORMATS.map((x) => `'${x}'`).join(' | ')}, got undefined`);
  const f = v.oneOf(format, FORMATS, 'format', 'jpeg');
  const o = v.optionsObject(options, ENCODE_KEYS);
  const quality = o.quality === undefined ? undefined : v.integer(o.quality, 'options.quality', 1, 100);
  const compression = o.compression === undefined ? undefined : v.integer(o.compression, 'options.compression', 0, 9);
  if (quality !== undefined && f !== 'jpeg' && f !== 'webp')
    throw new ArgumentError(`options.quality: only for 'jpeg' and 'webp', got format '${f}'`);
  if (compression !== undefined && f !== 'png')
    throw new ArgumentError(`options.compression: only for 'png', got format '${f}'`);
  return [f, quality, compression];
}

function writeArgs(
  path: unknown,
  options: WriteOptions | undefined,
): [string, ImageFormat, number | undefined, number | undefined] {
  if (typeof path !== 'string' || path.length === 0)
    throw new ArgumentError(`path: expected a file path, got ${v.describe(path)}`);
  const o = v.optionsObject(options, WRITE_KEYS);
  const format = o.format ?? EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new ArgumentError(
      `options.format: required when the extension of '${path}' is not one of ${Object.keys(EXTENSIONS).join(' ')}`,
    );
  }
  return [path, ...encodeArgs(format, { quality: o.quality, compression: o.compression })];
}

Mat.prototype.encode = async function encode(this: Mat, format: ImageFormat, options?: EncodeOptions): Promise<Buffer> {
  const [f, quality, compression] = encodeArgs(format, options);
  return withCallerStack(native.encode(matHandle(this), f, quality, compression));
};

Mat.prototype.encodeSync = function encodeSync(this: Mat, format: ImageFormat, options?: EncodeOptions): Buffer {
  const [f, quality, compression] = encodeArgs(format, options);
  return native.encodeSync(matHandle(this), f, quality, compression);
};

Mat.prototype.write = async function write(this: Mat, path: string, options?: WriteOptions): Promise<void> {
  const [file, f, quality, compression] = writeArgs(path, options);
  await writeRegularFile(file, 'path', await withCallerStack(native.encode(matHandle(this), f, quality, compression)));
};

Mat.prototype.writeSync = function writeSync(this: Mat, path: string, options?: WriteOptions): void {
  const [file, f, quality, compression] = writeArgs(path, options);
  writeRegularFileSync(file, 'path', native.encodeSync(matHandle(this), f, quality, compression));
};
