// Turning one sample into decoded Mats: files are read and decoded off the event loop;
// every failure becomes an error that names the sample and its file, so a bad file in a
// folder of thousands is found at once.
import { ArgumentError, DecodeError, TfcvError } from '../errors';
import { Mat } from '../mat';
import { fileErrorReason, readRegularFile } from '../files';
import * as v from '../validate';
import { Sample } from './sample';

export interface LoadedSample {
  id: string;
  image: Mat;
  mask: Mat | null;
  label: number | null;
  /** Mats decoded here (disposed when the batch is done); caller-owned Mats are not. */
  owned: Mat[];
}

async function decodeSource(
  source: unknown,
  flags: 'color' | 'grayscale',
  what: string,
  id: string,
): Promise<{ mat: Mat; owned: boolean }> {
  if (source instanceof Mat) {
    if (source.disposed) throw new ArgumentError(`sample '${id}': the ${what} Mat was disposed`);
    return { mat: source, owned: false };
  }
  let bytes: Uint8Array | ArrayBuffer;
  let where = '';
  if (typeof source === 'string') {
    where = ` (${source})`;
    try {
      bytes = await readRegularFile(source, what);
    } catch (error) {
      // Special files (FIFOs, devices, directories) are refused before any read: no hang.
      const cause = (error as { cause?: unknown }).cause;
      const reason =
        cause !== undefined
          ? fileErrorReason(cause)
          : error instanceof TfcvError
            ? error.message.slice(what.length + 2)
            : fileErrorReason(error);
      throw new ArgumentError(`sample '${id}': cannot read the ${what} file ${source}: ${reason}`);
    }
  } else if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    bytes = source;
  } else {
    throw new ArgumentError(
      `sample '${id}': ${what}: expected a Mat, encoded bytes or a file path, got ${v.describe(source)}`,
    );
  }
  try {
    return { mat: await Mat.decode(bytes, { flags }), owned: true };
  } catch (error) {
    if (error instanceof DecodeError) {
      throw new DecodeError(
        `sample '${id}': the ${what}${where} is not a decodable image (corrupt, truncated or an unsupported format)`,
      );
    }
    throw error;
  }
}

/** Decodes the image (color) and mask (grayscale) of one sample. */
export async function loadSample(sample: Sample, index: number): Promise<LoadedSample> {
  if (sample === null || typeof sample !== 'object') {
    throw new ArgumentError(
      `dataset[${index}]: expected a sample { image, mask?, label?, id? }, got ${v.describe(sample)}`,
    );
  }
  const id =
    typeof sample.id === 'string' ? sample.id : typeof sample.image === 'string' ? sample.image : String(index);
  let label: number | null = null;
  if (sample.label !== undefined) {
    if (sample.label !== 0 && sample.label !== 1 && sample.label !== true && sample.label !== false) {
      throw new ArgumentError(`sample '${id}': label: expected 0, 1, true or false, got ${v.describe(sample.label)}`);
    }
    label = sample.label === true || sample.label === 1 ? 1 : 0;
  }
  const owned: Mat[] = [];
  try {
    const image = await decodeSource(sample.image, 'color', 'image', id);
    if (image.owned) owned.push(image.mat);
    let mask: Mat | null = null;
    if (sample.mask !== undefined && sample.mask !== null) {
      const m = await decodeSource(sample.mask, 'grayscale', 'mask', id);
      if (m.owned) owned.push(m.mat);
      mask = m.mat;
      if (mask.channels !== 1 || mask.dtype !== 'uint8') {
        throw new ArgumentError(
          `sample '${id}': mask: expected a one-channel uint8 Mat, got ${mask.channels} channel(s) ${mask.dtype}`,
        );
      }
    }
    return { id, image: image.mat, mask, label, owned };
  } catch (error) {
    for (const m of owned) m.dispose();
    if (error instanceof TfcvError) throw error;
    throw error;
  }
}
