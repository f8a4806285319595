// Nested JSON values <-> HostTensors, shared by the TF Serving and KServe JSON bodies:
// shape from the nesting (ragged lists refused), each leaf checked against the dtype
// (numbers, booleans, strings or {"b64": ...}), and output tensors written back as nested
// lists straight into a string (float32 in its shortest round-trip form, NaN and Infinity as
// the bare tokens TF Serving emits).
import type { DType, NumericDType } from '../dtype';
import {
  HOST_ARRAYS,
  HostTensor,
  MAX_REQUEST_ELEMENTS,
  MAX_REQUEST_RANK,
  checkShape,
  elementCount,
} from './host_tensor';
import { ServingError } from './serving_error';

const NON_FINITE = /(?:-?Infinity|NaN)/;

/** JSON.parse, also accepting NaN / Infinity / -Infinity tokens (TF Serving's JSON conformance). */
export function parseJson(text: string, what = 'request body'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (NON_FINITE.test(text)) {
      try {
        return JSON.parse(replaceNonFinite(text), (_k, value: unknown) =>
          typeof value === 'object' && value !== null && '$tfcv_nf' in value
            ? Number((value as { $tfcv_nf: string }).$tfcv_nf)
            : value,
        );
      } catch {
        // fall through to the original message
      }
    }
    throw new ServingError('INVALID_ARGUMENT', `JSON Parse error: ${(error as Error).message} (in the ${what})`);
  }
}

// Rewrites bare NaN / Infinity / -Infinity (outside strings) as {"$tfcv_nf": "..."}.
function replaceNonFinite(text: string): string {
  let out = '';
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token === undefined) {
      i++;
      continue;
    }
    out += text.slice(last, i) + `{"$tfcv_nf":"${token}"}`;
    i += token.length;
    last = i;
  }
  return out + text.slice(last);
}

export function isB64(value: unknown): value is { b64: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { b64?: unknown }).b64 === 'string' &&
    Object.keys(value).length === 1
  );
}

const B64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes {"b64": ...}; malformed base64 is INVALID_ARGUMENT, never silently truncated. */
export function decodeB64(value: { b64: string }, what: string): Buffer {
  const s = value.b64.replace(/\s+/g, '');
  if (!B64.test(s) || s.replace(/=+$/, '').length % 4 === 1)
    throw new ServingError('INVALID_ARGUMENT', `${what}: Unable to base64 decode (not valid base64)`);
  return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
}

/** The shape of a nested list (a scalar: []); ragged nesting is INVALID_ARGUMENT. */
export function shapeOf(value: unknown, what: string): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (shape.length > MAX_REQUEST_RANK) break; // checkShape refuses it
    if (v.length === 0) break;
    v = v[0];
  }
  checkShape(shape, what);
  return shape;
}

/** Flattens a nested list of `shape` into a HostTensor of `dtype`, checking every leaf. */
export function hostFromJson(value: unknown, dtype: DType, shape: number[], what: string): HostTensor {
  const count = elementCount(shape);
  if (count > MAX_REQUEST_ELEMENTS)
    throw new ServingError('INVALID_ARGUMENT', `${what}: more than ${MAX_REQUEST_ELEMENTS} elements`);
  const leaves: unknown[] = [];
  flatten(value, shape, 0, leaves, what);
  return hostFromLeaves(leaves, dtype, shape, what);
}

