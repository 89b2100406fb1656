/**
 * Reading zip archives (wheels, .nupkg) without trusting them, from memory or straight from a
 * file (only the central directory and the members asked for are read, so an upload is never
 * held whole for this): the central
 * directory is walked once into small plain records, so an archive of many tiny entries costs
 * little (adm-zip spent about 10 KB of heap and 60 µs per entry, so one 6 MB upload of 65,000
 * empty entries took 600 MB and four seconds of a blocked server), the entry count is refused
 * before anything is built, and a member is inflated only up to the size asked for.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
  /** The Unix file mode (type and permissions) when a Unix zip tool wrote the entry; 0 otherwise. */
  unixMode: number;
}

/** Where the archive's bytes come from: `read` returns exactly the bytes asked for, or fewer at the end. */
export interface ZipSource {
  size: number;
  read(position: number, length: number): Buffer;
}

/** An archive held in memory. */
export function bufferZipSource(bytes: Buffer): ZipSource {
  return { size: bytes.length, read: (position, length) => bytes.subarray(position, position + length) };
}

/** An archive in an open file, read piece by piece as the reader needs it. */
export function fileZipSource(fd: number): ZipSource {
  return {
    size: fstatSync(fd).size,
    read(position, length) {
      const buffer = Buffer.allocUnsafe(Math.max(0, length));
      let filled = 0;
      while (filled < length) {
        const got = readSync(fd, buffer, filled, length - filled, position + filled);
        if (got === 0) break;
        filled += got;
      }
      return buffer.subarray(0, filled);
    },
  };
}

/** Opens the archive file for `use`, as a source read piece by piece, and closes it after. */
export function withZipFileSource<T>(file: string, use: (source: ZipSource) => T): T {
  const fd = openSync(file, 'r');
  try {
    return use(fileZipSource(fd));
  } finally {
    closeSync(fd);
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** The entries of the archive, in directory order; more than `maxEntries` is refused before any is read. */
export function readZipDirectory(archive: Buffer | ZipSource, maxEntries: number): ZipEntryInfo[] {
  const source = Buffer.isBuffer(archive) ? bufferZipSource(archive) : archive;
  const { tail, end } = findEndRecord(source);
  let count = tail.readUInt16LE(end + 10);
  let directorySize = tail.readUInt32LE(end + 12);
  let offset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new ZipFormatError('its zip64 end record is missing');
    const recordAt = safeNumber(tail.readBigUInt64LE(locator + 8));
    const record = source.read(recordAt, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('its zip64 end record is damaged');
    count = safeNumber(record.readBigUInt64LE(32));
    directorySize = safeNumber(record.readBigUInt64LE(40));
    offset = safeNumber(record.readBigUInt64LE(48));
  }
  if (count > maxEntries) throw new ZipFormatError(`it has ${count} entries; at most ${maxEntries} are accepted`);
  if (offset + directorySize > source.size) throw new ZipFormatError('its central directory lies outside the file');
  // The end records and comment follow the directory; taking them along keeps the checks below
  // as lenient as they are for an archive in memory, without reading more than that.
  const bytes = source.read(offset, Math.min(source.size - offset, directorySize + 22 + MAX_COMMENT + 76));
  let at = 0;
  const entries: ZipEntryInfo[] = [];
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError('its central directory is damaged');
    const flags = bytes.readUInt16LE(at + 8);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > bytes.length) throw new ZipFormatError('its central directory is damaged');
    // Bit 11 marks UTF-8 names; others are CP437, which agrees with Latin-1 on the ASCII that matters.
    const name = bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLength);
    const sizes = zip64Sizes(bytes, nameStart + nameLength, extraLength, {
      size: bytes.readUInt32LE(at + 24),
      compressedSize: bytes.readUInt32LE(at + 20),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
    });
    entries.push({
      name,
      isDirectory: name.endsWith('/'),
      method: bytes.readUInt16LE(at + 10),
      isEncrypted: (flags & 1) === 1,
      crc32: bytes.readUInt32LE(at + 16),
      // "Version made by" 3 is Unix, whose mode sits in the high half of the external attributes.
      unixMode: bytes.readUInt8(at + 5) === 3 ? bytes.readUInt32LE(at + 38) >>> 16 : 0,
      ...sizes,
    });
    at = nameStart + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The member's bytes. A member that declares more than `maxBytes` is refused, inflation stops at
 * the declared size (a member may lie about it), and the CRC must match.
 */
export function readZipEntry(archive: Buffer | ZipSource, entry: ZipEntryInfo, maxBytes: number): Buffer {
  if (entry.isEncrypted) throw new ZipFormatError('it is encrypted');
  if (entry.size > maxBytes) throw new ZipFormatError(`it would unpack to ${entry.size} bytes; the limit is ${maxBytes}`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipFormatError(`it uses compression method ${entry.method}; only stored and deflated members are read`);
  const source = Buffer.isBuffer(archive) ? bufferZipSource(archive) : archive;
  const header = source.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new ZipFormatError('its local header is damaged');
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > source.size) throw new ZipFormatError('its data lies outside the file');
  // A stored member is as large as it says, so the size cap bounds what is read here too.
  if (entry.method === 0 && entry.compressedSize !== entry.size)
    throw new ZipFormatError(`it unpacks to ${entry.compressedSize} bytes, not the ${entry.size} it declares`);
  const data = source.read(start, entry.compressedSize);
  let content: Buffer;
  if (entry.method === 0) {
    content = data;
  } else {
    try {
      // zlib wants room for at least one byte even when the member is empty.
      content = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
      throw new ZipFormatError(tooBig ? `it unpacks to more than ${entry.size} bytes, the size it declares` : 'it does not inflate');
    }
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

/** The end record, found in the file's tail (it is followed by at most a 64 KB comment). */
function findEndRecord(source: ZipSource): { tail: Buffer; end: number } {
  const tailStart = Math.max(0, source.size - 22 - MAX_COMMENT - 20);
  const tail = source.read(tailStart, source.size - tailStart);
  for (let at = tail.length - 22; at >= Math.max(0, tail.length - 22 - MAX_COMMENT); at--) {
    if (tail.readUInt32LE(at) === EOCD) return { tail, end: at };
  }
  throw new ZipFormatError('it has no end of central directory record');
}

/** Sizes and offset, with the zip64 extra field's values for those the directory marks 0xFFFFFFFF. */
function zip64Sizes(bytes: Buffer, extraStart: number, extraLength: number, fields: { size: number; compressedSize: number; localHeaderOffset: number }) {
  const wanted = (['size', 'compressedSize', 'localHeaderOffset'] as const).filter((field) => fields[field] === 0xffffffff);
  if (wanted.length === 0) return fields;
  for (let at = extraStart; at + 4 <= extraStart + extraLength;) {
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
