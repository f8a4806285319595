// Finds the ffmpeg program that decodes and encodes streams: options.ffmpeg, then the
// TFCV_FFMPEG environment variable, then PATH. tfcv does not bundle one (Debian's `ffmpeg`
// package is what setup installs as root); when none is found the error says how to get one.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { StreamError } from './errors';

const FIX =
  'install it (Debian/Ubuntu: apt-get install ffmpeg; `npx tfcv setup` does this when run as root), ' +
  'or point TFCV_FFMPEG or options.ffmpeg at an ffmpeg executable';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The path of the ffmpeg program to run; StreamError 'decoder-missing' naming the fix when there is none. */
export function findFfmpeg(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || explicit.length === 0)
      throw new ArgumentError(`options.ffmpeg: expected the path of an ffmpeg executable, got ${v.describe(explicit)}`);
    if (!executable(explicit))
      throw new StreamError(`options.ffmpeg: ${explicit} is not an executable file; ${FIX}`, 'decoder-missing');
    return explicit;
  }
  const fromEnv = env.TFCV_FFMPEG;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!executable(fromEnv))
      throw new StreamError(`TFCV_FFMPEG=${fromEnv} is not an executable file; ${FIX}`, 'decoder-missing');
    return fromEnv;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, 'ffmpeg');
    if (executable(file)) return file;
  }
  throw new StreamError(`the ffmpeg program was not found on PATH; ${FIX}`, 'decoder-missing');
}
