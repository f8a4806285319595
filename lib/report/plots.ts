// The pictures of an evaluation, drawn by tfcv itself with OpenCV's drawing calls on a Mat and
// encoded as PNG (no plotting dependency): line plots on [0, 1] x [0, 1] (PR curves, precision /
// recall / F1 against confidence), a confusion-matrix heat map with class labels, and a
// histogram. Text is OpenCV's Hershey font (printable ASCII); vertical text is drawn on the
// canvas turned a quarter turn, then turned back.
import { Mat } from '../mat';
import '../ops/codec';
import '../ops/draw';
import '../ops/geometry';

type BGR = [number, number, number];

/** Tableau 10 (matplotlib's default cycle), as BGR. */
export const PALETTE: readonly BGR[] = [
  [180, 119, 31],
  [14, 127, 255],
  [44, 160, 44],
  [40, 39, 214],
  [189, 103, 148],
  [75, 86, 140],
  [194, 119, 227],
  [127, 127, 127],
  [34, 189, 188],
  [207, 190, 23],
];

const INK: BGR = [40, 40, 40];
const GRID: BGR = [225, 225, 225];
const WHITE: BGR = [255, 255, 255];
const FONT = 0.45;

/** Printable ASCII only (Hershey fonts draw anything else as '?'), at most `max` characters. */
export function plotText(s: string, max = 40): string {
  const ascii = s.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > max ? `${ascii.slice(0, max - 1)}~` : ascii;
}

/** Approximate width in pixels of Hershey simplex text (OpenCV's glyphs average ~19 px at scale 1). */
const pt = (x: number, y: number) => ({ x: Math.round(x), y: Math.round(y) });
const textWidth = (s: string, scale: number) => Math.round(s.length * 19 * scale);

function canvas(width: number, height: number): Mat {
  const m = Mat.zeros(height, width, { channels: 3 });
  m.setTo(WHITE);
  return m;
}

function text(m: Mat, s: string, x: number, y: number, scale = FONT, color: BGR = INK, thickness = 1): void {
  m.putText(plotText(s, 60), pt(x, y), color, { fontScale: scale, thickness, lineType: 'aa' });
}

/**
 * Texts that read bottom to top: each at (x, y) = the bottom-left of its first letter in the
 * canvas' own coordinates. Returns the new canvas (the old one is disposed).
 */
function verticalTexts(m: Mat, items: Array<{ s: string; x: number; y: number; scale?: number }>): Mat {
  const H = m.rows;
  const turned = m.rotateSync(90); // clockwise: (x, y) -> (H - 1 - y, x)
  m.dispose();
  // In the turned canvas the text runs left to right from (H - 1 - y) with its baseline at x;
  // letters rise towards smaller x, i.e. to the left of x once turned back.
  for (const it of items) text(turned, it.s, H - 1 - it.y, it.x, it.scale ?? FONT);
  const back = turned.rotateSync(270);
  turned.dispose();
  return back;
}

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: BGR;
  thickness?: number;
}

export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** A marked point (e.g. the best-F1 threshold) with its label. */
  marker?: { x: number; y: number; label: string };
  /** Series beyond this many are drawn thin and grey, without a legend entry. Default 12. */
  legendMax?: number;
}

