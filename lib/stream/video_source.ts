// A video source: frames from a file, a network URL (RTSP, HTTP, ...), a V4L2 device or a
// readable stream, decoded by an ffmpeg child process (off the event loop, on other cores)
// into 64-byte-aligned native Mats, served as an async iterator. The decoder's raw output is
// gathered in one reused buffer and copied once, natively, into each frame's own Mat (a view
// of the Mat's memory per frame would be reported to V8 as new external memory each time and
// costs garbage collections: measured in docs/streams.md); a per-frame `showinfo` line on
// stderr gives the presentation time and size. A bounded queue pauses the pipe when the consumer is slow
// (backpressure down to the decoder); close() kills and reaps the child and closes its pipes.
import { ChildProcess, spawn } from 'node:child_process';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import { refuseUnknownKey } from '../option_keys';
import { existsSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ArgumentError } from '../errors';
import { Mat } from '../mat';
import * as v from '../validate';
import { StreamError, StreamErrorReason } from './errors';
import { findFfmpeg } from './ffmpeg_path';

export type PixelFormat = 'bgr' | 'rgb';
/** 'realtime': a file is read at its frame rate (ffmpeg -re); 'fast': as fast as the decoder and consumer go. */
export type Pacing = 'realtime' | 'fast';
export type SourceKind = 'file' | 'network' | 'device' | 'stream';

export interface ReconnectPolicy {
  /** Attempts after a failure before the iterator throws (reset by every frame received). Default 5. */
  retries?: number;
  /** Wait before the first attempt, ms; doubled each time up to maxDelayMs. Default 500. */
  delayMs?: number;
  /** Default 5000. */
  maxDelayMs?: number;
}

export interface VideoSourceOptions {
  /** Channel order of the frames. Default 'bgr' (OpenCV's, what preprocess expects). */
  pixelFormat?: PixelFormat;
  /** Scale every frame to this size (both or neither). Default: the stream's size. */
  width?: number;
  height?: number;
  /** Default 'fast'. Network and device sources deliver in real time whatever this says. */
  pacing?: Pacing;
  /** Files only: start again at the end, forever (demos). Default false. */
  loop?: boolean;
  /** ffmpeg input format (`-f`), e.g. 'mjpeg' or 'h264' for a stream, 'v4l2' for a device. */
  inputFormat?: string;
  /** Extra ffmpeg input options, placed before `-i` (e.g. ['-rtsp_transport', 'tcp']). */
  inputOptions?: readonly string[];
  /** Network sources: retry after a failure (default { retries: 5, delayMs: 500, maxDelayMs: 5000 }), or false. */
  reconnect?: ReconnectPolicy | false;
  /** Frames decoded ahead of the consumer before the pipe is paused. Default 2. */
  queue?: number;
  /** No first frame within this time: StreamError 'timeout'. Default 15000 ms. */
  openTimeoutMs?: number;
  /** No frame for this long while the consumer waits: StreamError 'timeout'. Default 15000 ms. */
  stallTimeoutMs?: number;
  /** The ffmpeg executable. Default: TFCV_FFMPEG, then PATH. */
  ffmpeg?: string;
  /** Name of the source in results and errors. Default: the file, URL (without credentials) or device. */
  name?: string;
}

/** One decoded frame. Its Mat is the caller's: dispose() it (or let a pipeline do so). */
export interface VideoFrame {
  /** The pixels, rows x cols x 3 uint8, in the source's pixelFormat. */
  mat: Mat<'uint8'>;
  /** 0, 1, 2, ... over the life of the source (reconnects included). */
  index: number;
  /** Presentation time in seconds from the stream (NaN if the stream has none). */
  pts: number;
  /** performance.now() when the frame's last byte arrived from the decoder (for latency). */
  receivedAt: number;
  /** Wall-clock time of the same moment, ms since the epoch. */
  capturedAt: number;
  /** The source's name. */
  source: string;
}

