// Printing and recording benchmark results: one table per case with median, p99 and the
// ratio to a reference row, and a JSON file per benchmark in bench/results/.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const fmt = (ms) =>
  ms === null || ms === undefined ? 'n/a' : ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;

/**
 * rows: [{ name, median, p99, note? }] (ms; median null = not available, note says why).
 * The ratio column is median / the median of the row named `reference`.
 */
function printTable(title, rows, reference) {
  const ref = rows.find((r) => r.name === reference);
  console.log(`\n${title}`);
  const header = ['', 'median', 'p99', `ratio to ${reference}`];
  const lines = rows.map((r) => [
    r.name,
    r.median === null ? `n/a: ${r.note}` : fmt(r.median),
    r.median === null ? '' : fmt(r.p99),
    r.median === null || !ref || ref.median === null ? '' : `${(r.median / ref.median).toFixed(3)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  for (const l of lines) console.log(line(l));
}

function machine() {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
}

function writeResults(name, data) {
  const dir = path.join(__dirname, '../results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ machine: machine(), ...data }, null, 2));
  return file;
}

module.exports = { printTable, writeResults, fmt, machine };
