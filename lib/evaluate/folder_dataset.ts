// A dataset from folders: every image file of a directory (sorted by name, so shards are
// deterministic), each paired with the mask of the same file stem in a masks directory
// ("cat.jpg" with "cat.png"). Problems are reported by file name: a missing directory or
// one without images is an error at once; a missing mask is listed for the caller to
// treat as fatal or skip.
import fs from 'node:fs';
import path from 'node:path';
import { ArgumentError } from '../errors';
import { Sample } from './sample';
import { Shard, selectShard } from './shard';

export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.pgm', '.ppm', '.pbm'];

export interface FolderDatasetOptions {
  /** Directory of masks paired by file stem. */
  masksDir?: string;
  /** Evaluate only this slice (1-based index of count). */
  shard?: Shard | null;
}

export interface FolderDataset {
  /** Samples with file paths (decoded by evaluate() as it goes), ids = image file names. */
  samples: Sample[];
  /** Image files (of this shard) without a mask, when masksDir is given. */
  missingMasks: string[];
  /** Image files found in the directory, before sharding. */
  totalImages: number;
}

function imageFiles(dir: string, what: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : (error as Error).message;
    throw new ArgumentError(`${what} ${dir}: ${reason}`);
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const stem = (file: string) => file.slice(0, file.length - path.extname(file).length);

/** Lists `imagesDir` (and `masksDir`) into samples; see the file header for the rules. */
export function folderDataset(imagesDir: string, options: FolderDatasetOptions = {}): FolderDataset {
  if (typeof imagesDir !== 'string' || imagesDir.length === 0) throw new ArgumentError('imagesDir: expected a directory path');
  const images = imageFiles(imagesDir, 'images directory');
  if (images.length === 0) {
    throw new ArgumentError(`images directory ${imagesDir}: no image files (${IMAGE_EXTENSIONS.join(', ')})`);
  }
  let masksByStem: Map<string, string> | null = null;
  if (options.masksDir !== undefined) {
    masksByStem = new Map();
    for (const file of imageFiles(options.masksDir, 'masks directory')) {
      const key = stem(file);
      const other = masksByStem.get(key);
      if (other !== undefined) throw new ArgumentError(`masks directory ${options.masksDir}: ${other} and ${file} both match images named ${key}.*`);
      masksByStem.set(key, file);
    }
  }
  const samples: Sample[] = [];
  const missingMasks: string[] = [];
  for (const file of selectShard(images, options.shard)) {
    const sample: Sample = { id: file, image: path.join(imagesDir, file) };
    if (masksByStem !== null) {
      const mask = masksByStem.get(stem(file));
      if (mask === undefined) {
        missingMasks.push(file);
        continue;
      }
      sample.mask = path.join(options.masksDir!, mask);
    }
    samples.push(sample);
  }
  return { samples, missingMasks, totalImages: images.length };
}
