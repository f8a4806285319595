// Measurements over a Mat, off the event loop with synchronous twins: findContours,
// countNonZero, mean (optionally under a mask) and image moments.
import { withCallerStack } from '../async_stack';
import type { Contours, Moments } from '../contours';
import { Mat, matHandle } from '../mat';
import type { MatDType } from '../dtype';
import { native } from '../binding';
import { optionKeys } from '../option_keys';
import * as v from '../validate';

/** 'external': outer contours only; 'list': all, no hierarchy; 'ccomp': two levels; 'tree': the full nesting. */
export type ContourMode = 'external' | 'list' | 'ccomp' | 'tree';
/** 'simple' (default) keeps only the end points of straight runs; 'none' keeps every boundary pixel. */
export type ContourMethod = 'none' | 'simple' | 'tc89-l1' | 'tc89-kcos';

export interface FindContoursOptions {
  /** Default 'external'. */
  mode?: ContourMode;
  /** Default 'simple'. */
  method?: ContourMethod;
}

export interface MomentsOptions {
  /** Every non-zero pixel counts as 1. Default false. */
  binary?: boolean;
}

export interface MeanOptions {
  /** A 1-channel uint8 Mat of the same size: only pixels where it is non-zero count. */
  mask?: Mat;
}

declare module '../mat' {
  // Declaration merging needs the same type parameters as Mat's own declaration, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Mat<D extends MatDType = MatDType> {
    /** cv::findContours on a 1-channel uint8 Mat (non-zero pixels are foreground). The Mat is not modified. */
    findContours(options?: FindContoursOptions): Promise<Contours>;
    /** Synchronous twin of findContours(). */
    findContoursSync(options?: FindContoursOptions): Contours;
    /** Non-zero pixels of a 1-channel Mat. */
    countNonZero(): Promise<number>;
    /** Synchronous twin of countNonZero(). */
    countNonZeroSync(): number;
    /** The mean of each channel. */
    mean(options?: MeanOptions): Promise<number[]>;
    /** Synchronous twin of mean(). */
    meanSync(options?: MeanOptions): number[];
    /** cv::moments of a 1-channel Mat (`binary`: every non-zero pixel counts as 1). */
    moments(options?: MomentsOptions): Promise<Moments>;
    /** Synchronous twin of moments(). */
    momentsSync(options?: MomentsOptions): Moments;
  }
}

const FIND_CONTOURS_KEYS = optionKeys<FindContoursOptions>('Mat.findContours', { mode: true, method: true });
const MEAN_KEYS = optionKeys<MeanOptions>('Mat.mean', { mask: true });
const MOMENTS_KEYS = optionKeys<MomentsOptions>('Mat.moments', { binary: true });

function contourArgs(options: FindContoursOptions | undefined): [string, string] {
  const o = v.optionsObject(options, FIND_CONTOURS_KEYS);
  return [
    v.oneOf(o.mode, ['external', 'list', 'ccomp', 'tree'] as const, 'options.mode', 'external'),
    v.oneOf(o.method, ['none', 'simple', 'tc89-l1', 'tc89-kcos'] as const, 'options.method', 'simple'),
  ];
}

function maskArg(options: MeanOptions | undefined) {
  const mask = v.optionsObject(options, MEAN_KEYS).mask;
  return mask === undefined ? undefined : matHandle(mask, 'options.mask');
}

Mat.prototype.findContours = async function findContours(this: Mat, options?: FindContoursOptions): Promise<Contours> {
  const handle = matHandle(this);
  return withCallerStack(native.findContours(handle, ...contourArgs(options)));
};
Mat.prototype.findContoursSync = function findContoursSync(this: Mat, options?: FindContoursOptions): Contours {
  return native.findContoursSync(matHandle(this), ...contourArgs(options));
};

Mat.prototype.countNonZero = async function countNonZero(this: Mat): Promise<number> {
  return withCallerStack(native.countNonZero(matHandle(this)));
};
Mat.prototype.countNonZeroSync = function countNonZeroSync(this: Mat): number {
  return native.countNonZeroSync(matHandle(this));
};

Mat.prototype.mean = async function mean(this: Mat, options?: MeanOptions): Promise<number[]> {
  const handle = matHandle(this);
  return withCallerStack(native.mean(handle, maskArg(options)));
};
Mat.prototype.meanSync = function meanSync(this: Mat, options?: MeanOptions): number[] {
  return native.meanSync(matHandle(this), maskArg(options));
};

Mat.prototype.moments = async function moments(this: Mat, options?: MomentsOptions): Promise<Moments> {
  const handle = matHandle(this);
  const binary = v.optionsObject(options, MOMENTS_KEYS).binary === true;
  return withCallerStack(native.moments(handle, binary));
};
Mat.prototype.momentsSync = function momentsSync(this: Mat, options?: MomentsOptions): Moments {
  return native.momentsSync(matHandle(this), v.optionsObject(options, MOMENTS_KEYS).binary === true);
};
