// A cheap structural check of a shared library before anything maps it: a truncated copy (a
// full disk, an interrupted copy, a partial layer) makes the dynamic loader map pages past the
// end of the file, and the first touch of one kills the process with SIGBUS and no message.
// Reading the ELF header and program headers (a few hundred bytes) finds that first, so the
// loader, `tfcv setup` and `tfcv doctor` can name the damaged file instead of crashing.
'use strict';
const fs = require('node:fs');

/** null when `file` looks like a complete 64-bit little-endian ELF object, else what is wrong. */
function elfProblem(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    return e.code === 'ENOENT' ? 'missing' : `unreadable (${e.code})`;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const header = Buffer.alloc(64);
    if (fs.readSync(fd, header, 0, 64, 0) < 64) return `truncated: ${size} bytes, not even an ELF header`;
    if (header.readUInt32BE(0) !== 0x7f454c46) return 'not an ELF file';
    if (header[4] !== 2 || header[5] !== 1) return 'not a 64-bit little-endian ELF file';
    const phoff = Number(header.readBigUInt64LE(0x20));
    const shoff = Number(header.readBigUInt64LE(0x28));
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    const shentsize = header.readUInt16LE(0x3a);
    const shnum = header.readUInt16LE(0x3c);
    const need = (end, what) => (end > size ? `truncated: ${size} bytes, ${what} ends at ${end}` : null);
    const phEnd = need(phoff + phentsize * phnum, 'the program header table');
    if (phEnd) return phEnd;
    const ph = Buffer.alloc(phentsize * phnum);
    fs.readSync(fd, ph, 0, ph.length, phoff);
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (ph.readUInt32LE(at) !== 1) continue; // PT_LOAD
      const end = Number(ph.readBigUInt64LE(at + 8)) + Number(ph.readBigUInt64LE(at + 32));
      const problem = need(end, `loadable segment ${i}`);
      if (problem) return problem;
    }
    return shnum ? need(shoff + shentsize * shnum, 'the section header table') : null;
  } finally {
    fs.closeSync(fd);
  }
}

module.exports = { elfProblem };
