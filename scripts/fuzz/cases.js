// The fuzz cases of `npm run fuzz`, generated deterministically from (kind, seed, index): the
// runner (scripts/fuzz/run.js) and its child processes (child.js) regenerate the same case
// from the same numbers, so a child only needs an index range, and a failure can be written
// out as a reproducer by the runner without any state shared with the child that died.
//   decoder: a fixture image mutated (bit flips, byte runs, truncation, insertions, JPEG
//            segment lengths / dimensions / components / Huffman tables, PNG chunk lengths,
//            CRCs and huge dims) fed to decodeSync / decode / preprocess with random options.
//   loader:  corrupt SavedModels and frozen graphs, special files, symlink loops, sparse files.
//   api:     a random exported function or method called with random arguments.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures');

/** mulberry32 seeded from (seed, index, salt): one independent stream per case. */
function rngFor(seed, index, salt = 0) {
  let a =
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(salt + 7, 0x27d4eb2f)) >>>
    0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------- decoders

const SEED_IMAGES = [
  'photo_640x480.jpg',
  'progressive_320x240.jpg',
  'gray_200x150.jpg',
  'exif_rot6_240x160.jpg',
  'photo_333x251_444.jpg',
  'shapes_400x300.png',
  'rgba_160x120.png',
  'gray16_64x48.png',
  'photo_96x64.bmp',
  'photo_120x80.tiff',
  'photo_128x96.webp',
];
let seedCache = null;
function seedImages() {
  if (seedCache === null)
    seedCache = SEED_IMAGES.map((name) => ({ name, bytes: fs.readFileSync(path.join(FIXTURES, 'images', name)) }));
  return seedCache;
}

/** Offsets of JPEG marker segments: [{ marker, offset, length }] up to the first SOS. */
function jpegSegments(b) {
  const out = [];
  let o = 2;
  while (o + 4 <= b.length && b[o] === 0xff) {
    const marker = b[o + 1];
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    const length = b.readUInt16BE(o + 2);
    out.push({ marker, offset: o, length });
    if (marker === 0xda) break;
    o += 2 + length;
  }
  return out;
}

/** PNG chunks: [{ type, offset, length }]. */
function pngChunks(b) {
  const out = [];
  for (let o = 8; o + 12 <= b.length;) {
    const length = b.readUInt32BE(o);
    out.push({ type: b.toString('latin1', o + 4, o + 8), offset: o, length });
    if (length > b.length) break;
    o += 12 + length;
  }
  return out;
}

function fixPngCrc(b, chunk) {
  const end = chunk.offset + 8 + chunk.length;
  if (end + 4 > b.length) return;
  b.writeUInt32BE(zlib.crc32(b.subarray(chunk.offset + 4, end)) >>> 0, end);
}

/** Where a complete image's data ends (EOI / IEND), for the "truncated but decoded" rule. */
function imageEnd(name, b) {
  if (name.endsWith('.jpg')) return b.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (name.endsWith('.png')) return b.lastIndexOf(Buffer.from('IEND', 'latin1'));
  return b.length;
}

const MUTATORS = {
  bitFlips(r, b) {
    const n = 1 + r.int(8);
    for (let i = 0; i < n; i++) b[r.int(b.length)] ^= 1 << r.int(8);
    return b;
  },
  byteRun(r, b) {
    const start = r.int(b.length);
    const len = 1 + r.int(64);
    b.fill(r.pick([0x00, 0xff, r.int(256)]), start, Math.min(b.length, start + len));
    return b;
  },
  truncate(r, b) {
    return b.subarray(0, r.int(b.length));
  },
  insertBytes(r, b) {
    const at = r.int(b.length);
    const extra = Buffer.alloc(1 + r.int(32), r.int(256));
    return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
  },
  deleteBytes(r, b) {
    const at = r.int(b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(64)))]);
  },
  jpegSegmentLength(r, b) {
    const segs = jpegSegments(b);
    if (segs.length === 0) return MUTATORS.bitFlips(r, b);
    const s = r.pick(segs);
    const delta = r.pick([-2, -1, 1, 2, 0x100, -s.length, 0xffff - s.length]);
    b.writeUInt16BE(Math.max(0, Math.min(0xffff, s.length + delta)), s.offset + 2);
    return b;
  },
  jpegFrame(r, b) {
    const sof = jpegSegments(b).find(
      (s) => s.marker >= 0xc0 && s.marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(s.marker),
    );
    if (!sof) return MUTATORS.bitFlips(r, b);
    const field = r.int(4);
    if (field === 0)
      b.writeUInt16BE(r.pick([0, 1, 0xffff, r.int(0x10000)]), sof.offset + 5); // height
    else if (field === 1)
      b.writeUInt16BE(r.pick([0, 1, 0xffff, r.int(0x10000)]), sof.offset + 7); // width
    else if (field === 2)
      b[sof.offset + 9] = r.pick([0, 1, 2, 4, 5, 255]); // components
    else b[sof.offset + 4] = r.pick([0, 1, 12, 16, 255]); // precision
    return b;
  },
  jpegHuffman(r, b) {
    const dhts = jpegSegments(b).filter((s) => s.marker === 0xc4);
    if (dhts.length === 0) return MUTATORS.bitFlips(r, b);
    const d = r.pick(dhts);
    // The 16 code-length counts right after the table class/id byte.
    for (let i = 0; i < 1 + r.int(4); i++) b[d.offset + 5 + r.int(16)] = r.int(256);
    return b;
  },
  jpegMarkerSwap(r, b) {
    const segs = jpegSegments(b);
    if (segs.length === 0) return MUTATORS.bitFlips(r, b);
    b[r.pick(segs).offset + 1] = r.pick([0xc0, 0xc2, 0xc3, 0xc4, 0xd9, 0xda, 0xdb, 0xdd, 0xe1, 0xee, 0xfe]);
    return b;
  },
  pngChunkLength(r, b) {
    const chunks = pngChunks(b);
    if (chunks.length === 0) return MUTATORS.bitFlips(r, b);
    const c = r.pick(chunks);
    b.writeUInt32BE(r.pick([0, c.length - 1, c.length + 1, 0x7fffffff, 0xffffffff, r.int(2 ** 32)]) >>> 0, c.offset);
    return b;
  },
  pngCrcOrData(r, b) {
    const chunks = pngChunks(b);
    if (chunks.length === 0) return MUTATORS.bitFlips(r, b);
    const c = r.pick(chunks);
    if (c.length > 0) b[c.offset + 8 + r.int(c.length)] ^= 1 << r.int(8);
    // Usually with a valid CRC, so the corruption reaches zlib and the filters.
    if (r.chance(0.8)) fixPngCrc(b, c);
    return b;
  },
  pngHugeDims(r, b) {
    const ihdr = pngChunks(b).find((c) => c.type === 'IHDR');
    if (!ihdr) return MUTATORS.bitFlips(r, b);
    b.writeUInt32BE(
      r.pick([0, 1, 0x7fffffff, 0xffffffff, 100000, r.int(2 ** 32)]) >>> 0,
      ihdr.offset + 8 + r.int(2) * 4,
    );
    if (r.chance(0.5)) b[ihdr.offset + 16] = r.pick([1, 2, 4, 8, 16, 3, 0]); // bit depth
    if (r.chance(0.3)) b[ihdr.offset + 17] = r.pick([0, 2, 3, 4, 6, 7]); // colour type
    fixPngCrc(b, ihdr);
    return b;
  },
};

