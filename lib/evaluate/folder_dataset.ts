// A dataset from folders: every image file of a directory (sorted by name, so shards are
// deterministic), each paired with the mask of the same file stem in a masks directory
// ("cat.jpg" with "cat.png"). Problems are reported by file name: a missing directory or
// one without images is an error at once; a missing mask is listed for the caller to
// treat as fatal or skip. Entries named like images that are not regular files (FIFOs,
// directories, devices, sockets, symlinks to those or dangling) are never opened: reading
// one could block forever; they are listed in `unreadable` with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { ArgumentError } from '../errors';
import { regularFileProblem } from '../files';
import { Sample } from './sample';
import { Shard, selectShard } from './shard';
import { optionKeys } from '../option_keys';
import * as v from '../validate';

export const IMAGE_EXTENSIONS: readonly string[] = [
  '.png',
  '.jpg',
  '.jpeg',
  '.bmp',
  '.tif',
  '.tiff',
  '.webp',
  '.pgm',
  '.ppm',
  '.pbm',
];

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
  /** Entries (of this shard) named like images that are not readable regular files, with the reason. */
  unreadable: Array<{ file: string; reason: string }>;
  /** Image files found in the directory, before sharding. */
  totalImages: number;
}

function imageFiles(dir: string, what: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : (error as Error).message;
    throw new ArgumentError(`${what} ${dir}: ${reason}`);
  }
  return entries
    .filter((e) => !e.name.startsWith('.') && IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const stem = (file: string) => file.slice(0, file.length - path.extname(file).length);

const FOLDER_KEYS = optionKeys<FolderDatasetOptions>('folderDataset', { masksDir: true, shard: true });

/** Lists `imagesDir` (and `masksDir`) into samples; see the file header for the rules. */
export function folderDataset(imagesDir: string, opts?: FolderDatasetOptions): FolderDataset {
  if (typeof imagesDir !== 'string' || imagesDir.length === 0)
    throw new ArgumentError('imagesDir: expected a directory path');
  const options = v.optionsObject(opts, FOLDER_KEYS);
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
      if (other !== undefined)
        throw new ArgumentError(
          `masks directory ${options.masksDir}: ${other} and ${file} both match images named ${key}.*`,
        );
      masksByStem.set(key, file);
    }
  }
  const samples: Sample[] = [];
  const missingMasks: string[] = [];
  const unreadable: Array<{ file: string; reason: string }> = [];
  for (const file of selectShard(images, options.shard)) {
    const sample: Sample = { id: file, image: path.join(imagesDir, file) };
    const imageProblem = regularFileProblem(sample.image as string);
    if (imageProblem !== null) {
      unreadable.push({ file, reason: `the image is ${imageProblem}` });
      continue;
    }
    if (masksByStem !== null) {
      const mask = masksByStem.get(stem(file));
      if (mask === undefined) {
        missingMasks.push(file);
        continue;
      }
      sample.mask = path.join(options.masksDir!, mask);
      const maskProblem = regularFileProblem(sample.mask as string);
      if (maskProblem !== null) {
        unreadable.push({ file, reason: `its mask ${mask} is ${maskProblem}` });
        continue;
      }
    }
    samples.push(sample);
  }
  return { samples, missingMasks, unreadable, totalImages: images.length };
}
