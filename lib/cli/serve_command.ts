// `tfcv serve`: TF Serving's model server command line over the in-process serving layer.
// It takes TF Serving's own flags (--rest_api_port, --model_name, --model_base_path,
// --model_config_file, --file_system_poll_wait_seconds, ...), so a deployment can switch
// binaries without rewriting its arguments, and serves TF Serving REST, KServe v2, the image
// endpoints and Prometheus metrics on one port. It prints one JSON line per event
// (listening, ready, version changes, stopping) and drains on SIGTERM / SIGINT.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ModelRepository, ModelConfig } from '../serving/repository';
import { createServingHandler } from '../serving/serving_handler';
import { parseModelConfigText } from '../serving/model_config_text';
import type { ModelVersion } from '../serving/model_version';
import { CliError, EXIT_OK, usageError } from './cli_error';
import { CliIo } from './io';

export interface ServeCommandOptions {
  rest_api_port: number;
  rest_api_host: string;
  port?: number;
  model_name?: string;
  model_base_path?: string;
  model_config_file?: string;
  file_system_poll_wait_seconds: number;
  rest_api_timeout_in_ms?: number;
  tensorflow_intra_op_parallelism?: number;
  tensorflow_inter_op_parallelism?: number;
  max_batch_size?: number;
  allowed_batch_sizes?: string;
  batch_timeout_micros?: number;
  memory_budget_bytes?: number;
  on_evicted: 'load' | 'reject';
  max_body_bytes?: number;
  image_scale: 'unit' | 'symmetric';
  drain_timeout_seconds: number;
}

/** What serve() started: the HTTP server, the repository, and a stop function. */
export interface RunningServer {
  server: http.Server;
  repository: ModelRepository;
  port: number;
  stop(): Promise<void>;
}

function modelConfigs(o: ServeCommandOptions, io: CliIo): ModelConfig[] {
  const image = o.image_scale === 'symmetric' ? { scale: 2 / 255, mean: 1 } : { scale: 1 / 255 };
  if (o.model_config_file !== undefined) {
    if (o.model_base_path !== undefined || o.model_name !== undefined)
      throw usageError(
        '--model_config_file and --model_name / --model_base_path exclude each other (as in TF Serving)',
      );
    const file = path.resolve(io.cwd, o.model_config_file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw usageError(`--model_config_file: cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      return parseModelConfigText(text, o.model_config_file).map((c) => ({
        ...c,
        basePath: path.resolve(io.cwd, c.basePath),
        image,
      }));
    } catch (error) {
      throw usageError((error as Error).message);
    }
  }
  if (o.model_base_path === undefined)
    throw usageError('give --model_base_path (with --model_name, default "default") or --model_config_file');
  return [{ name: o.model_name ?? 'default', basePath: path.resolve(io.cwd, o.model_base_path), image }];
}

/** Starts the server (resolves once listening; models keep loading, readiness follows). */
export async function startServer(o: ServeCommandOptions, io: CliIo): Promise<RunningServer> {
  const log = (event: object) => io.stdout.write(`${JSON.stringify(event)}\n`);
  if (o.port !== undefined)
    io.stderr.write(`tfcv serve: --port ${o.port} (gRPC) is not served; REST on --rest_api_port only\n`);
  const models = modelConfigs(o, io);
  const allowed = o.allowed_batch_sizes?.split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw usageError(`--allowed_batch_sizes: '${s}' is not a positive integer`);
    return n;
  });
  let repository: ModelRepository;
  try {
    repository = new ModelRepository({
      models,
      pollIntervalMs: Math.round(o.file_system_poll_wait_seconds * 1000),
      memoryBudgetBytes: o.memory_budget_bytes,
      onEvicted: o.on_evicted,
      drainTimeoutMs: Math.round(o.drain_timeout_seconds * 1000),
      batcher: {
        maxBatchSize: o.max_batch_size ?? allowed?.[allowed.length - 1],
        allowedBatchSizes: allowed,
        maxDelayMs: o.batch_timeout_micros === undefined ? undefined : o.batch_timeout_micros / 1000,
      },
      load: {
        intraOpThreads: o.tensorflow_intra_op_parallelism || undefined,
        interOpThreads: o.tensorflow_inter_op_parallelism || undefined,
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  repository.on('version', (mv: ModelVersion) =>
    log({
      event: 'version',
      model: mv.name,
      version: mv.version,
      state: mv.state,
      ...(mv.error ? { error: mv.error.message } : {}),
    }),
  );
  repository.on('error', (error: Error) => log({ event: 'error', error: error.message }));
  const handler = createServingHandler(repository, {
    maxBodyBytes: o.max_body_bytes,
    runTimeoutMs: o.rest_api_timeout_in_ms,
  });
  const server = http.createServer(
    { headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 5_000 },
    handler.node,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new CliError(`--rest_api_port ${o.rest_api_port}: ${e.message}`)));
    server.listen(o.rest_api_port, o.rest_api_host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  log({ event: 'listening', host: o.rest_api_host, port });
  const started = repository.start().then((report) => {
    log({ event: repository.ready() ? 'ready' : 'not-ready', ...report });
  });
  started.catch((e: Error) => log({ event: 'error', error: e.message }));
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      log({ event: 'stopping' });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await started.catch(() => {});
      await repository.close();
      server.closeAllConnections();
      await closed;
      log({ event: 'stopped' });
    })();
    return stopping;
  };
  return { server, repository, port, stop };
}

/** The command: serves until SIGTERM / SIGINT, then drains and exits 0. */
export async function serveCommand(o: ServeCommandOptions, io: CliIo): Promise<number> {
  const running = await startServer(o, io);
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      running.stop().then(resolve, resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  return EXIT_OK;
}
