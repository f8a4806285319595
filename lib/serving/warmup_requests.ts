// TF Serving's warm-up file: <version>/assets.extra/tf_serving_warmup_requests, a TFRecord of
// PredictionLog records. Each predict_log request is replayed on the new version before it
// takes traffic. Other record kinds (classify, regress, multi-inference, session-run) are
// refused by name: the version then fails to load rather than warming up half-way.
import fs from 'node:fs';
import path from 'node:path';
import { ArgumentError } from '../errors';
import { MAX_FILE_BYTES, regularFileProblem } from '../files';
import * as v from '../validate';
import { HostTensor } from './host_tensor';
import { PredictionLog } from './serving_protos';
import { hostFromTensorProto } from './tensor_proto';
import { readTfRecords } from './tfrecord';
import { ServingError } from './serving_error';

export const WARMUP_FILE = path.join('assets.extra', 'tf_serving_warmup_requests');
/** TF Serving's own cap on warm-up records. */
export const MAX_WARMUP_RECORDS = 1000;

export interface WarmupRequest {
  signatureName: string;
  inputs: Record<string, HostTensor>;
  outputFilter: string[];
}

/** Reads the warm-up requests of a version directory; [] when it has no warm-up file. */
export function readWarmupRequests(versionDir: string): WarmupRequest[] {
  if (typeof versionDir !== 'string' || versionDir.length === 0)
    throw new ArgumentError(`versionDir: expected a SavedModel version directory path, got ${v.describe(versionDir)}`);
  const file = path.join(versionDir, WARMUP_FILE);
  if (!fs.existsSync(file)) return [];
  const problem = regularFileProblem(file, MAX_FILE_BYTES);
  if (problem !== null) throw new ServingError('FAILED_PRECONDITION', `${WARMUP_FILE} is ${problem}`);
  const records = readTfRecords(fs.readFileSync(file), WARMUP_FILE, MAX_WARMUP_RECORDS);
  return records.map((bytes, i) => decodeWarmupRecord(bytes, `${WARMUP_FILE} record ${i}`));
}

export function decodeWarmupRecord(bytes: Uint8Array, what: string): WarmupRequest {
  let log: Record<string, unknown>;
  try {
    log = PredictionLog.toObject(PredictionLog.decode(bytes), { longs: String, bytes: Buffer, defaults: false });
  } catch (error) {
    throw new ServingError('INVALID_ARGUMENT', `${what}: not a PredictionLog (${(error as Error).message})`);
  }
  for (const kind of ['classify_log', 'regress_log', 'multi_inference_log', 'session_run_log'])
    if (log[kind] !== undefined)
      throw new ServingError('UNIMPLEMENTED', `${what}: ${kind} warm-up records are not supported (predict_log only)`);
  const request = (log.predict_log as { request?: Record<string, unknown> } | undefined)?.request;
  if (request === undefined) throw new ServingError('INVALID_ARGUMENT', `${what}: no predict_log request`);
  const spec = (request.model_spec ?? {}) as { signature_name?: string };
  const inputs: Record<string, HostTensor> = {};
  for (const [key, raw] of Object.entries((request.inputs ?? {}) as Record<string, object>))
    inputs[key] = hostFromTensorProto(raw, `${what} input '${key}'`);
  return {
    signatureName: spec.signature_name ?? '',
    inputs,
    outputFilter: (request.output_filter as string[] | undefined) ?? [],
  };
}
