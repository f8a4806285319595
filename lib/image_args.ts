// Types and argument checks shared by the image operations (lib/ops/*, lib/contours.ts,
// lib/preprocess*.ts): sizes, points, colours, interpolation names. Messages name the
// argument, the expected and the actual value, before any native work.
import { ArgumentError } from './errors';
import type { Rect } from './mat';
import * as v from './validate';

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A pixel value: one number (used for every channel) or one number per channel (up to 4, in the Mat's channel order). */
export type Color = number | readonly number[];

/** OpenCV's interpolations: INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_AREA, INTER_LANCZOS4, INTER_LINEAR_EXACT, INTER_NEAREST_EXACT. */
export type Interpolation = 'nearest' | 'linear' | 'cubic' | 'area' | 'lanczos4' | 'linear-exact' | 'nearest-exact';

export const INTERPOLATIONS: readonly Interpolation[] = [
  'nearest',
  'linear',
  'cubic',
  'area',
  'lanczos4',
  'linear-exact',
  'nearest-exact',
];

/** 4- or 8-connected lines, or anti-aliased ('aa'). */
export type LineType = 4 | 8 | 'aa';

/** What an in-place write does when another owner sees the memory: 'throw' (ReadOnlyError) or 'copy' first. */
export type OnShared = 'throw' | 'copy';

const MAX_DIM = 2 ** 31 - 1;

function object(value: unknown, name: string, shape: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArgumentError(`${name}: expected ${shape}, got ${v.describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function size(value: unknown, name: string): Size {
  const o = object(value, name, '{ width, height }');
  return {
    width: v.integer(o.width, `${name}.width`, 1, MAX_DIM),
    height: v.integer(o.height, `${name}.height`, 1, MAX_DIM),
  };
}

export function point(value: unknown, name: string): Point {
  const o = object(value, name, '{ x, y }');
  return { x: v.integer(o.x, `${name}.x`, -(2 ** 24), 2 ** 24), y: v.integer(o.y, `${name}.y`, -(2 ** 24), 2 ** 24) };
}

export function rect(value: unknown, name: string): Rect {
  const o = object(value, name, '{ x, y, width, height }');
  return {
    x: v.integer(o.x, `${name}.x`, -(2 ** 30), 2 ** 30),
    y: v.integer(o.y, `${name}.y`, -(2 ** 30), 2 ** 30),
    width: v.integer(o.width, `${name}.width`, 1, 2 ** 30 - 1),
    height: v.integer(o.height, `${name}.height`, 1, 2 ** 30 - 1),
  };
}

/** A Color as the 1..4 numbers native code takes; a single number fills all four. */
export function color(value: unknown, name: string): number[] {
  if (typeof value === 'number') return [v.finiteNumber(value, name), value, value, value];
  if (!Array.isArray(value) || value.length < 1 || value.length > 4) {
    throw new ArgumentError(`${name}: expected a number or 1..4 numbers, got ${v.describe(value)}`);
  }
  return v.arrayItems(value, name, 4).map((x, i) => v.finiteNumber(x, `${name}[${i}]`));
}

/** One number per channel: a single number is repeated `channels` times. */
export function perChannel(value: unknown, name: string, channels: number): number[] {
  if (typeof value === 'number') return new Array<number>(channels).fill(v.finiteNumber(value, name));
  if (!Array.isArray(value) || value.length !== channels) {
    throw new ArgumentError(
      `${name}: expected a number or ${channels} numbers (one per channel), got ${v.describe(value)}${Array.isArray(value) ? ` of ${value.length}` : ''}`,
    );
  }
  return v.arrayItems(value, name, channels).map((x, i) => v.finiteNumber(x, `${name}[${i}]`));
}

export function interpolation(value: unknown, name: string, fallback: Interpolation): Interpolation {
  return v.oneOf(value, INTERPOLATIONS, name, fallback);
}

export function lineType(value: unknown, name: string): number | 'aa' {
  if (value === undefined) return 8;
  if (value === 4 || value === 8 || value === 'aa') return value;
  throw new ArgumentError(`${name}: expected 4 | 8 | 'aa', got ${v.describe(value)}`);
}

export function thickness(value: unknown, name: string, allowFilled: boolean): number | 'filled' {
  if (value === undefined) return 1;
  if (allowFilled && value === 'filled') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000) return value;
  throw new ArgumentError(
    `${name}: expected an integer in 1..1000${allowFilled ? " or 'filled'" : ''}, got ${v.describe(value)}`,
  );
}

export function onShared(value: unknown, name: string): OnShared {
  return v.oneOf(value, ['throw', 'copy'] as const, name, 'throw');
}
