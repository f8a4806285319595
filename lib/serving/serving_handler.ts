// The serving protocols behind one request handler: TF Serving REST (/v1/models/...), the
// image endpoints (/v1/models/.../image), KServe v2 (/v2/...) and Prometheus metrics
// (/metrics, and TF Serving's /monitoring/prometheus/metrics). `handle()` maps a plain
// request to a plain answer (any framework adapts it); `node` is the (req, res) handler for
// node:http and Express; Fastify can call `node(request.raw, reply.raw)` after
// reply.hijack(), or `handle()` with the body it parsed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { optionKeys } from '../option_keys';
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { ImageTaskOptions, handleImage, matchImage } from './image_route';
import { handleV2, matchV2 } from './kserve_v2';
import type { ModelVersion } from './model_version';
import { ServingRequest, ServingResponse, errorResponse, jsonResponse } from './protocol_types';
import { BodyError, readBody } from './read_body';
import { ModelRepository } from './repository';
import { ServingMetrics, createServingMetrics } from './serving_metrics';
import { handleTfServing, matchTfServing } from './tfserving_rest';

export interface ServingHandlerOptions {
  /** Largest request body, bytes (413 beyond). Default 64 MiB. */
  maxBodyBytes?: number;
  /** The whole body must arrive within this, ms (408). Default 30000. */
  bodyTimeoutMs?: number;
  /** Serve Prometheus metrics (a registry of its own, or false). Default true. */
  metrics?: boolean;
  /** Deadline of each request's model work, ms (504 beyond). Default none. */
  runTimeoutMs?: number;
  /** How the image endpoint reads each model's outputs, by model name. */
  imageTasks?: Record<string, ImageTaskOptions>;
}

export interface ServingHandler {
  /** Answers one request (never rejects: failures become the protocol's error answer). */
  handle(req: ServingRequest): Promise<ServingResponse>;
  /** (req, res) handler for node:http and Express; reads the body itself. */
  node(req: IncomingMessage, res: ServerResponse): void;
  /** The metrics (null with metrics: false). */
  readonly metrics: ServingMetrics | null;
}

const KEYS = optionKeys<ServingHandlerOptions>('createServingHandler', {
  maxBodyBytes: true,
  bodyTimeoutMs: true,
  metrics: true,
  imageTasks: true,
  runTimeoutMs: true,
});

export function createServingHandler(repo: ModelRepository, options?: ServingHandlerOptions): ServingHandler {
  if (!(repo instanceof ModelRepository))
    throw new ArgumentError(`repo: expected a ModelRepository, got ${v.describe(repo)}`);
  const o = v.optionsObject(options, KEYS);
  const maxBodyBytes = o.maxBodyBytes === undefined ? 64 << 20 : v.integer(o.maxBodyBytes, 'options.maxBodyBytes', 1);
  const bodyTimeoutMs = o.bodyTimeoutMs === undefined ? 30_000 : v.integer(o.bodyTimeoutMs, 'options.bodyTimeoutMs', 1);
  if (o.metrics !== undefined && typeof o.metrics !== 'boolean')
    throw new ArgumentError(`options.metrics: expected a boolean, got ${v.describe(o.metrics)}`);
  const imageTasks =
    o.imageTasks === undefined ? {} : v.recordObject<ImageTaskOptions>(o.imageTasks, 'options.imageTasks');
  const runTimeoutMs = o.runTimeoutMs === undefined ? undefined : v.integer(o.runTimeoutMs, 'options.runTimeoutMs', 1);
  const metrics = o.metrics === false ? null : createServingMetrics(repo);

  async function route(req: ServingRequest, seen: { version: ModelVersion | null; protocol: string; model: string }) {
    const q = req.url.indexOf('?');
    const path = q === -1 ? req.url : req.url.slice(0, q);
    const observe = (mv: ModelVersion) => {
      seen.version = mv;
    };
    const image = matchImage(path, q === -1 ? '' : req.url.slice(q + 1));
    if (image) {
      Object.assign(seen, { protocol: 'image', model: image.model });
      return handleImage(repo, image, req, imageTasks[image.model] ?? {}, observe);
    }
    const tf = matchTfServing(path);
    if (tf) {
      Object.assign(seen, { protocol: 'tfserving', model: tf.model });
      return handleTfServing(repo, tf, req, observe);
    }
    const v2 = matchV2(path);
    if (v2) {
      Object.assign(seen, { protocol: 'v2', model: v2.model ?? '' });
      return handleV2(repo, v2, req, observe);
    }
    if (metrics && req.method === 'GET' && (path === '/metrics' || path === '/monitoring/prometheus/metrics')) {
      const text = await metrics.registry.metrics();
      return { status: 200, headers: { 'content-type': metrics.registry.contentType }, body: text };
    }
    return jsonResponse(404, { error: `Malformed request: ${req.method} ${path.slice(0, 200)}` });
  }

  async function handle(req: ServingRequest): Promise<ServingResponse> {
    const started = performance.now();
    if (req.timeoutMs === undefined && runTimeoutMs !== undefined) req = { ...req, timeoutMs: runTimeoutMs };
    const seen = { version: null as ModelVersion | null, protocol: 'other', model: '' };
    let res: ServingResponse;
    try {
      res = await route(req, seen);
    } catch (error) {
      res = errorResponse(error);
    }
    if (metrics && seen.model !== '' && seen.protocol !== 'other')
      metrics.observe(
        {
          model: seen.model,
          version: seen.version ? String(seen.version.version) : '',
          protocol: seen.protocol,
          code: res.status,
        },
        (performance.now() - started) / 1000,
      );
    return res;
  }

  function send(res: ServerResponse, answer: ServingResponse) {
    if (res.headersSent || res.destroyed) return;
    const body = answer.body;
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  function node(req: IncomingMessage, res: ServerResponse): void {
    const gone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) gone.abort();
    };
    res.once('close', onClose);
    const bodyless = req.method === 'GET' || req.method === 'HEAD';
    const body = bodyless ? Promise.resolve(Buffer.alloc(0)) : readBody(req, maxBodyBytes, bodyTimeoutMs);
    body
      .then((bytes) =>
        handle({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body: bytes,
          signal: gone.signal,
        }),
      )
      .then(
        (answer) => send(res, answer),
        (error: unknown) => {
          if (error instanceof BodyError) {
            if (error.status === 499) return;
            // The rest of the body is not kept: the connection closes once the answer is out.
            // A body over the limit is drained (discarded) for up to 2 s so the client reads
            // the 413 instead of a reset; a body too slow (408) is cut at once.
            if (error.status === 413) {
              req.resume();
              const cut = setTimeout(() => req.destroy(), 2000);
              req.once('end', () => clearTimeout(cut));
              req.once('close', () => clearTimeout(cut));
              send(res, jsonResponse(error.status, { error: error.message }));
            } else {
              res.setHeader('connection', 'close');
              send(res, jsonResponse(error.status, { error: error.message }));
              res.once('finish', () => req.destroy());
            }
            return;
          }
          send(res, errorResponse(error));
        },
      )
      .finally(() => res.off('close', onClose));
  }

  return { handle, node, metrics };
}