export interface VideoSourceStats {
  name: string;
  kind: SourceKind;
  state: 'starting' | 'running' | 'reconnecting' | 'ended' | 'failed' | 'closed';
  frames: number;
  /** Frames decoded but not yet taken by the consumer. */
  queued: number;
  reconnects: number;
  /** Frame size of the last frame (0 before the first). */
  width: number;
  height: number;
  /** The stream's nominal frame rate as the decoder reports it (0 unknown). */
  nominalFps: number;
}

const OPTION_KEYS = [
  'pixelFormat',
  'width',
  'height',
  'pacing',
  'loop',
  'inputFormat',
  'inputOptions',
  'reconnect',
  'queue',
  'openTimeoutMs',
  'stallTimeoutMs',
  'ffmpeg',
  'name',
] as const;
const NETWORK = /^(rtsp|rtsps|rtmp|rtmps|http|https|udp|tcp|srt|rtp):\/\//i;
const INFO = /\bn:\s*(\d+)\s+pts:\s*(-?\d+|NOPTS)\s+pts_time:(\S+).*?\bs:(\d+)x(\d+)/;
const RATE = /frame_rate:\s*(\d+)\/(\d+)/;
const STDERR_LINES = 12;

interface Plan {
  kind: SourceKind;
  name: string;
  input: string;
  stream: Readable | undefined;
}

function planOf(input: unknown): Plan {
  if (input instanceof Readable) return { kind: 'stream', name: 'stream', input: 'pipe:0', stream: input };
  if (typeof input !== 'string' || input.length === 0)
    throw new ArgumentError(
      `source: expected a file path, a URL (rtsp://, http://, ...), a device (/dev/video0) or a Readable stream, got ${v.describe(input)}`,
    );
  if (NETWORK.test(input)) {
    let name = input;
    try {
      const url = new URL(input);
      url.username = '';
      url.password = '';
      name = url.toString();
    } catch {
      // An address URL cannot parse is passed to ffmpeg as is; its name keeps the text.
    }
    return { kind: 'network', name, input, stream: undefined };
  }
  if (input.startsWith('/dev/')) return { kind: 'device', name: input, input, stream: undefined };
  return { kind: 'file', name: input, input, stream: undefined };
}

function checkOptions(o: Partial<VideoSourceOptions>): void {
  for (const key of Object.keys(o))
    if (!(OPTION_KEYS as readonly string[]).includes(key)) refuseUnknownKey(key, 'openVideo', OPTION_KEYS, 'options');
}

function reconnectOf(value: unknown, kind: SourceKind): Required<ReconnectPolicy> | null {
  if (value === false) return null;
  if (value !== undefined && kind !== 'network')
    throw new ArgumentError(
      `options.reconnect: only network sources reconnect, this source is a ${kind}; remove the option`,
    );
  if (kind !== 'network') return null;
  const r = v.selfCheckedOptions(value as ReconnectPolicy | undefined, 'options.reconnect');
  for (const key of Object.keys(r))
    if (!['retries', 'delayMs', 'maxDelayMs'].includes(key))
      refuseUnknownKey(key, 'openVideo (options.reconnect)', ['retries', 'delayMs', 'maxDelayMs'], 'options.reconnect');
  return {
    retries: v.integer(r.retries ?? 5, 'options.reconnect.retries', 0, 1_000_000),
    delayMs: v.integer(r.delayMs ?? 500, 'options.reconnect.delayMs', 0, 3_600_000),
    maxDelayMs: v.integer(r.maxDelayMs ?? 5000, 'options.reconnect.maxDelayMs', 0, 3_600_000),
  };
}

/** What the decoder's last words mean. */
function classify(stderr: string, kind: SourceKind): StreamErrorReason {
  if (
    /Connection refused|Connection timed out|No route to host|Network is unreachable|Name or service not known|Failed to resolve|Server returned 4\d\d|Server returned 5\d\d|Operation timed out/i.test(
      stderr,
    )
  )
    return 'unreachable';
  if (/No such file or directory|Cannot open video device|No such device/i.test(stderr))
    return kind === 'network' ? 'unreachable' : 'not-found';
  if (
    /Invalid data found|moov atom not found|could not find codec parameters|does not contain any stream|Output file #0 does not contain|Error while decoding|Invalid argument/i.test(
      stderr,
    )
  )
    return 'corrupt';
  return 'decoder-exited';
}

