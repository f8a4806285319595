// Reading the files tfcv is given by path (images, frozen graphs, SavedModel directories)
// without the two classic failures of a plain fs.readFile: a hang on a special file (a
// FIFO waits for a writer, /dev/zero never ends) and an untyped Node error (ENOENT,
// EISDIR, ENAMETOOLONG, RangeError over 2 GiB). The file is opened non-blocking, checked
// with fstat to be a regular file under a size cap, and read exactly to its size; every
// failure is an ArgumentError or LimitError naming the argument and the path.
import fs from 'node:fs';
import { ArgumentError, LimitError } from './errors';
import * as v from './validate';

/** Largest file tfcv reads by path by default: 2 GiB - 1 (protobuf's and Buffer's practical cap). */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer;
// it changes nothing for regular files. O_NOCTTY: a terminal never becomes ours.
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;

/** What a non-regular file is, for messages ("a FIFO", "a directory"). */
export function fileKind(stat: fs.Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a file-system call failed, in words ("no such file or directory (ENOENT)"). */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a path component is not a directory',
    EISDIR: 'is a directory, expected a regular file',
    ENAMETOOLONG: 'the path is too long',
    ELOOP: 'too many levels of symbolic links (a symlink loop?)',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENXIO: 'no such device or address (a socket or a device without a reader?)',
    EMFILE: 'too many open files',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    EEXIST: 'the file exists',
  };
  const reason =
    (typeof code === 'string' && reasons[code]) || (error instanceof Error ? error.message : 'unknown error');
  return `${reason}${typeof code === 'string' ? ` (${code})` : ''}`;
}

/** A Node file-system error as a typed tfcv error naming `name` and the path. */
export function fileError(error: unknown, name: string, file: string, verb = 'read'): Error {
  const out = new ArgumentError(`${name}: cannot ${verb} ${v.describe(file)}: ${fileErrorReason(error)}`);
  (out as { cause?: unknown }).cause = error;
  return out;
}

function pathArgument(file: unknown, name: string): string {
  if (typeof file !== 'string' || file.length === 0)
    throw new ArgumentError(`${name}: expected a file path, got ${v.describe(file)}`);
  if (file.includes('\0')) throw new ArgumentError(`${name}: expected a file path, got a string with a NUL character`);
  return file;
}

function checkRegular(stat: fs.Stats, name: string, file: string, maxBytes: number): number {
  if (!stat.isFile())
    throw new ArgumentError(`${name}: ${v.describe(file)} is ${fileKind(stat)}, expected a regular file`);
  if (stat.size > maxBytes)
    throw new LimitError(`${name}: ${v.describe(file)} is ${stat.size} bytes, over the limit of ${maxBytes} bytes`);
  return stat.size;
}

/** Reads a regular file of at most `maxBytes` bytes; special files are refused before reading. */
export function readRegularFileSync(file: unknown, name: string, maxBytes = MAX_FILE_BYTES): Buffer {
  const path = pathArgument(file, name);
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw fileError(error, name, path);
  }
  try {
    const size = checkRegular(fs.fstatSync(fd), name, path, maxBytes);
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    // Exactly `size` bytes: a file that grows meanwhile cannot push us over the cap.
    while (filled < size) {
      const n = fs.readSync(fd, out, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? out : out.subarray(0, filled);
  } catch (error) {
    if (error instanceof ArgumentError || error instanceof LimitError) throw error;
    throw fileError(error, name, path);
  } finally {
    fs.closeSync(fd);
  }
}

/** Async twin of readRegularFileSync(). */
export async function readRegularFile(file: unknown, name: string, maxBytes = MAX_FILE_BYTES): Promise<Buffer> {
  const path = pathArgument(file, name);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, OPEN_FLAGS);
  } catch (error) {
    throw fileError(error, name, path);
  }
  try {
    const size = checkRegular(await handle.stat(), name, path, maxBytes);
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(out, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? out : out.subarray(0, filled);
  } catch (error) {
    if (error instanceof ArgumentError || error instanceof LimitError) throw error;
    throw fileError(error, name, path);
  } finally {
    await handle.close();
  }
}

/** Follows symlinks and checks that `file` is a directory; the typed error otherwise. */
export function requireDirectorySync(file: unknown, name: string): string {
  const path = pathArgument(file, name);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (error) {
    throw fileError(error, name, path);
  }
  if (!stat.isDirectory())
    throw new ArgumentError(`${name}: ${v.describe(path)} is ${fileKind(stat)}, expected a directory`);
  return path;
}

/**
 * Null when `file` (symlinks followed) is a regular file no larger than `maxBytes`; else
 * the reason it is not, for a caller that lists it as skipped instead of failing.
 */
export function regularFileProblem(file: string, maxBytes = MAX_FILE_BYTES): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return fileErrorReason(error);
  }
  if (!stat.isFile()) return `${fileKind(stat)}, not a regular file`;
  if (stat.size > maxBytes) return `${stat.size} bytes, over the limit of ${maxBytes} bytes`;
  return null;
}

// Writing: O_NONBLOCK so that a FIFO without a reader is ENXIO at once instead of a hang.
const WRITE_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;

/** Writes `data` to a regular file (created or truncated); anything else is an ArgumentError. */
export function writeRegularFileSync(file: unknown, name: string, data: Uint8Array): void {
  const path = pathArgument(file, name);
  let fd: number;
  try {
    fd = fs.openSync(path, WRITE_FLAGS, 0o666);
  } catch (error) {
    throw fileError(error, name, path, 'write');
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new ArgumentError(`${name}: ${v.describe(path)} is ${fileKind(stat)}, expected a regular file`);
    for (let done = 0; done < data.length;) done += fs.writeSync(fd, data, done, data.length - done);
  } catch (error) {
    if (error instanceof ArgumentError) throw error;
    throw fileError(error, name, path, 'write');
  } finally {
    fs.closeSync(fd);
  }
}

/** Async twin of writeRegularFileSync(). */
export async function writeRegularFile(file: unknown, name: string, data: Uint8Array): Promise<void> {
  const path = pathArgument(file, name);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, WRITE_FLAGS, 0o666);
  } catch (error) {
    throw fileError(error, name, path, 'write');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new ArgumentError(`${name}: ${v.describe(path)} is ${fileKind(stat)}, expected a regular file`);
    for (let done = 0; done < data.length;) done += (await handle.write(data, done, data.length - done)).bytesWritten;
  } catch (error) {
    if (error instanceof ArgumentError) throw error;
    throw fileError(error, name, path, 'write');
  } finally {
    await handle.close();
  }
}
