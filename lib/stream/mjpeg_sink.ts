// MJPEG over HTTP (multipart/x-mixed-replace): what a browser's <img> shows as live video.
// Each client gets the newest JPEG; a client whose socket still holds unsent bytes skips
// frames instead of buffering them (latest wins per client), so a slow viewer never grows
// memory or delays the others.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import { refuseUnknownKey } from '../option_keys';
import { ArgumentError } from '../errors';
import * as v from '../validate';

const BOUNDARY = 'tfcvframe';

export interface MjpegSinkStats {
  clients: number;
  /** Frames written to some client. */
  frames: number;
  /** Frame sends skipped because a client was still busy with an earlier one. */
  skipped: number;
}

export class MjpegSink {
  #clients = new Set<ServerResponse>();
  #frames = 0;
  #skipped = 0;
  #maxBuffered: number;

  /** maxBufferedBytes: a client with more unsent bytes than this skips the frame. Default 1 MiB. */
  constructor(options: { maxBufferedBytes?: number } = {}) {
    markConstructed(this);
    const o = v.selfCheckedOptions(options, 'options');
    for (const key of Object.keys(o))
      if (key !== 'maxBufferedBytes') refuseUnknownKey(key, 'new MjpegSink', ['maxBufferedBytes'], 'options');
    this.#maxBuffered = v.integer(o.maxBufferedBytes ?? 1 << 20, 'options.maxBufferedBytes', 0);
  }

  /** An http request handler that streams to this client until it goes away. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
      'Cache-Control': 'no-cache, no-store',
      Connection: 'close',
    });
    this.#clients.add(res);
    const drop = () => this.#clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
  }

  /** Sends one JPEG to every client that is ready for it. */
  push(jpeg: Buffer): void {
    if (!Buffer.isBuffer(jpeg)) throw new ArgumentError(`jpeg: expected a Buffer, got ${v.describe(jpeg)}`);
    let sent = false;
    for (const res of this.#clients) {
      if (res.writableLength > this.#maxBuffered) {
        this.#skipped++;
        continue;
      }
      res.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
      res.write(jpeg);
      res.write('\r\n');
      sent = true;
    }
    if (sent) this.#frames++;
  }

  stats(): MjpegSinkStats {
    return { clients: this.#clients.size, frames: this.#frames, skipped: this.#skipped };
  }

  /** Ends every client's response. */
  close(): void {
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}

guardReceivers(MjpegSink, (x) => wasConstructed(x, MjpegSink));
