// An encoded video file from Mats: raw frames piped into an ffmpeg child (H.264 in MP4 by
// default, or what the extension and `codec` say). write() waits when the pipe is full, so
// a slow encoder holds the caller back instead of buffering frames; close() ends the input
// and waits for the encoder, and a failed encoder is a StreamError with its last words.
import { ChildProcess, spawn } from 'node:child_process';
import { guardReceivers, markConstructed, wasConstructed } from '../receiver';
import { refuseUnknownKey } from '../option_keys';
import { ArgumentError, ShapeError } from '../errors';
import { Mat } from '../mat';
import * as v from '../validate';
import { StreamError } from './errors';
import { findFfmpeg } from './ffmpeg_path';
import type { PixelFormat } from './video_source';

export interface VideoWriterOptions {
  width: number;
  height: number;
  /** Frames per second of the file. Default 30. */
  fps?: number;
  /** Channel order of the Mats written. Default 'bgr'. */
  pixelFormat?: PixelFormat;
  /** ffmpeg encoder. Default 'libx264' (with -preset veryfast, yuv420p). */
  codec?: string;
  /** The ffmpeg executable. Default: TFCV_FFMPEG, then PATH. */
  ffmpeg?: string;
}

const KEYS = ['width', 'height', 'fps', 'pixelFormat', 'codec', 'ffmpeg'];

export class VideoWriter {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  #child: ChildProcess;
  #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
  #stderr: string[] = [];
  #closing: Promise<void> | undefined;
  #frames = 0;

  constructor(path: string, options: VideoWriterOptions) {
    markConstructed(this);
    if (typeof path !== 'string' || path.length === 0)
      throw new ArgumentError(`path: expected the output file's path, got ${v.describe(path)}`);
    if (options === null || typeof options !== 'object')
      throw new ArgumentError(
        `options: expected { width, height, fps?, pixelFormat?, codec?, ffmpeg? }, got ${v.describe(options)}`,
      );
    for (const key of Object.keys(options))
      if (!KEYS.includes(key)) refuseUnknownKey(key, 'new VideoWriter', KEYS, 'options');
    this.path = path;
    this.width = v.integer(options.width, 'options.width', 2, 16384);
    this.height = v.integer(options.height, 'options.height', 2, 16384);
    const fps = options.fps === undefined ? 30 : v.finiteNumber(options.fps, 'options.fps');
    if (!(fps > 0 && fps <= 1000)) throw new ArgumentError(`options.fps: expected a number in (0, 1000], got ${fps}`);
    const pix = v.oneOf(options.pixelFormat, ['bgr', 'rgb'] as const, 'options.pixelFormat', 'bgr') + '24';
    const codec = options.codec ?? 'libx264';
    if (typeof codec !== 'string' || !/^[\w-]+$/.test(codec))
      throw new ArgumentError(
        `options.codec: expected an ffmpeg encoder name like 'libx264', got ${v.describe(codec)}`,
      );
    const ffmpeg = findFfmpeg(options.ffmpeg);
    const args = ['-hide_banner', '-nostats', '-loglevel', 'error', '-y'];
    args.push(
      '-f',
      'rawvideo',
      '-pix_fmt',
      pix,
      '-s',
      `${this.width}x${this.height}`,
      '-r',
      String(fps),
      '-i',
      'pipe:0',
    );
    args.push('-an', '-c:v', codec);
    if (codec === 'libx264') args.push('-preset', 'veryfast', '-pix_fmt', 'yuv420p');
    args.push(path);
    this.#child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.#child.stderr!.setEncoding('utf8');
    this.#child.stderr!.on('data', (t: string) => {
      this.#stderr.push(t);
      if (this.#stderr.length > 20) this.#stderr.shift();
    });
    this.#child.stdin!.on('error', () => undefined); // the exit status says why
    this.#exit = new Promise((resolve) => {
      let error: Error | undefined;
      this.#child.on('error', (e) => (error = e));
      this.#child.on('close', (code, signal) => resolve({ code, signal, error }));
    });
  }

  get frames(): number {
    return this.#frames;
  }

  /** Appends one frame (a rows x cols x 3 uint8 Mat of the writer's size); waits while the encoder is behind. */
  async write(mat: Mat): Promise<void> {
    if (this.#closing) throw new ArgumentError('videoWriter.write: the writer is closed');
    if (!(mat instanceof Mat)) throw new ArgumentError(`mat: expected a Mat, got ${v.describe(mat)}`);
    if (mat.rows !== this.height || mat.cols !== this.width || mat.channels !== 3 || mat.dtype !== 'uint8')
      throw new ShapeError(
        `mat: expected ${this.height}x${this.width}x3 uint8 (the writer's size), got ${mat.rows}x${mat.cols}x${mat.channels} ${mat.dtype}`,
      );
    const stdin = this.#child.stdin!;
    if (stdin.destroyed || this.#child.exitCode !== null) await this.#failed();
    // A copy: the pipe may still hold the bytes when the caller disposes or draws on the Mat.
    const ok = stdin.write(Buffer.copyBytesFrom(mat.data as Uint8Array));
    this.#frames++;
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stdin.off('drain', done);
          stdin.off('close', done);
          resolve();
        };
        stdin.on('drain', done);
        stdin.on('close', done);
      });
    }
  }

  async #failed(): Promise<never> {
    const r = await this.#exit;
    throw this.#error(r);
  }

  #error(r: { code: number | null; signal: NodeJS.Signals | null; error?: Error }): StreamError {
    const why = r.error ? r.error.message : r.signal ? `killed (${r.signal})` : `exit ${r.code}`;
    const text = this.#stderr.join('').trim();
    return new StreamError(
      `videoWriter ${this.path}: the encoder failed (${why}): ${text.slice(-300)}`,
      'decoder-exited',
      this.path,
      text,
    );
  }

  /** Ends the file and waits for the encoder; rejects with StreamError if it failed. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = (async () => {
        this.#child.stdin!.end();
        const r = await this.#exit;
        if (r.code !== 0) throw this.#error(r);
      })();
    }
    return this.#closing;
  }

  /** Stops the encoder at once (the file is left incomplete). */
  async abort(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exit;
  }
}

guardReceivers(VideoWriter, (x) => wasConstructed(x, VideoWriter));
