// Session options (TensorFlow's ConfigProto) and per-run options (RunOptions), encoded with
// protobufjs for the C API. Defaults suit a server on a small machine: intra-op threads =
// the cores available (one large op uses them all), inter-op threads = up to 2 (concurrent
// runs overlap, instead of each run fanning out across independent ops).
import os from 'node:os';
import { ConfigProto, RunOptions } from './proto/tensorflow_subset';
import * as v from './validate';

export interface SessionOptions {
  /** Threads used inside one op (matmul, conv). Default: os.availableParallelism(). */
  intraOpThreads?: number;
  /** Independent ops run in parallel. Default: min(2, cores). */
  interOpThreads?: number;
  /** XLA JIT compilation of the graph (global_jit_level ON_1). Default false. */
  xla?: boolean;
}

export function encodeSessionOptions(options: SessionOptions): Buffer {
  const cores = os.availableParallelism();
  const intra = v.integer(options.intraOpThreads ?? cores, 'options.intraOpThreads', 1, 1024);
  const inter = v.integer(options.interOpThreads ?? Math.min(2, cores), 'options.interOpThreads', 1, 1024);
  const xla = v.optionalBoolean(options.xla, 'options.xla');
  const message = ConfigProto.fromObject({
    intra_op_parallelism_threads: intra,
    inter_op_parallelism_threads: inter,
    allow_soft_placement: true,
    graph_options: xla ? { optimizer_options: { global_jit_level: 1 } } : undefined,
  });
  return Buffer.from(ConfigProto.encode(message).finish());
}

export function encodeRunOptions(timeoutMs: number | undefined): Buffer | undefined {
  if (timeoutMs === undefined) return undefined;
  v.timeoutMs(timeoutMs, 'options.timeoutMs');
  return Buffer.from(RunOptions.encode(RunOptions.fromObject({ timeout_in_ms: timeoutMs })).finish());
}