export function hostFromLeaves(leaves: readonly unknown[], dtype: DType, shape: number[], what: string): HostTensor {
  const count = leaves.length;
  if (dtype === 'string') {
    const data = leaves.map((x, i) => {
      if (typeof x === 'string') return Buffer.from(x, 'utf8');
      if (isB64(x)) return decodeB64(x, what);
      throw leafError(what, i, x, 'a string or {"b64": ...}');
    });
    return { dtype, shape, data };
  }
  const data = new HOST_ARRAYS[dtype as NumericDType](count);
  if (dtype === 'bool') {
    for (let i = 0; i < count; i++) {
      const x = leaves[i];
      if (typeof x !== 'boolean') throw leafError(what, i, x, 'true or false');
      data[i] = x ? 1 : 0;
    }
  } else if (dtype === 'int64' || dtype === 'uint64') {
    const arr = data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < count; i++) {
      const x = leaves[i];
      if (typeof x !== 'number' || !Number.isInteger(x)) throw leafError(what, i, x, 'an integer');
      if (dtype === 'uint64' && x < 0) throw leafError(what, i, x, 'a non-negative integer');
      arr[i] = BigInt(x);
    }
  } else if (dtype === 'float32' || dtype === 'float64') {
    const arr = data as Float32Array | Float64Array;
    for (let i = 0; i < count; i++) {
      const x = leaves[i];
      if (typeof x !== 'number') throw leafError(what, i, x, 'a number');
      arr[i] = x;
    }
  } else if (dtype === 'float16') {
    throw new ServingError('INVALID_ARGUMENT', `${what}: float16 cannot be sent as JSON numbers; use binary data`);
  } else {
    const [lo, hi] = INT_RANGE[dtype as keyof typeof INT_RANGE];
    const arr = data as Int32Array;
    for (let i = 0; i < count; i++) {
      const x = leaves[i];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi)
        throw leafError(what, i, x, `an integer in ${lo}..${hi} (${dtype})`);
      arr[i] = x;
    }
  }
  return { dtype, shape, data };
}

const INT_RANGE = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
} as const;

function leafError(what: string, i: number, x: unknown, expected: string): ServingError {
  const shown = typeof x === 'object' ? JSON.stringify(x)?.slice(0, 40) : String(x).slice(0, 40);
  return new ServingError('INVALID_ARGUMENT', `${what}: element ${i} is ${shown}, expected ${expected}`);
}

function flatten(value: unknown, shape: number[], depth: number, out: unknown[], what: string): void {
  if (depth === shape.length) {
    if (Array.isArray(value))
      throw new ServingError('INVALID_ARGUMENT', `${what}: lists nested deeper here than elsewhere (ragged)`);
    out.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth])
    throw new ServingError(
      'INVALID_ARGUMENT',
      `${what}: ragged nested list: expected ${shape[depth]} items at depth ${depth}, got ${Array.isArray(value) ? value.length : 'a scalar'}`,
    );
  for (const item of value) flatten(item, shape, depth + 1, out, what);
}

/** A float32 in the shortest form that reads back to the same float32. */
export function formatFloat32(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  for (let p = 6; p < 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(Number(x.toPrecision(9)));
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  return String(x);
}

/** Writes elements [start, start + prod(shape)) of `t` as a nested JSON list (a scalar for shape []). */
export function jsonOf(t: HostTensor, start = 0, shape: readonly number[] = t.shape, b64Strings = false): string {
  const data = t.data;
  let leaf: (i: number) => string;
  if (t.dtype === 'string') {
    const bufs = data as Buffer[];
    leaf = b64Strings
      ? (i) => `{"b64":"${bufs[i]!.toString('base64')}"}`
      : (i) => JSON.stringify(bufs[i]!.toString('utf8'));
  } else if (t.dtype === 'bool') {
    const a = data as Uint8Array;
    leaf = (i) => (a[i] ? 'true' : 'false');
  } else if (t.dtype === 'float32') {
    const a = data as Float32Array;
    leaf = (i) => formatFloat32(a[i]!);
  } else if (t.dtype === 'float16') {
    const a = data as Uint16Array;
    leaf = (i) => formatNumber(halfToFloat(a[i]!));
  } else {
    if (t.dtype === 'int64' || t.dtype === 'uint64') {
      const a = data as BigInt64Array | BigUint64Array;
      leaf = (i) => String(a[i]!);
    } else {
      const a = data as Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
      leaf = (i) => formatNumber(a[i]!);
    }
  }
  const parts: string[] = [];
  const write = (offset: number, depth: number): number => {
    if (depth === shape.length) {
      parts.push(leaf(offset));
      return offset + 1;
    }
    parts.push('[');
    for (let k = 0; k < shape[depth]!; k++) {
      if (k > 0) parts.push(',');
      offset = write(offset, depth + 1);
    }
    parts.push(']');
    return offset;
  };
  write(start, 0);
  return parts.join('');
}

/** Flat JSON list of all elements (KServe's `data`). */
export function flatJsonOf(t: HostTensor): string {
  return jsonOf(t, 0, [elementCount(t.shape)]);
}

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}