const FORMAT_MUTATORS = {
  jpg: ['jpegSegmentLength', 'jpegFrame', 'jpegHuffman', 'jpegMarkerSwap'],
  png: ['pngChunkLength', 'pngCrcOrData', 'pngHugeDims'],
};
const GENERIC_MUTATORS = ['bitFlips', 'byteRun', 'truncate', 'insertBytes', 'deleteBytes'];

/** { seedName, mutations, bytes, call, options, truncatedBeforeEnd } for decoder case i. */
function decoderCase(seed, index) {
  const r = rngFor(seed, index, 1);
  const src = r.pick(seedImages());
  let b = Buffer.from(src.bytes);
  const ext = path.extname(src.name).slice(1);
  const mutations = [];
  const rounds = 1 + r.int(3);
  for (let k = 0; k < rounds; k++) {
    const pool = FORMAT_MUTATORS[ext] && r.chance(0.5) ? FORMAT_MUTATORS[ext] : GENERIC_MUTATORS;
    const name = r.pick(pool);
    mutations.push(name);
    if (b.length === 0) break;
    b = Buffer.from(MUTATORS[name](r, b));
  }
  const end = imageEnd(src.name, src.bytes);
  // A pure truncation (the only mutation) that cut before the end-of-image marker: whatever
  // decodes from it can only be part of the image.
  const truncatedBeforeEnd = mutations.length === 1 && mutations[0] === 'truncate' && b.length <= end && end > 0;
  const call = r.pick(['decodeSync', 'decodeSync', 'decode', 'preprocess', 'preprocessSyncMat']);
  const options = {
    flags: r.pick([undefined, 'color', 'grayscale', 'unchanged']),
    reduce: r.pick([undefined, undefined, 1, 2, 4, 8]),
    maxPixels: r.pick([undefined, undefined, 1000, 2 ** 30]),
  };
  const spec = {
    width: r.pick([16, 64, 97]),
    height: r.pick([16, 48, 200]),
    resize: r.pick(['stretch', 'letterbox', 'center-crop']),
    dtype: r.pick(['uint8', 'float32']),
  };
  return { seedName: src.name, mutations, bytes: b, call, options, spec, truncatedBeforeEnd };
}

// ------------------------------------------------------------------------------ loaders

const LOADER_KINDS = ['frozenBytes', 'frozenFile', 'savedModelPb', 'savedModelVariables', 'special'];
const SPECIALS = [
  '/dev/zero',
  '/dev/null',
  '/dev/urandom',
  'fifo',
  'directory',
  'symlinkLoop',
  'sparse2g',
  'dangling',
  'longName',
  'empty',
];

/** Describes loader case i; `materialize(c, dir)` (child.js) builds its files. */
function loaderCase(seed, index) {
  const r = rngFor(seed, index, 2);
  const kind = r.pick(LOADER_KINDS);
  const c = { kind, async: r.chance(0.5) };
  if (kind === 'special') {
    c.special = r.pick(SPECIALS);
    c.target = r.pick(['frozen', 'savedModelDir', 'savedModelPb', 'variablesIndex', 'matRead']);
  } else {
    const base = kind.startsWith('frozen') ? fs.readFileSync(path.join(FIXTURES, 'models/frozen/graph.pb')) : null;
    c.mutationSeed = r.int(2 ** 31);
    c.mutation = r.pick(GENERIC_MUTATORS);
    if (base) {
      const m = rngFor(c.mutationSeed, 0, 3);
      c.bytes = Buffer.from(MUTATORS[c.mutation](m, Buffer.from(base)));
    }
    c.runAfterLoad = r.chance(0.5);
  }
  return c;
}

module.exports = { rngFor, decoderCase, loaderCase, MUTATORS, GENERIC_MUTATORS, FIXTURES, ROOT, SEED_IMAGES };
