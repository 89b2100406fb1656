/**
 * Reading zip archives held in memory (wheels, .nupkg) without trusting them: the central
 * directory is walked once into small plain records, so an archive of many tiny entries costs
 * little (adm-zip spent about 10 KB of heap and 60 µs per entry, so one 6 MB upload of 65,000
 * empty entries took 600 MB and four seconds of a blocked server), the entry count is refused
 * before anything is built, and a member is inflated only up to the size asked for.
 */
import { inflateRawSync } from 'node:zlib';

export class ZipFormatError extends Error {}

export interface ZipEntryInfo {
  /** The path as stored, '/'-separated by the format (a '\' is the writer's mistake, kept as is). */
  name: string;
  isDirectory: boolean;
  /** 0 stored, 8 deflated; anything else is not read. */
  method: number;
  isEncrypted: boolean;
  /** The uncompressed size the central directory declares. */
  size: number;
  compressedSize: number;
  crc32: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** The entries of the archive, in directory order; more than `maxEntries` is refused before any is read. */
export function readZipDirectory(bytes: Buffer, maxEntries: number): ZipEntryInfo[] {
  const end = findEndRecord(bytes);
  let count = bytes.readUInt16LE(end + 10);
  let directorySize = bytes.readUInt32LE(end + 12);
  let offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new ZipFormatError('its zip64 end record is missing');
    const record = safeNumber(bytes.readBigUInt64LE(locator + 8));
    if (record + 56 > bytes.length || bytes.readUInt32LE(record) !== ZIP64_EOCD) throw new ZipFormatError('its zip64 end record is damaged');
    count = safeNumber(bytes.readBigUInt64LE(record + 32));
    directorySize = safeNumber(bytes.readBigUInt64LE(record + 40));
    offset = safeNumber(bytes.readBigUInt64LE(record + 48));
  }
  if (count > maxEntries) throw new ZipFormatError(`it has ${count} entries; at most ${maxEntries} are accepted`);
  if (offset + directorySize > bytes.length) throw new ZipFormatError('its central directory lies outside the file');
  const entries: ZipEntryInfo[] = [];
  for (let index = 0; index < count; index++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== CENTRAL) throw new ZipFormatError('its central directory is damaged');
    const flags = bytes.readUInt16LE(offset + 8);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const nameStart = offset + 46;
    if (nameStart + nameLength + extraLength > bytes.length) throw new ZipFormatError('its central directory is damaged');
    // Bit 11 marks UTF-8 names; others are CP437, which agrees with Latin-1 on the ASCII that matters.
    const name = bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLength);
    const sizes = zip64Sizes(bytes, nameStart + nameLength, extraLength, {
      size: bytes.readUInt32LE(offset + 24),
      compressedSize: bytes.readUInt32LE(offset + 20),
      localHeaderOffset: bytes.readUInt32LE(offset + 42),
    });
    entries.push({
      name,
      isDirectory: name.endsWith('/'),
      method: bytes.readUInt16LE(offset + 10),
      isEncrypted: (flags & 1) === 1,
      crc32: bytes.readUInt32LE(offset + 16),
      ...sizes,
    });
    offset = nameStart + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The member's bytes. A member that declares more than `maxBytes` is refused, inflation stops at
 * the declared size (a member may lie about it), and the CRC must match.
 */
export function readZipEntry(bytes: Buffer, entry: ZipEntryInfo, maxBytes: number): Buffer {
  if (entry.isEncrypted) throw new ZipFormatError('it is encrypted');
  if (entry.size > maxBytes) throw new ZipFormatError(`it would unpack to ${entry.size} bytes; the limit is ${maxBytes}`);
  const header = entry.localHeaderOffset;
  if (header + 30 > bytes.length || bytes.readUInt32LE(header) !== LOCAL) throw new ZipFormatError('its local header is damaged');
  const start = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
  if (start + entry.compressedSize > bytes.length) throw new ZipFormatError('its data lies outside the file');
  const data = bytes.subarray(start, start + entry.compressedSize);
  let content: Buffer;
  if (entry.method === 0) {
    content = data;
  } else if (entry.method === 8) {
    try {
      // zlib wants room for at least one byte even when the member is empty.
      content = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
      throw new ZipFormatError(tooBig ? `it unpacks to more than ${entry.size} bytes, the size it declares` : 'it does not inflate');
    }
  } else {
    throw new ZipFormatError(`it uses compression method ${entry.method}; only stored and deflated members are read`);
  }
  if (content.length !== entry.size) throw new ZipFormatError(`it unpacks to ${content.length} bytes, not the ${entry.size} it declares`);
  if (crc32(content) !== entry.crc32) throw new ZipFormatError('its CRC does not match its content');
  return content;
}

/** Whether an entry's path would stay inside the folder it is extracted to. */
export function isSafeZipPath(name: string): boolean {
  const normalized = name.replace(/\\/g, '/');
  return !(normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.includes('\0') || normalized.split('/').includes('..'));
}

function findEndRecord(bytes: Buffer): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - MAX_COMMENT); at--) {
    if (bytes.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipFormatError('it has no end of central directory record');
}

/** Sizes and offset, with the zip64 extra field's values for those the directory marks 0xFFFFFFFF. */
function zip64Sizes(bytes: Buffer, extraStart: number, extraLength: number, fields: { size: number; compressedSize: number; localHeaderOffset: number }) {
  const wanted = (['size', 'compressedSize', 'localHeaderOffset'] as const).filter((field) => fields[field] === 0xffffffff);
  if (wanted.length === 0) return fields;
  for (let at = extraStart; at + 4 <= extraStart + extraLength; ) {
    const id = bytes.readUInt16LE(at);
    const length = bytes.readUInt16LE(at + 2);
    if (id === 0x0001 && length >= wanted.length * 8 && at + 4 + length <= bytes.length) {
      const values = { ...fields };
      wanted.forEach((field, index) => (values[field] = safeNumber(bytes.readBigUInt64LE(at + 4 + index * 8))));
      return values;
    }
    at += 4 + length;
  }
  throw new ZipFormatError('an entry lacks its zip64 sizes');
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('it declares impossible sizes');
  return Number(value);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
