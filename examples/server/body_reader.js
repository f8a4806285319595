// Reading a request body under a deadline. A client that sends its headers and then one
// byte a second must not hold anything for long: the whole body has to arrive within
// `timeoutMs`, and, after a short grace period, at no less than `minBytesPerSec` on
// average. Either failure rejects with { status: 408 }, oversized bodies with 413 (checked
// against Content-Length first, then while reading), and a client that goes away with 499.
// The caller answers and closes the connection; everything held here (chunks, timer) is
// released as soon as the promise settles.
'use strict';

class BodyError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * options: { limit: max bytes, timeoutMs: whole-body deadline, minBytesPerSec: average
 *            transfer rate required once `graceMs` have passed, checkEveryMs }
 */
function readBody(req, options) {
  const { limit, timeoutMs, minBytesPerSec, graceMs = 1000, checkEveryMs = 250 } = options;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit)
      return reject(new BodyError(413, 'ERR_BODY_TOO_LARGE', `body of ${declared} bytes exceeds ${limit}`));
    const started = performance.now();
    let chunks = [];
    let size = 0;
    let settled = false;
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      chunks = null; // drop the partial body now, not when the request object goes
      if (error) reject(error);
      else resolve(value);
    };
    // One timer per upload checks both the deadline and the rate; a per-byte check would
    // cost the event loop on every chunk of every honest upload.
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= timeoutMs) {
        finish(
          new BodyError(
            408,
            'ERR_BODY_TIMEOUT',
            `body not complete after ${timeoutMs} ms (${size} of ${Number.isFinite(declared) ? declared : '?'} bytes)`,
          ),
        );
      } else if (elapsed >= graceMs && size < (minBytesPerSec * elapsed) / 1000) {
        finish(
          new BodyError(
            408,
            'ERR_BODY_TOO_SLOW',
            `body arriving at ${((size * 1000) / elapsed).toFixed(0)} B/s, below the minimum of ${minBytesPerSec} B/s`,
          ),
        );
      }
    }, checkEveryMs);
    timer.unref();
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) return finish(new BodyError(413, 'ERR_BODY_TOO_LARGE', `body exceeds ${limit} bytes`));
      chunks.push(chunk);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks, size));
    const onError = (error) => finish(new BodyError(499, 'ERR_CLIENT_GONE', error.message));
    const onClose = () =>
      finish(new BodyError(499, 'ERR_CLIENT_GONE', 'client closed the connection before the body was complete'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

module.exports = { readBody, BodyError };
