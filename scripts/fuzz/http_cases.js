// Fuzz target for examples/server (issue 21): one random, mostly malformed exchange per case
// over a raw socket on 127.0.0.1 — methods, targets (query strings, '*', absolute URLs, very
// long, non-ASCII), Content-Type / Content-Length / Transfer-Encoding headers that lie,
// bodies (a JPEG, garbage, empty, cut short), two pipelined requests, or a client that goes
// away mid-body. The answer must be a well-formed HTTP response whose status is not a 5xx
// other than 503 / 504 (or no answer when the client left); afterwards the server must be
// back to no request in flight and no upload (else: a leak).
'use strict';
const net = require('node:net');
const { rngFor } = require('./cases');

const SALT_HTTP = 23;

function target(r) {
  return r.pick([
    '/predict',
    '/predict?x=1',
    '/predict#frag',
    '/healthz',
    '/healthz?probe=1',
    '/readyz',
    '/stats?reset=1',
    '/metrics',
    '/nothing',
    '*',
    'http://127.0.0.1/predict',
    '/' + 'a'.repeat(1 + r.int(9000)),
    '/pr%65dict',
    '/%zz',
    '/é',
    '//predict',
    '/predict/../healthz',
  ]);
}

function body(r, jpeg) {
  switch (r.int(6)) {
    case 0:
      return jpeg;
    case 1:
      return jpeg.subarray(0, r.int(jpeg.length));
    case 2:
      return Buffer.alloc(0);
    case 3:
      return Buffer.from(Array.from({ length: 1 + r.int(2000) }, () => r.int(256)));
    case 4:
      return Buffer.from('{"image": "not really"}');
    default:
      return Buffer.concat([jpeg, Buffer.alloc(r.int(100), 7)]);
  }
}

/** The bytes of one random request (may be malformed) and whether the client stays for the answer. */
function httpRequest(seed, index, jpeg) {
  const r = rngFor(seed, index, SALT_HTTP);
  const method = r.pick(['GET', 'HEAD', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'BREW', 'get']);
  const b = method === 'GET' || method === 'HEAD' ? (r.chance(0.1) ? body(r, jpeg) : Buffer.alloc(0)) : body(r, jpeg);
  const headers = [`Host: 127.0.0.1`];
  if (r.chance(0.85))
    headers.push(
      `Content-Type: ${r.pick(['image/jpeg', 'image/png', 'application/json', 'text/plain; charset=utf-8', 'IMAGE/JPEG', 'application/octet-stream', '', ';;;', 'image/jpeg, image/png'])}`,
    );
  const lengthMode = r.int(6);
  if (lengthMode <= 2) headers.push(`Content-Length: ${b.length}`);
  else if (lengthMode === 3)
    headers.push(`Content-Length: ${r.pick([b.length + 10, Math.max(0, b.length - 10), -1, 'abc', 2 ** 40])}`);
  else if (lengthMode === 4) headers.push('Transfer-Encoding: chunked');
  if (r.chance(0.2))
    headers.push(r.pick(['Expect: 100-continue', 'Connection: keep-alive', 'X-Junk: \u00ff', 'Bad Header']));
  let data;
  if (lengthMode === 4) {
    const chunks = r.chance(0.7) ? `${b.length.toString(16)}\r\n` : 'zz\r\n';
    data = Buffer.concat([
      Buffer.from(`${method} ${target(r)} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${chunks}`),
      b,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
  } else {
    data = Buffer.concat([Buffer.from(`${method} ${target(r)} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`), b]);
  }
  if (r.chance(0.1))
    data = Buffer.concat([data, Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]);
  const leaves = r.chance(0.1) ? r.int(data.length) : null; // the client sends this much and goes away
  return { data, leaves, label: `${method} ${data.subarray(0, 80).toString('latin1').split('\r\n')[0]}` };
}

/** Sends one request; resolves with the statuses of the responses read before the socket closed. */
function exchange(port, request, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    let done = false;
    const finish = (hang) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, hang, text: text.slice(0, 200) });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('connect', () => {
      if (request.leaves !== null) {
        socket.write(request.data.subarray(0, request.leaves));
        setTimeout(() => finish(false), 5);
      } else socket.end(request.data);
    });
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
  });
}

module.exports = { httpRequest, exchange };
