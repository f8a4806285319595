// JSON events per frame as server-sent events (text/event-stream): a browser's EventSource
// or `curl -N` reads them. Like the MJPEG sink, a client that has not taken the last events
// skips new ones rather than buffering without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import { refuseUnknownKey } from '../option_keys';
import { ArgumentError } from '../errors';
import * as v from '../validate';

export class EventSink {
  #clients = new Set<ServerResponse>();
  #sent = 0;
  #skipped = 0;
  #maxBuffered: number;
  #keepAlive: NodeJS.Timeout;

  /** maxBufferedBytes: a client with more unsent bytes than this skips the event. Default 256 KiB. */
  constructor(options: { maxBufferedBytes?: number } = {}) {
    markConstructed(this);
    const o = v.selfCheckedOptions(options, 'options');
    for (const key of Object.keys(o))
      if (key !== 'maxBufferedBytes') refuseUnknownKey(key, 'new EventSink', ['maxBufferedBytes'], 'options');
    this.#maxBuffered = v.integer(o.maxBufferedBytes ?? 1 << 18, 'options.maxBufferedBytes', 0);
    this.#keepAlive = setInterval(() => {
      for (const res of this.#clients) res.write(': keep-alive\n\n');
    }, 15000);
    this.#keepAlive.unref();
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.#clients.add(res);
    const drop = () => this.#clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
  }

  /** Sends `data` (JSON-serialised) as an event named `event` to every ready client. */
  send(event: string, data: unknown): void {
    if (typeof event !== 'string' || !/^[\w-]+$/.test(event))
      throw new ArgumentError(`event: expected a name of letters, digits, _ or -, got ${v.describe(event)}`);
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.#clients) {
      if (res.writableLength > this.#maxBuffered) {
        this.#skipped++;
        continue;
      }
      res.write(text);
      this.#sent++;
    }
  }

  stats(): { clients: number; sent: number; skipped: number } {
    return { clients: this.#clients.size, sent: this.#sent, skipped: this.#skipped };
  }

  close(): void {
    clearInterval(this.#keepAlive);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}

guardReceivers(EventSink, (x) => wasConstructed(x, EventSink));
