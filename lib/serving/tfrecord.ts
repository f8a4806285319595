// TFRecord framing, as TensorFlow writes it (tf.io.TFRecordWriter): per record a uint64 LE
// length, the masked CRC-32C of those 8 bytes, the data, the masked CRC-32C of the data.
// Both checksums are verified: a truncated or corrupted file is an error naming the record
// and offset, never a partial read. (Compressed TFRecords are not read.)
import { crc32c } from '@aws-crypto/crc32c';
import { ArgumentError } from '../errors';
import * as v from '../validate';

function bytesArg(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new ArgumentError(`${name}: expected a Uint8Array or Buffer, got ${v.describe(value)}`);
  try {
    new DataView(value.buffer, value.byteOffset, value.byteLength);
  } catch {
    throw new ArgumentError(`${name}: its ArrayBuffer is detached (transferred); pass bytes that are still readable`);
  }
  return value;
}

const MASK_DELTA = 0xa282ead8;

/** TensorFlow's masked CRC-32C (crc rotated right by 15 bits plus a constant). */
export function maskedCrc32c(data: Uint8Array): number {
  bytesArg(data, 'data');
  const crc = crc32c(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Splits a TFRecord file's bytes into its records (views into `bytes`), checking every checksum. */
export function readTfRecords(bytes: Uint8Array, name = 'TFRecord file', maxRecords = 100_000): Uint8Array[] {
  bytesArg(bytes, 'bytes');
  if (typeof name !== 'string') throw new ArgumentError(`name: expected a string, got ${v.describe(name)}`);
  v.integer(maxRecords, 'maxRecords', 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const at = `${name}: record ${records.length} at byte ${offset}`;
    if (records.length >= maxRecords) throw new ArgumentError(`${name}: more than ${maxRecords} records`);
    if (offset + 12 > bytes.byteLength) throw new ArgumentError(`${at}: truncated header`);
    const lengthBig = view.getBigUint64(offset, true);
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(bytes.subarray(offset, offset + 8)))
      throw new ArgumentError(`${at}: the length's checksum does not match (corrupted file?)`);
    const start = offset + 12;
    if (lengthBig > BigInt(bytes.byteLength - start - 4))
      throw new ArgumentError(`${at}: truncated record (length ${lengthBig} past the end of the file)`);
    const end = start + Number(lengthBig);
    const data = bytes.subarray(start, end);
    if (view.getUint32(end, true) !== maskedCrc32c(data))
      throw new ArgumentError(`${at}: the data's checksum does not match (corrupted file?)`);
    records.push(data);
    offset = end + 4;
  }
  return records;
}

/** Frames records as a TFRecord file (for tests and tools that write warm-up files). */
export function writeTfRecords(records: readonly Uint8Array[]): Buffer {
  const list = v.arrayItems(records, 'records', 1_000_000, 'an array of Uint8Arrays');
  const parts: Buffer[] = [];
  for (const [i, item] of list.entries()) {
    const data = bytesArg(item, `records[${i}]`);
    const header = Buffer.alloc(12);
    header.writeBigUInt64LE(BigInt(data.byteLength), 0);
    header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
    const footer = Buffer.alloc(4);
    footer.writeUInt32LE(maskedCrc32c(data), 0);
    parts.push(header, Buffer.from(data.buffer, data.byteOffset, data.byteLength), footer);
  }
  return Buffer.concat(parts);
}