/**
 * Opens a video source. Nothing starts until the first frame is asked for; `for await (const
 * frame of source)` reads it to the end, and leaving the loop (break, throw) closes it.
 */
export function openVideo(source: string | Readable, options?: VideoSourceOptions): VideoSource {
  return new VideoSource(source, options);
}

export class VideoSource implements AsyncIterable<VideoFrame> {
  readonly name: string;
  readonly kind: SourceKind;
  readonly pixelFormat: PixelFormat;
  #plan: Plan;
  #ffmpeg: string;
  #size: [number, number] | null;
  #pacing: Pacing;
  #loop: boolean;
  #inputFormat: string | undefined;
  #inputOptions: string[];
  #reconnect: Required<ReconnectPolicy> | null;
  #queueMax: number;
  #openTimeoutMs: number;
  #stallTimeoutMs: number;

  #state: VideoSourceStats['state'] = 'starting';
  #started = false;
  #child: ChildProcess | undefined;
  #childDone: Promise<void> = Promise.resolve();
  #queue: VideoFrame[] = [];
  #waiter: { resolve: (r: IteratorResult<VideoFrame>) => void; reject: (e: unknown) => void } | undefined;
  #error: StreamError | undefined;
  #ended = false;
  #closing: Promise<void> | undefined;
  #iterating = false;

  // Per decoder run.
  #infos: Array<{ pts: number; width: number; height: number }> = [];
  #pending: Buffer[] = [];
  #target: { width: number; height: number; filled: number; pts: number } | undefined;
  /** The frame being read: reused from frame to frame (a Mat's own data view would be reported to V8 per frame). */
  #frameBuffer: Buffer = Buffer.alloc(0);
  #stderrTail: string[] = [];
  #stderrPartial = '';
  #killedByUs = false;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;

  #frames = 0;
  #reconnects = 0;
  #width = 0;
  #height = 0;
  #nominalFps = 0;

