// The raw binding's image entry points (binding/cv/*_ops.cc, encode_op.cc, contours.cc,
// draw_ops.cc, bridge/preprocess_api.cc), typed apart from NativeBinding so that the
// image pipeline and the model runtime can grow without editing one shared interface.
// Every operation `x` has a synchronous `x` and an asynchronous `xAsync` twin.
import { NativeMat, NativeTensor, native } from './native';

type Twin<Args extends unknown[], R> = { sync: (...args: Args) => R; async: (...args: Args) => Promise<R> };
type Ops<T> = {
  [K in keyof T & string]: T[K] extends Twin<infer A, infer R> ? (...args: A) => R : never;
} & {
  [K in keyof T & string as `${K}Async`]: T[K] extends Twin<infer A, infer R> ? (...args: A) => Promise<R> : never;
};

/** @internal */
export interface NativeSize {
  width: number;
  height: number;
}

/** @internal */
export interface NativeRect extends NativeSize {
  x: number;
  y: number;
}

/** @internal */
export interface NativeContours {
  contours: Int32Array[];
  hierarchy: Int32Array;
}

/** @internal */
export interface NativePreprocessSpec {
  width: number;
  height: number;
  resize: string;
  interpolation: string;
  channels: number;
  channelOrder: string;
  dtype: string;
  scale: number;
  mean: number[];
  std: number[];
  fill: number[];
  layout: string;
  decodeScale: string;
  maxPixels: number;
  /** evaluate() only (float32): y = float(pixel) / divisor, Python's `image / 255`, instead of scale / mean / std. */
  divisor?: number;
  /** evaluate() only: the interpolation for images the fit shrinks (default: `interpolation` for all). */
  shrinkInterpolation?: string;
}

type M = NativeMat;

/** @internal */
export type NativeImageBinding = Ops<{
  encode: Twin<[M, string, number | undefined, number | undefined], Buffer>;
  resize: Twin<[M, NativeSize | null, number, number, string], M>;
  crop: Twin<[M, NativeRect], M>;
  pad: Twin<[M, { top: number; bottom: number; left: number; right: number }, string, number[]], M>;
  letterbox: Twin<[M, NativeSize, number[], string], M>;
  flip: Twin<[M, string], M>;
  rotate: Twin<[M, number], M>;
  cvtColor: Twin<[M, string], M>;
  convertTo: Twin<[M, string, number[], number[], boolean], M>;
  normalize: Twin<[M, string, number, number, string | undefined], M>;
  threshold: Twin<[M, number, number, string], M>;
  inRange: Twin<[M, number[], number[]], M>;
  findContours: Twin<[M, string, string], NativeContours>;
  countNonZero: Twin<[M], number>;
  mean: Twin<[M, M | undefined], number[]>;
  moments: Twin<[M, boolean], Record<string, number>>;
  addWeighted: Twin<[M, number, M, number, number, string | undefined], M>;
  preprocess: Twin<[Array<ArrayBufferView | ArrayBuffer | M>, NativePreprocessSpec], NativeTensor>;
  preprocessRows: Twin<
    [Array<ArrayBufferView | ArrayBuffer | M>, NativePreprocessSpec, number],
    { tensor: NativeTensor; failures: Array<Error | null> }
  >;
}> & {
  letterboxGeometry(srcW: number, srcH: number, dstW: number, dstH: number): NativeRect & { scale: number };
  centerCropRect(srcW: number, srcH: number, dstW: number, dstH: number): NativeRect;
  contourArea(points: Int32Array | Float32Array, oriented: boolean): number;
  arcLength(points: Int32Array | Float32Array, closed: boolean): number;
  boundingRect(points: Int32Array | Float32Array): NativeRect;
  minEnclosingCircle(points: Int32Array | Float32Array): { x: number; y: number; radius: number };
  contourMoments(points: Int32Array | Float32Array): Record<string, number>;
  rectangle(
    mat: M,
    rect: NativeRect,
    color: number[],
    thickness: number | 'filled',
    lineType: number | 'aa',
    onShared: string,
  ): void;
  circle(
    mat: M,
    center: { x: number; y: number },
    radius: number,
    color: number[],
    thickness: number | 'filled',
    lineType: number | 'aa',
    onShared: string,
  ): void;
  line(
    mat: M,
    from: { x: number; y: number },
    to: { x: number; y: number },
    color: number[],
    thickness: number,
    lineType: number | 'aa',
    onShared: string,
  ): void;
  drawContours(
    mat: M,
    contours: Int32Array[],
    index: number,
    color: number[],
    thickness: number | 'filled',
    lineType: number | 'aa',
    onShared: string,
  ): void;
  putText(
    mat: M,
    text: string,
    origin: { x: number; y: number },
    font: string,
    fontScale: number,
    color: number[],
    thickness: number,
    lineType: number | 'aa',
    onShared: string,
  ): void;
  matDecode(data: ArrayBufferView | ArrayBuffer, flags: string, maxPixels?: number, reduce?: number): M;
  matDecodeAsync(data: ArrayBufferView | ArrayBuffer, flags: string, maxPixels?: number, reduce?: number): Promise<M>;
};

/** @internal The same loaded binding, seen through its image entry points. */
export const nativeImage = native as unknown as NativeImageBinding;
