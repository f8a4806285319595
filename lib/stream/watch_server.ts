// The server behind `tfcv watch`: runs a pipeline, draws each result on its frame and
// serves, on one local port, the live page (/), the annotated stream as MJPEG
// (/stream.mjpg), JSON events per frame and stats (/events, server-sent), stats as JSON
// (/stats) and Prometheus metrics (/metrics). Unknown paths get 404, other methods 405.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import '../ops/codec';
import { annotate } from './annotate';
import type { Detections } from './detector';
import { EventSink } from './event_sink';
import type { Inspection } from './inspector';
import { MjpegSink } from './mjpeg_sink';
import type { StreamPipeline } from './pipeline';
import { pipelineMetrics } from './prometheus';
import { watchPage } from './watch_page';
import { VideoWriter } from './video_writer';

export interface WatchServerOptions {
  host: string;
  port: number;
  title: string;
  classNames?: readonly string[];
  /** Also write the annotated frames to this video file (opened at the first frame's size). */
  save?: string;
  /** Stop after this many results (0: until the source ends or stop()). */
  maxResults?: number;
  /** Called per result after drawing (the CLI prints progress). */
  onResult?: (processed: number) => void;
}

export interface WatchServer {
  url: string;
  /** Settles when the pipeline ended (source end, maxResults, stop() or an error, which it rejects with). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWatchServer(
  pipeline: StreamPipeline<Detections | Inspection>,
  options: WatchServerOptions,
): Promise<WatchServer> {
  const mjpeg = new MjpegSink();
  const events = new EventSink();
  const registry = pipelineMetrics(pipeline as StreamPipeline<unknown>);
  const page = watchPage(options.title);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    else if (path === '/stream.mjpg') mjpeg.handle(req, res);
    else if (path === '/events') events.handle(req, res);
    else if (path === '/stats')
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(pipeline.stats()));
    else if (path === '/metrics')
      registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        (error: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${error.message}\n`),
      );
    else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;

  const statsTimer = setInterval(() => events.send('stats', pipeline.stats()), 250);
  statsTimer.unref();
  let stopping = false;
  let writer: VideoWriter | undefined;
  const pipelineFps = () => {
    const nominal = Object.values(pipeline.stats().sources)[0]?.source.nominalFps ?? 0;
    return nominal > 0 ? nominal : 30;
  };
  const loop = async () => {
    let n = 0;
    for await (const r of pipeline) {
      const s = pipeline.stats();
      const status = `${s.fps.toFixed(1)} fps  p99 ${s.recentLatencyMs.p99.toFixed(0)} ms`;
      annotate(r.frame.mat, r.value, { classNames: options.classNames, status });
      if (options.save !== undefined) {
        writer ??= new VideoWriter(options.save, {
          width: r.frame.mat.cols,
          height: r.frame.mat.rows,
          fps: pipelineFps(),
        });
        await writer.write(r.frame.mat);
      }
      if (mjpeg.stats().clients > 0) mjpeg.push(await r.frame.mat.encode('jpeg', { quality: 85 }));
      events.send('frame', {
        source: r.source,
        index: r.frame.index,
        pts: r.frame.pts,
        latencyMs: r.latencyMs,
        counts: r.value.counts as Record<string, number>,
        ...('parts' in r.value
          ? {
              pass: r.value.pass,
              parts: r.value.parts.map((p) => ({
                box: p.box,
                area: p.area,
                circularity: p.circularity,
                mean: p.mean,
                pass: p.pass,
                failed: p.failed,
              })),
            }
          : {
              boxes: Array.from(r.value.boxes),
              classes: Array.from(r.value.classes),
              scores: Array.from(r.value.scores),
            }),
      });
      n++;
      options.onResult?.(n);
      if (stopping || (options.maxResults && n >= options.maxResults)) break;
    }
  };
  const finish = async () => {
    clearInterval(statsTimer);
    events.send('stats', pipeline.stats());
    mjpeg.close();
    events.close();
    try {
      await writer?.close();
    } finally {
      writer = undefined;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pipeline.close();
  };
  const done = loop().then(finish, async (error: unknown) => {
    await finish();
    throw error;
  });
  return {
    url,
    done,
    stop: async () => {
      stopping = true;
      await pipeline.close();
      await done.catch(() => undefined);
    },
  };
}
