// Contour results and the measures of one contour (area, perimeter, bounding box,
// enclosing circle, moments). A contour is an Int32Array of x, y pairs (what
// findContours returns; a Float32Array of pairs is accepted too). The measures are
// synchronous: they are cheap and read the array in place.
import { ArgumentError } from './errors';
import type { Rect } from './mat';
import { native } from './binding';
import { optionKeys } from './option_keys';
import * as v from './validate';

/** Contour points: x0, y0, x1, y1, ... */
export type ContourPoints = Int32Array | Float32Array;

export interface Contours {
  /** One Int32Array of x, y pairs per contour. */
  contours: Int32Array[];
  /**
   * OpenCV's hierarchy, 4 numbers per contour: next, previous, first child, parent (-1:
   * none). For contour i: hierarchy.subarray(4 * i, 4 * i + 4).
   */
  hierarchy: Int32Array;
}

export interface Circle {
  x: number;
  y: number;
  radius: number;
}

/** Spatial (m..), central (mu..) and normalised central (nu..) moments, as cv::Moments names them. */
export interface Moments {
  m00: number;
  m10: number;
  m01: number;
  m20: number;
  m11: number;
  m02: number;
  m30: number;
  m21: number;
  m12: number;
  m03: number;
  mu20: number;
  mu11: number;
  mu02: number;
  mu30: number;
  mu21: number;
  mu12: number;
  mu03: number;
  nu20: number;
  nu11: number;
  nu02: number;
  nu30: number;
  nu21: number;
  nu12: number;
  nu03: number;
}

function points(value: unknown, name = 'points'): ContourPoints {
  if (!(value instanceof Int32Array) && !(value instanceof Float32Array)) {
    throw new ArgumentError(`${name}: expected an Int32Array or Float32Array of x, y pairs, got ${v.describe(value)}`);
  }
  if (value.length % 2 !== 0)
    throw new ArgumentError(`${name}: expected x, y pairs (an even length), got ${value.length} numbers`);
  return value;
}

function nonEmpty(value: unknown, name = 'points'): ContourPoints {
  const p = points(value, name);
  if (p.length === 0) throw new ArgumentError(`${name}: expected at least one point, got none`);
  return p;
}

export interface ContourAreaOptions {
  /** Signed by orientation. Default false. */
  oriented?: boolean;
}

export interface ArcLengthOptions {
  /** A closed polygon (default true) or an open polyline. */
  closed?: boolean;
}

const AREA_KEYS = optionKeys<ContourAreaOptions>('contourArea', { oriented: true });
const ARC_KEYS = optionKeys<ArcLengthOptions>('arcLength', { closed: true });

/** cv::contourArea: the polygon's area (signed by orientation when `oriented`). */
export function contourArea(contour: ContourPoints, options?: ContourAreaOptions): number {
  return native.contourArea(points(contour), v.optionsObject(options, AREA_KEYS).oriented === true);
}

/** cv::arcLength: the perimeter (closed, the default) or the polyline's length. */
export function arcLength(contour: ContourPoints, options?: ArcLengthOptions): number {
  return native.arcLength(points(contour), v.optionsObject(options, ARC_KEYS).closed !== false);
}

/** cv::boundingRect: the smallest upright rectangle holding every point. */
export function boundingRect(contour: ContourPoints): Rect {
  return native.boundingRect(nonEmpty(contour));
}

/** cv::minEnclosingCircle. */
export function minEnclosingCircle(contour: ContourPoints): Circle {
  return native.minEnclosingCircle(nonEmpty(contour));
}

/** cv::moments of the polygon. */
export function contourMoments(contour: ContourPoints): Moments {
  return native.contourMoments(points(contour));
}
