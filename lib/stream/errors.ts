// The typed error of live streams: every way a video source can fail (no decoder program,
// nothing at the address, a decoder that died, data it cannot decode, a stream cut short)
// is a StreamError with a stable `reason`, so callers can retry, alert or give up by kind.
import { TfcvError } from '../errors';

/**
 * - `decoder-missing`: the ffmpeg program was not found (see the message for the fix);
 * - `not-found`: no such file or device;
 * - `unreachable`: a network source refused or timed out;
 * - `corrupt`: the decoder could not read the data as video;
 * - `truncated`: the stream ended inside a frame;
 * - `decoder-exited`: the decoder ended with an error or was killed;
 * - `timeout`: no frame arrived within `openTimeoutMs` / `stallTimeoutMs`.
 */
export type StreamErrorReason =
  'decoder-missing' | 'not-found' | 'unreachable' | 'corrupt' | 'truncated' | 'decoder-exited' | 'timeout';

/** A video source failed; `reason` says how, `source` names it, `stderr` holds the decoder's last words. */
export class StreamError extends TfcvError {
  override readonly code = 'ERR_TFCV_STREAM';
  readonly reason: StreamErrorReason;
  readonly source: string;
  readonly stderr: string;
  constructor(message: string, reason: StreamErrorReason = 'decoder-exited', source = '', stderr = '') {
    super(message);
    this.reason = reason;
    this.source = source;
    this.stderr = stderr;
  }
}
