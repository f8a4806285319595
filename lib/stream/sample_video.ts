// A synthetic video with known content, for the README, tests and benchmarks: a circle, an
// ellipse and a square (the bundled shapedet's three classes, at its training scale once the
// frame is shrunk to 64x64) moving over a colour gradient, drawn with OpenCV and encoded by
// ffmpeg. The true box of every shape in every frame is returned with the file.
import { ArgumentError } from '../errors';
import { refuseUnknownKey } from '../option_keys';
import { Mat } from '../mat';
import '../ops/draw';
import * as v from '../validate';
import { VideoWriter } from './video_writer';

export interface SampleVideoOptions {
  /** Default 90 (3 s at 30 fps). */
  frames?: number;
  /** Default 30. */
  fps?: number;
  /** Side of the square frame. Default 256. */
  size?: number;
  /** ffmpeg encoder (see VideoWriter). Default 'libx264'. */
  codec?: string;
  ffmpeg?: string;
}

export interface SampleShape {
  kind: 'circle' | 'ellipse' | 'square';
  /** [x, y, w, h] of the drawn polygon's points, frame pixels. */
  box: number[];
}

const KEYS = ['frames', 'fps', 'size', 'codec', 'ffmpeg'];

/** The polygons of frame `i` (size x size): three shapes on Lissajous paths. */
export function sampleShapes(i: number, size: number): Array<{ kind: SampleShape['kind']; points: Int32Array }> {
  const u = size / 64;
  const t = i / 30;
  const poly = (cx: number, cy: number, rx: number, ry: number, angle: number, n: number, phase = 0) => {
    const pts = new Int32Array(n * 2);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    for (let k = 0; k < n; k++) {
      const a = phase + (2 * Math.PI * k) / n;
      const x = rx * Math.cos(a);
      const y = ry * Math.sin(a);
      pts[2 * k] = Math.round(cx + x * c - y * s);
      pts[2 * k + 1] = Math.round(cy + x * s + y * c);
    }
    return pts;
  };
  return [
    {
      kind: 'circle',
      points: poly((20 + 8 * Math.sin(t * 1.3)) * u, (18 + 6 * Math.cos(t * 0.9)) * u, 9 * u, 9 * u, 0, 48),
    },
    {
      kind: 'ellipse',
      points: poly((42 + 6 * Math.cos(t * 1.1)) * u, (22 + 6 * Math.sin(t * 1.7)) * u, 14 * u, 7 * u, t * 0.8, 48),
    },
    {
      kind: 'square',
      // A square's corners are the 4 points of a circle of radius side / sqrt(2).
      points: poly(
        (32 + 14 * Math.sin(t * 0.7)) * u,
        (46 + 4 * Math.cos(t * 1.5)) * u,
        13 * u,
        13 * u,
        t * 0.6,
        4,
        Math.PI / 4,
      ),
    },
  ];
}

function bbox(points: Int32Array): number[] {
  let x1 = Infinity,
    y1 = Infinity,
    x2 = -Infinity,
    y2 = -Infinity;
  for (let k = 0; k < points.length; k += 2) {
    x1 = Math.min(x1, points[k]!);
    x2 = Math.max(x2, points[k]!);
    y1 = Math.min(y1, points[k + 1]!);
    y2 = Math.max(y2, points[k + 1]!);
  }
  return [x1, y1, x2 - x1 + 1, y2 - y1 + 1];
}

/** Frame `i` of the sample video as a BGR Mat (the caller disposes it). */
export function sampleFrame(i: number, size: number): Mat<'uint8'> {
  const bytes = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const g = (x + y) / (2 * (size - 1));
      const o = (y * size + x) * 3;
      bytes[o] = 40 + 150 * (1 - g);
      bytes[o + 1] = 60 + 60 * g;
      bytes[o + 2] = 30 + 170 * g;
    }
  }
  const mat = Mat.fromBuffer(bytes, { rows: size, cols: size, channels: 3 });
  const colors: Record<SampleShape['kind'], number[]> = {
    circle: [240, 240, 250],
    ellipse: [20, 220, 250],
    square: [250, 40, 20],
  };
  for (const s of sampleShapes(i, size)) mat.drawContours([s.points], colors[s.kind], { thickness: 'filled' });
  return mat;
}

/** Writes the sample video to `path` (MP4 for .mp4); returns the true shapes of every frame. */
export async function writeSampleVideo(path: string, options: SampleVideoOptions = {}): Promise<SampleShape[][]> {
  const o = v.selfCheckedOptions(options, 'options');
  for (const key of Object.keys(o)) if (!KEYS.includes(key)) refuseUnknownKey(key, 'writeSampleVideo', KEYS, 'options');
  const frames = v.integer(o.frames ?? 90, 'options.frames', 1, 100000);
  const fps = v.integer(o.fps ?? 30, 'options.fps', 1, 240);
  const size = v.integer(o.size ?? 256, 'options.size', 64, 4096);
  if (size % 2 !== 0) throw new ArgumentError(`options.size: expected an even number (yuv420p), got ${size}`);
  const writer = new VideoWriter(path, {
    width: size,
    height: size,
    fps,
    ...(o.codec ? { codec: o.codec } : {}),
    ...(o.ffmpeg ? { ffmpeg: o.ffmpeg } : {}),
  });
  const truth: SampleShape[][] = [];
  try {
    for (let i = 0; i < frames; i++) {
      const mat = sampleFrame(i, size);
      try {
        await writer.write(mat);
      } finally {
        mat.dispose();
      }
      truth.push(sampleShapes(i, size).map((s) => ({ kind: s.kind, box: bbox(s.points) })));
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.close();
  return truth;
}