  constructor(source: string | Readable, options?: VideoSourceOptions) {
    markConstructed(this);
    this.#plan = planOf(source);
    const o = v.selfCheckedOptions(options, 'options');
    checkOptions(o);
    this.kind = this.#plan.kind;
    if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length === 0))
      throw new ArgumentError(`options.name: expected a non-empty string, got ${v.describe(o.name)}`);
    this.name = o.name ?? this.#plan.name;
    this.pixelFormat = v.oneOf(o.pixelFormat, ['bgr', 'rgb'] as const, 'options.pixelFormat', 'bgr');
    if ((o.width === undefined) !== (o.height === undefined))
      throw new ArgumentError(
        `options.width / options.height: give both or neither, got ${v.describe(o.width)} / ${v.describe(o.height)}`,
      );
    this.#size =
      o.width === undefined
        ? null
        : [v.integer(o.width, 'options.width', 1, 16384), v.integer(o.height, 'options.height', 1, 16384)];
    this.#pacing = v.oneOf(o.pacing, ['realtime', 'fast'] as const, 'options.pacing', 'fast');
    if (o.loop !== undefined && typeof o.loop !== 'boolean')
      throw new ArgumentError(`options.loop: expected a boolean, got ${v.describe(o.loop)}`);
    if (o.loop === true && this.kind !== 'file')
      throw new ArgumentError(`options.loop: only a file can loop, this source is a ${this.kind}; remove the option`);
    this.#loop = o.loop === true;
    if (o.inputFormat !== undefined && (typeof o.inputFormat !== 'string' || !/^[\w,-]+$/.test(o.inputFormat)))
      throw new ArgumentError(
        `options.inputFormat: expected an ffmpeg format name like 'mjpeg', got ${v.describe(o.inputFormat)}`,
      );
    this.#inputFormat = o.inputFormat ?? (this.kind === 'device' ? 'v4l2' : undefined);
    this.#inputOptions = v
      .arrayItems(o.inputOptions ?? [], 'options.inputOptions', 64, 'an array of strings')
      .map((s, i) => {
        if (typeof s !== 'string')
          throw new ArgumentError(`options.inputOptions[${i}]: expected a string, got ${v.describe(s)}`);
        return s;
      });
    this.#reconnect = reconnectOf(o.reconnect, this.kind);
    this.#queueMax = v.integer(o.queue ?? 2, 'options.queue', 1, 1024);
    this.#openTimeoutMs = v.integer(o.openTimeoutMs ?? 15000, 'options.openTimeoutMs', 1, 3_600_000);
    this.#stallTimeoutMs = v.integer(o.stallTimeoutMs ?? 15000, 'options.stallTimeoutMs', 1, 3_600_000);
    this.#ffmpeg = findFfmpeg(o.ffmpeg);
  }

  /** Counters and state. */
  stats(): VideoSourceStats {
    return {
      name: this.name,
      kind: this.kind,
      state: this.#state,
      frames: this.#frames,
      queued: this.#queue.length,
      reconnects: this.#reconnects,
      width: this.#width,
      height: this.#height,
      nominalFps: this.#nominalFps,
    };
  }

  /** The decoder's process id while one runs (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.#child?.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<VideoFrame> {
    if (this.#iterating)
      throw new ArgumentError(
        `source ${this.name}: already being iterated; a source has one consumer (use a pipeline to share it)`,
      );
    this.#iterating = true;
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /** The next frame; { done: true } at the end or after close(). Rejects with StreamError on failure (the source is closed then). */
  next(): Promise<IteratorResult<VideoFrame>> {
    if (this.#waiter)
      return Promise.reject(new ArgumentError(`source ${this.name}: next() called again before the last call settled`));
    if (!this.#started && !this.#closing) this.#start();
    const frame = this.#queue.shift();
    if (frame) {
      this.#flow();
      return Promise.resolve({ done: false, value: frame });
    }
    if (this.#error) {
      const error = this.#error;
      this.#error = undefined;
      return this.close().then(() => Promise.reject(error));
    }
    if (this.#ended || this.#closing) return Promise.resolve({ done: true, value: undefined });
    this.#flow();
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** Stops the decoder (killed and reaped), closes its pipes and disposes frames not taken. Idempotent. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    if (this.#state !== 'failed' && this.#state !== 'ended') this.#state = 'closed';
    this.#closing = (async () => {
      this.#clearTimer();
      this.#kill();
      await this.#childDone;
      this.#releaseRun();
      for (const f of this.#queue.splice(0)) f.mat.dispose();
      this.#settle({ done: true, value: undefined });
    })();
    return this.#closing;
  }

  #settle(result: IteratorResult<VideoFrame> | StreamError): void {
    const w = this.#waiter;
    if (!w) return;
    this.#waiter = undefined;
    if (result instanceof StreamError) {
      this.close().then(
        () => w.reject(result),
        () => w.reject(result),
      );
    } else w.resolve(result);
  }

  #start(): void {
    this.#started = true;
    this.#spawn();
  }

  #args(): string[] {
    const args = ['-hide_banner', '-nostats', '-loglevel', 'info'];
    if (this.#plan.stream === undefined) args.push('-nostdin');
    if (this.#pacing === 'realtime' && this.kind === 'file') args.push('-re');
    if (this.#loop) args.push('-stream_loop', '-1');
    if (this.#inputFormat) args.push('-f', this.#inputFormat);
    args.push(...this.#inputOptions, '-i', this.#plan.input);
    const pix = this.pixelFormat === 'bgr' ? 'bgr24' : 'rgb24';
    const filters = [];
    if (this.#size) filters.push(`scale=${this.#size[0]}:${this.#size[1]}`);
    filters.push(`format=${pix}`, 'showinfo=checksum=0');
    args.push('-map', '0:v:0', '-an', '-sn', '-dn', '-vf', filters.join(','));
    args.push('-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', pix, 'pipe:1');
    return args;
  }

  #spawn(): void {
    if (this.kind === 'file' && !existsSync(this.#plan.input)) {
      this.#fail(new StreamError(`source ${this.name}: no such file`, 'not-found', this.name));
      return;
    }
    if (this.kind === 'device') {
      let ok = false;
      try {
        ok = statSync(this.#plan.input).isCharacterDevice();
      } catch {
        ok = false;
      }
      if (!ok) {
        this.#fail(
          new StreamError(
            `source ${this.name}: no such camera device (is it plugged in, and is this user in the 'video' group?)`,
            'not-found',
            this.name,
          ),
        );
        return;
      }
    }
    this.#state = this.#attempt > 0 ? 'reconnecting' : 'starting';
    this.#killedByUs = false;
    this.#stderrTail = [];
    this.#stderrPartial = '';
    const child = spawn(this.#ffmpeg, this.#args(), {
      stdio: [this.#plan.stream ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let exited: () => void = () => undefined;
    this.#childDone = new Promise((resolve) => (exited = resolve));
    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      exited();
      this.#onExit(code, signal, spawnError);
    });
    if (this.#plan.stream && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when ffmpeg ends first: its exit says why
      this.#plan.stream.on('error', (error: Error) => {
        this.#fail(
          new StreamError(
            `source ${this.name}: the input stream failed: ${error.message}`,
            'decoder-exited',
            this.name,
          ),
        );
      });
      this.#plan.stream.pipe(child.stdin);
    }
    child.stdout!.on('data', (chunk: Buffer) => this.#onData(chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => this.#onStderr(text));
    this.#armTimer(this.#openTimeoutMs, 'no first frame');
  }

  #armTimer(ms: number, what: string): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Only a consumer that waits is stalled; a paused pipe is our own doing.
      if (this.#queue.length >= this.#queueMax) return this.#armTimer(ms, what);
      this.#retryOrFail(
        new StreamError(
          `source ${this.name}: ${what} within ${ms} ms`,
          'timeout',
          this.name,
          this.#stderrTail.join('\n'),
        ),
      );
    }, ms);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onStderr(text: string): void {
    const lines = (this.#stderrPartial + text).split('\n');
    this.#stderrPartial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('[Parsed_showinfo')) {
        const m = INFO.exec(line);
        if (m) {
          const pts = m[3] === 'NOPTS' || m[2] === 'NOPTS' ? NaN : Number(m[3]);
          this.#infos.push({ pts, width: Number(m[4]), height: Number(m[5]) });
          continue;
        }
        const r = RATE.exec(line);
        if (r && Number(r[2]) > 0) this.#nominalFps = Number(r[1]) / Number(r[2]);
        continue;
      }
      if (line.trim() === '') continue;
      this.#stderrTail.push(line);
      if (this.#stderrTail.length > STDERR_LINES) this.#stderrTail.shift();
    }
    if (this.#pending.length) this.#drainPending();
  }

  #onData(chunk: Buffer): void {
    if (this.#closing) return;
    if (!this.#target && !this.#nextTarget()) {
      this.#pending.push(chunk);
      return;
    }
    this.#write(chunk);
  }

  #drainPending(): void {
    while (this.#pending.length && (this.#target || this.#nextTarget())) this.#write(this.#pending.shift()!);
  }

  /** Starts the next frame's Mat once its showinfo line is known. */
  #nextTarget(): boolean {
    const info = this.#infos.shift();
    if (!info) return false;
    const bytes = info.width * info.height * 3;
    if (this.#frameBuffer.length !== bytes) this.#frameBuffer = Buffer.allocUnsafeSlow(bytes);
    this.#target = { width: info.width, height: info.height, filled: 0, pts: info.pts };
    return true;
  }

  #write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const t = this.#target ?? (this.#nextTarget() ? this.#target : undefined);
      if (!t) {
        this.#pending.unshift(chunk.subarray(offset));
        return;
      }
      const buffer = this.#frameBuffer;
      const n = Math.min(chunk.length - offset, buffer.length - t.filled);
      chunk.copy(buffer, t.filled, offset, offset + n);
      t.filled += n;
      offset += n;
      if (t.filled === buffer.length) {
        this.#target = undefined;
        // One native copy into the frame's own aligned Mat; the buffer is reused for the next frame.
        const mat = Mat.fromBuffer(buffer, { rows: t.height, cols: t.width, channels: 3 }) as Mat<'uint8'>;
        this.#emit(mat, t.pts);
      }
    }
  }

  #emit(mat: Mat<'uint8'>, pts: number): void {
    const receivedAt = performance.now();
    const frame: VideoFrame = {
      mat,
      index: this.#frames++,
      pts,
      receivedAt,
      capturedAt: performance.timeOrigin + receivedAt,
      source: this.name,
    };
    this.#width = mat.cols;
    this.#height = mat.rows;
    this.#attempt = 0;
    this.#state = 'running';
    this.#armTimer(this.#stallTimeoutMs, 'no frame');
    if (this.#waiter) this.#settle({ done: false, value: frame });
    else this.#queue.push(frame);
    this.#flow();
  }

  /** Pauses the decoder's pipe while the queue is full, resumes it when there is room. */
  #flow(): void {
    const out = this.#child?.stdout;
    if (!out) return;
    if (this.#queue.length >= this.#queueMax) out.pause();
    else out.resume();
  }

  #kill(): void {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.#killedByUs = true;
    if (this.#plan.stream && child.stdin) this.#plan.stream.unpipe(child.stdin);
    child.kill('SIGKILL');
  }

  #releaseRun(): void {
    this.#target = undefined;
    this.#pending = [];
    this.#infos = [];
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, spawnError: Error | undefined): void {
    this.#clearTimer();
    const partial = this.#target !== undefined || this.#pending.length > 0;
    const stderr = [...this.#stderrTail, this.#stderrPartial].filter(Boolean).join('\n');
    this.#child = undefined;
    this.#releaseRun();
    if (this.#closing || this.#killedByUs) return;
    if (spawnError) {
      this.#fail(
        new StreamError(
          `source ${this.name}: could not start ${this.#ffmpeg}: ${spawnError.message}`,
          'decoder-missing',
          this.name,
        ),
      );
      return;
    }
    if (code === 0 && !partial) {
      this.#ended = true;
      this.#state = 'ended';
      this.#settle({ done: true, value: undefined });
      return;
    }
    const last = stderr.split('\n').filter(Boolean).slice(-3).join(' | ');
    let error: StreamError;
    if (code === 0)
      error = new StreamError(`source ${this.name}: the stream ended inside a frame`, 'truncated', this.name, stderr);
    else if (signal)
      error = new StreamError(
        `source ${this.name}: the decoder was killed (${signal})`,
        'decoder-exited',
        this.name,
        stderr,
      );
    else {
      const reason = classify(stderr, this.kind);
      error = new StreamError(
        `source ${this.name}: the decoder failed (exit ${code}, ${reason}): ${last}`,
        reason,
        this.name,
        stderr,
      );
    }
    this.#retryOrFail(error);
  }

  #retryOrFail(error: StreamError): void {
    const policy = this.#reconnect;
    if (!policy || this.#closing || this.#attempt >= policy.retries) {
      this.#kill();
      this.#fail(error);
      return;
    }
    this.#kill();
    const delay = Math.min(policy.maxDelayMs, policy.delayMs * 2 ** this.#attempt);
    this.#attempt++;
    this.#reconnects++;
    this.#state = 'reconnecting';
    const previous = this.#childDone;
    void previous.then(() => {
      const t = setTimeout(() => {
        if (!this.#closing && !this.#error && !this.#ended) this.#spawn();
      }, delay);
      this.#timer = t;
    });
  }

  #fail(error: StreamError): void {
    if (this.#error || this.#closing) return;
    this.#error = error;
    this.#state = 'failed';
    this.#kill();
    if (this.#waiter) {
      this.#error = undefined;
      this.#settle(error);
    }
  }
}

guardReceivers(VideoSource, (x) => wasConstructed(x, VideoSource));
