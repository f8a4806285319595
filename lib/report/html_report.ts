// The HTML report of `tfcv demo --report DIR` and `tfcv evaluate --report DIR`: a page a
// person opens in a browser, with the results table and one card per image (the overlay
// PNG and that image's metric values), the worst images first so problems are seen first.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EvaluatedBatch } from '../evaluate/evaluate';
import { overlayPng } from './overlay';

export interface ReportRow {
  metric: string;
  value: string;
  details: string;
}

interface Card {
  id: string;
  file: string;
  values: Record<string, number>;
  note: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const format = (x: number) => (Number.isNaN(x) ? '—' : Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4));

export class HtmlReport {
  private readonly cards: Card[] = [];
  private readonly writes: Array<Promise<void>> = [];
  private ready: Promise<unknown> | null = null;
  private plots: Array<{ src: string; title: string }> = [];

  constructor(readonly dir: string) {}

  /**
   * Draws the batch's overlays (call from evaluate's onBatch, while its tensors live).
   * `threshold`: prediction values above it are the predicted shape.
   */
  addBatch(batch: EvaluatedBatch, threshold: number, notes: (id: string) => string = () => ''): void {
    this.ready ??= mkdir(path.join(this.dir, 'images'), { recursive: true });
    batch.ids.forEach((id, i) => {
      const image = batch.images[i]!;
      // About 256 px on the long side: small images are enlarged so pixels can be seen.
      const scale = Math.max(1, Math.min(8, Math.round(256 / Math.max(image.rows, image.cols))));
      const png = overlayPng(image, batch.predictions, batch.truth, i, threshold, scale);
      const file = `images/${String(this.cards.length).padStart(5, '0')}.png`;
      const values: Record<string, number> = {};
      for (const [name, list] of Object.entries(batch.values)) values[name] = list[i]!;
      this.cards.push({ id, file, values, note: notes(id) });
      const written = this.ready!.then(() => writeFile(path.join(this.dir, file), png));
      written.catch(() => undefined); // reported by write(), which awaits every file
      this.writes.push(written);
    });
  }

  /** Adds one ready-made picture (PNG bytes) with its values: detection reports draw their own. */
  addImage(id: string, png: Buffer, values: Record<string, number>, note = ''): void {
    this.ready ??= mkdir(path.join(this.dir, 'images'), { recursive: true });
    const file = `images/${String(this.cards.length).padStart(5, '0')}.png`;
    this.cards.push({ id, file, values, note });
    const written = this.ready.then(() => writeFile(path.join(this.dir, file), png));
    written.catch(() => undefined);
    this.writes.push(written);
  }

  /** Pictures already written under the report folder (`folder`/file), shown above the images. */
  addPlots(folder: string, plots: ReadonlyArray<{ file: string; title: string }>): void {
    for (const p of plots) this.plots.push({ src: `${folder}/${p.file}`, title: p.title });
  }

  /** Writes index.html; returns its path. `sortBy` orders the cards, lowest value first. */
  async write(
    title: string,
    summary: string,
    rows: ReportRow[],
    sortBy: string | null,
    drawn: 'Contours' | 'Boxes' = 'Contours',
  ): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await Promise.all(this.writes);
    const cards = this.cards.slice();
    if (sortBy !== null) {
      const key = (c: Card) => (Number.isNaN(c.values[sortBy] ?? NaN) ? Infinity : c.values[sortBy]!);
      cards.sort((a, b) => key(a) - key(b));
    }
    const table = rows
      .map(
        (r) =>
          `<tr><td>${escape(r.metric)}</td><td class="num">${escape(r.value)}</td><td>${escape(r.details)}</td></tr>`,
      )
      .join('\n');
    const grid = cards
      .map((c) => {
        const values = Object.entries(c.values)
          .map(([k, x]) => `<div><span>${escape(k)}</span> ${format(x)}</div>`)
          .join('');
        return `<figure><img src="${c.file}" alt="${escape(c.id)}"><figcaption><b>${escape(c.id)}</b>${c.note ? ` <i>${escape(c.note)}</i>` : ''}${values}</figcaption></figure>`;
      })
      .join('\n');
    const plots = this.plots
      .map((p) => `<figure class="plot"><img src="${escape(p.src)}" alt="${escape(p.title)}"></figure>`)
      .join('\n');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;max-width:272px}
img{image-rendering:pixelated;max-width:100%;border:1px solid #ccc}figcaption{font-size:12px}
figcaption span{color:#666}.legend b{padding:0 6px}
.plots{display:flex;flex-wrap:wrap;gap:12px}.plot{max-width:600px}.plot img{image-rendering:auto;border:1px solid #ddd}
</style></head><body>
<h1>${escape(title)}</h1>
<p>${escape(summary)}</p>
<table><tr><th>metric</th><th>value</th><th>details</th></tr>
${table}
</table>
${plots ? `<h2>Plots</h2>\n<div class="plots">\n${plots}\n</div>\n<h2>Images</h2>` : ''}
<p class="legend">${drawn}: <b style="color:#e62828">predicted</b> <b style="color:#3cc83c">true</b>${sortBy ? ` — images sorted by ${escape(sortBy)}, lowest first` : ''}</p>
<div class="grid">
${grid}
</div></body></html>
`;
    const file = path.join(this.dir, 'index.html');
    await writeFile(file, html);
    return file;
  }
}