/** A line plot on [0, 1] x [0, 1], as PNG bytes. NaN points break a line. */
export function linePlotPng(o: LinePlotOptions): Buffer {
  const W = 900,
    H = 560,
    left = 70,
    right = 230,
    top = 50,
    bottom = 60;
  const pw = W - left - right,
    ph = H - top - bottom;
  const px = (x: number) => left + x * pw;
  const py = (y: number) => top + (1 - y) * ph;
  let m = canvas(W, H);
  try {
    for (let i = 0; i <= 10; i++) {
      const t = i / 10;
      m.line(pt(px(t), top), pt(px(t), top + ph), GRID);
      m.line(pt(left, py(t)), pt(left + pw, py(t)), GRID);
      if (i % 2 === 0) {
        const label = t.toFixed(1);
        text(m, label, px(t) - textWidth(label, FONT) / 2, top + ph + 18);
        text(m, label, left - 8 - textWidth(label, FONT), py(t) + 5);
      }
    }
    m.rectangle({ x: left, y: top, width: pw + 1, height: ph + 1 }, INK);
    text(m, o.title, left, 30, 0.6, INK, 1);
    text(m, o.xLabel, left + pw / 2 - textWidth(o.xLabel, 0.5) / 2, H - 14, 0.5);
    const legendMax = o.legendMax ?? 12;
    const many = o.series.length > legendMax + 1;
    // Thin grey lines first (when there are many), then the coloured ones on top.
    const order = o.series.map((s, i) => ({ s, i }));
    let legendY = top + 12;
    for (const { s, i } of order) {
      const emphasised = !many || i === o.series.length - 1 || s.thickness !== undefined;
      const color = emphasised ? (s.color ?? PALETTE[i % PALETTE.length]!) : ([190, 190, 190] as BGR);
      const thickness = s.thickness ?? (emphasised ? 2 : 1);
      let prev: { x: number; y: number } | null = null;
      for (let k = 0; k < s.x.length; k++) {
        const x = s.x[k]!,
          y = s.y[k]!;
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          prev = null;
          continue;
        }
        const p = pt(px(Math.min(1, Math.max(0, x))), py(Math.min(1, Math.max(0, y))));
        if (prev && (prev.x !== p.x || prev.y !== p.y)) m.line(prev, p, color, { thickness, lineType: 'aa' });
        prev = p;
      }
      if (emphasised && legendY < top + ph - 10) {
        m.line(pt(left + pw + 15, legendY - 4), pt(left + pw + 40, legendY - 4), color, {
          thickness: 2,
          lineType: 'aa',
        });
        text(m, plotText(s.name, 22), left + pw + 46, legendY);
        legendY += 20;
      }
    }
    if (many) text(m, `(${o.series.length - 1} classes in grey)`, left + pw + 15, legendY + 4, 0.4);
    if (o.marker && Number.isFinite(o.marker.x) && Number.isFinite(o.marker.y)) {
      const c = pt(px(o.marker.x), py(o.marker.y));
      m.circle(c, 6, [0, 0, 200], { thickness: 2, lineType: 'aa' });
      const label = plotText(o.marker.label, 40);
      const lx = Math.min(c.x + 10, left + pw - textWidth(label, FONT) - 4);
      const ly = c.y > top + 30 ? c.y - 12 : c.y + 24;
      const lx0 = Math.max(left + 4, lx);
      // A white plate behind the label keeps it legible over the lines.
      m.rectangle({ x: lx0 - 3, y: ly - 14, width: textWidth(label, FONT) + 6, height: 19 }, WHITE, {
        thickness: 'filled',
      });
      m.rectangle({ x: lx0 - 3, y: ly - 14, width: textWidth(label, FONT) + 6, height: 19 }, [0, 0, 160]);
      text(m, label, lx0, ly, FONT, [0, 0, 160]);
    }
    m = verticalTexts(m, [{ s: o.yLabel, x: 24, y: top + ph / 2 + textWidth(o.yLabel, 0.5) / 2, scale: 0.5 }]);
    return m.encodeSync('png');
  } finally {
    m.dispose();
  }
}

export interface HeatmapOptions {
  title: string;
  /** matrix[row][column] counts. */
  matrix: number[][];
  rowLabels: string[];
  columnLabels: string[];
  rowTitle: string;
  columnTitle: string;
}

