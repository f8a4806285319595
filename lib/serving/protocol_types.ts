// The framework-free shape of a request and its answer: every protocol is a function from
// one to the other, so node:http, Express, Fastify (or a test) adapt with a few lines.
import {
  AbortError,
  ArgumentError,
  BusyError,
  DecodeError,
  DTypeError,
  DisposedError,
  LimitError,
  ShapeError,
  TfError,
} from '../errors';
import { HTTP_STATUS, ServingError, ServingStatus } from './serving_error';

export interface ServingRequest {
  method: string;
  /** Path and query, e.g. '/v1/models/resnet:predict'. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The whole body (empty for GET). */
  body: Buffer;
  /** Aborts the model work when the client goes away. */
  signal?: AbortSignal;
  /** Deadline of the model work, ms (DEADLINE_EXCEEDED: 504). */
  timeoutMs?: number;
}

export interface ServingResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export const JSON_TYPE = 'application/json';

export function jsonResponse(
  status: number,
  body: string | object,
  headers: Record<string, string> = {},
): ServingResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** The canonical status of any error the serving path can meet. */
export function canonicalStatus(error: unknown): ServingStatus {
  if (error instanceof ServingError) return error.status;
  if (error instanceof AbortError) return 'CANCELLED';
  if (error instanceof BusyError) return 'UNAVAILABLE';
  if (error instanceof DisposedError) return 'UNAVAILABLE';
  if (error instanceof TfError) {
    const code = error.tfCode;
    if (code === 'OUT_OF_RANGE') return 'INVALID_ARGUMENT';
    return Object.hasOwn(HTTP_STATUS, code) ? (code as ServingStatus) : 'INTERNAL';
  }
  if (
    error instanceof ArgumentError ||
    error instanceof ShapeError ||
    error instanceof DTypeError ||
    error instanceof DecodeError ||
    error instanceof LimitError
  )
    return 'INVALID_ARGUMENT';
  return 'INTERNAL';
}

/** `{"error": message}` with the HTTP status of the error's canonical code (TF Serving's and KServe's error body). */
export function errorResponse(error: unknown): ServingResponse {
  const status = canonicalStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  const headers: Record<string, string> = status === 'UNAVAILABLE' ? { 'retry-after': '1' } : {};
  return jsonResponse(HTTP_STATUS[status], { error: message }, headers);
}

/** One header's value (first of a repeated one), lower-case name. */
export function header(req: ServingRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
