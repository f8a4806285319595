// The error classes of tfcv. Every failure, native or JS, is one of these, with a stable
// `code`; native code constructs them directly (they are registered with the addon at
// load), so `instanceof` and `code` work the same for sync and async calls.

/** Base class of every tfcv error. */
export class TfcvError extends Error {
  /** Stable machine-readable code, e.g. `ERR_TFCV_SHAPE`. */
  readonly code: string = 'ERR_TFCV';
  constructor(message: string) {
    super(messageText(message));
    this.name = new.target.name;
  }
}

// Error classes are public and constructible: whatever they are given (a Symbol, an array
// with a Symbol, an object whose toString throws) becomes a message, never a TypeError.
function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === undefined) return '';
  try {
    return typeof message === 'symbol' ? message.toString() : String(message);
  } catch {
    return Object.prototype.toString.call(message);
  }
}

/** A wrong argument type, a missing argument or an unknown option value. */
export class ArgumentError extends TfcvError {
  override readonly code = 'ERR_TFCV_ARGUMENT';
}
/** Rank, dims or byte length do not match what is needed. */
export class ShapeError extends TfcvError {
  override readonly code = 'ERR_TFCV_SHAPE';
}
/** A dtype is unsupported here or does not match. */
export class DTypeError extends TfcvError {
  override readonly code = 'ERR_TFCV_DTYPE';
}
/** Bytes that are not a decodable image. */
export class DecodeError extends TfcvError {
  override readonly code = 'ERR_TFCV_DECODE';
}
/** An object used after `dispose()` or after it was moved. */
export class DisposedError extends TfcvError {
  override readonly code = 'ERR_TFCV_DISPOSED';
}
/** A configured limit (pixels, memory) was exceeded. */
export class LimitError extends TfcvError {
  override readonly code = 'ERR_TFCV_LIMIT';
}
/** An in-place write on memory that another owner can see. */
export class ReadOnlyError extends TfcvError {
  override readonly code = 'ERR_TFCV_READ_ONLY';
}
/** A `share` / `move` could not be honoured and `fallback` was `'throw'`. */
export class ZeroCopyError extends TfcvError {
  override readonly code = 'ERR_TFCV_ZERO_COPY';
}
/** TensorFlow returned an error status; `tfCode` is its code name (`INVALID_ARGUMENT`, ...). */
export class TfError extends TfcvError {
  override readonly code = 'ERR_TFCV_TF';
  readonly tfCode: string = 'UNKNOWN';
}
/** OpenCV threw; `cvCode` and `func` are OpenCV's error code and function. */
export class CvError extends TfcvError {
  override readonly code = 'ERR_TFCV_CV';
  readonly cvCode: number = 0;
  readonly func: string = '';
}
/** A run was cancelled through its AbortSignal (also named like the DOM's AbortError). */
export class AbortError extends TfcvError {
  override readonly code = 'ERR_TFCV_ABORTED';
  constructor(message: string) {
    super(message);
    this.name = 'AbortError';
  }
}
/** A bounded queue is full (the batcher's `maxQueue`): shed the request or retry later. */
export class BusyError extends TfcvError {
  override readonly code = 'ERR_TFCV_BUSY';
}
/** Something that should never happen; please report it. */
export class InternalError extends TfcvError {
  override readonly code = 'ERR_TFCV_INTERNAL';
}

/** @internal The order of binding/common/errors.h ErrorKind. */
export const ERROR_KINDS = [
  ArgumentError,
  ShapeError,
  DTypeError,
  DecodeError,
  DisposedError,
  LimitError,
  ReadOnlyError,
  ZeroCopyError,
  TfError,
  CvError,
  InternalError,
  BusyError,
] as const;