/** White to dark blue. */
function shade(t: number): BGR {
  const a: BGR = [255, 255, 255],
    b: BGR = [107, 48, 8];
  return [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as BGR;
}

/**
 * A confusion-matrix heat map, as PNG bytes: each row normalised by its sum (the share of that
 * row's boxes or pixels in each column), with the counts written in the cells when they fit.
 */
export function heatmapPng(o: HeatmapOptions): Buffer {
  const n = o.matrix.length,
    k = o.matrix[0]?.length ?? 0;
  const cell = Math.max(13, Math.min(56, Math.floor(720 / Math.max(n, k, 1))));
  const labelChars = 14;
  const labelW = Math.max(...o.rowLabels.map((s) => textWidth(plotText(s, labelChars), 0.4)), 20) + 16;
  const colLabelH = Math.max(...o.columnLabels.map((s) => textWidth(plotText(s, labelChars), 0.4)), 20) + 16;
  const left = 40 + labelW,
    top = 60 + colLabelH;
  const W = Math.max(left + k * cell + 130, 420),
    H = top + n * cell + 50;
  const showLabels = cell >= 12;
  const showCounts = cell >= 30;
  let m = canvas(W, H);
  try {
    text(m, o.title, 20, 30, 0.6);
    for (let r = 0; r < n; r++) {
      const row = o.matrix[r]!;
      const sum = row.reduce((a, b) => a + b, 0);
      for (let c = 0; c < k; c++) {
        const share = sum > 0 ? row[c]! / sum : 0;
        const color = shade(share);
        m.rectangle({ x: left + c * cell, y: top + r * cell, width: cell, height: cell }, color, {
          thickness: 'filled',
        });
        if (showCounts && row[c]! > 0) {
          const s = row[c]! >= 1e5 ? row[c]!.toExponential(0) : String(row[c]);
          const scale = cell >= 44 ? 0.45 : 0.35;
          text(
            m,
            s,
            left + c * cell + cell / 2 - textWidth(s, scale) / 2,
            top + r * cell + cell / 2 + 5,
            scale,
            share > 0.5 ? WHITE : INK,
          );
        }
      }
      if (showLabels) {
        const label = plotText(o.rowLabels[r] ?? '', labelChars);
        text(m, label, left - 8 - textWidth(label, 0.4), top + r * cell + cell / 2 + 5, 0.4);
      }
    }
    m.rectangle({ x: left, y: top, width: k * cell + 1, height: n * cell + 1 }, INK);
    // Colour bar: share of the row, 0 .. 1.
    const barX = left + k * cell + 30,
      barH = Math.min(n * cell, 300);
    for (let i = 0; i < barH; i++) {
      const c = shade(1 - i / (barH - 1));
      m.line(pt(barX, top + i), pt(barX + 16, top + i), c);
    }
    m.rectangle({ x: barX, y: top, width: 17, height: barH + 1 }, INK);
    text(m, '1.0', barX + 22, top + 10, 0.4);
    text(m, '0.0', barX + 22, top + barH, 0.4);
    text(m, 'row share', barX - 10, top + barH + 20, 0.4);
    text(m, o.columnTitle, left + (k * cell) / 2 - textWidth(o.columnTitle, 0.5) / 2, 52, 0.5);
    const vertical: Array<{ s: string; x: number; y: number; scale?: number }> = [
      { s: o.rowTitle, x: 24, y: top + (n * cell) / 2 + textWidth(o.rowTitle, 0.5) / 2, scale: 0.5 },
    ];
    if (showLabels)
      o.columnLabels.forEach((s, c) => {
        vertical.push({ s: plotText(s, labelChars), x: left + c * cell + cell / 2 + 5, y: top - 8, scale: 0.4 });
      });
    m = verticalTexts(m, vertical);
    return m.encodeSync('png');
  } finally {
    m.dispose();
  }
}

export interface HistogramOptions {
  title: string;
  xLabel: string;
  values: readonly number[];
  /** Equal-width bins over [0, 1]. Default 20. */
  bins?: number;
}

/** A histogram of values in [0, 1] (NaN left out, the count says how many), as PNG bytes. */
export function histogramPng(o: HistogramOptions): Buffer {
  const bins = o.bins ?? 20;
  const counts = histogram(o.values, bins);
  const W = 760,
    H = 480,
    left = 70,
    right = 30,
    top = 50,
    bottom = 60;
  const pw = W - left - right,
    ph = H - top - bottom;
  const max = Math.max(1, ...counts);
  let m = canvas(W, H);
  try {
    const step = niceStep(max);
    for (let y = 0; y <= max; y += step) {
      const yy = Math.round(top + ph - (y / max) * ph);
      m.line(pt(left, yy), pt(left + pw, yy), GRID);
      text(m, String(y), left - 8 - textWidth(String(y), FONT), yy + 5);
    }
    counts.forEach((c, b) => {
      const x0 = Math.round(left + (b / bins) * pw),
        x1 = Math.round(left + ((b + 1) / bins) * pw);
      const h = Math.round((c / max) * ph);
      if (h > 0)
        m.rectangle({ x: x0 + 1, y: top + ph - h, width: x1 - x0 - 1, height: h }, PALETTE[0]!, {
          thickness: 'filled',
        });
    });
    for (let i = 0; i <= 10; i += 2) {
      const label = (i / 10).toFixed(1);
      text(m, label, left + (i / 10) * pw - textWidth(label, FONT) / 2, top + ph + 18);
    }
    m.rectangle({ x: left, y: top, width: pw + 1, height: ph + 1 }, INK);
    const counted = o.values.filter((x) => !Number.isNaN(x)).length;
    const skipped = o.values.length - counted;
    text(m, `${o.title} (${counted} images${skipped ? `, ${skipped} undefined` : ''})`, left, 30, 0.6);
    text(m, o.xLabel, left + pw / 2 - textWidth(o.xLabel, 0.5) / 2, H - 14, 0.5);
    m = verticalTexts(m, [{ s: 'images', x: 24, y: top + ph / 2 + textWidth('images', 0.5) / 2, scale: 0.5 }]);
    return m.encodeSync('png');
  } finally {
    m.dispose();
  }
}

/**
 * Counts per equal-width bin of [0, 1] as numpy.histogram(values, bins, range=(0, 1)) counts
 * them: edges k * (1 / bins) (the last one 1), bin b = [edge b, edge b+1), the last one closed.
 * NaN and values outside [0, 1] are left out.
 */
export function histogram(values: readonly number[], bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const step = 1 / bins;
  const edge = (k: number) => (k >= bins ? 1 : k * step);
  for (const x of values) {
    if (!(x >= 0 && x <= 1)) continue;
    let b = Math.min(bins - 1, Math.floor(x * bins));
    if (x < edge(b)) b--;
    else if (b < bins - 1 && x >= edge(b + 1)) b++;
    counts[b]!++;
  }
  return counts;
}

function niceStep(max: number): number {
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return Math.max(1, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p);
}
