/**
 * Reads one small member out of a zip (a wheel's METADATA, a zip sdist's PKG-INFO) without
 * trusting the archive: the declared size is checked before inflating, inflation itself stops
 * at the cap (a member may lie about its size), and encrypted or exotic members are refused.
 */
import AdmZip from 'adm-zip';
import { inflateRawSync } from 'node:zlib';
import { ValidationError } from '../../errors.js';

const STORED = 0;
const DEFLATED = 8;
const MAX_ENTRIES = 100_000;

export interface ZipMember {
  path: string;
  bytes: Buffer;
}

/** Opens the archive, or refuses a file that is not a zip. */
export function openZip(file: string, what: string): AdmZip {
  let zip: AdmZip;
  try {
    zip = new AdmZip(file);
  } catch {
    throw new ValidationError(`${what} is not a valid zip archive.`);
  }
  if (zip.getEntries().length > MAX_ENTRIES) throw new ValidationError(`${what} has more than ${MAX_ENTRIES} entries.`);
  return zip;
}

/** Every entry path must stay inside the archive's root when extracted. */
export function checkZipPaths(zip: AdmZip, what: string): void {
  for (const entry of zip.getEntries()) {
    const name = entry.entryName.replace(/\\/g, '/');
    if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\0') || name.split('/').includes('..')) {
      throw new ValidationError(`${what} contains the unsafe path ${JSON.stringify(name.slice(0, 100))}.`);
    }
  }
}

/** The members whose paths match, read with the size cap; a member over the cap is refused. */
export function readZipMembers(zip: AdmZip, matches: (path: string) => boolean, maxBytes: number, what: string): ZipMember[] {
  const members: ZipMember[] = [];
  for (const entry of zip.getEntries()) {
    if (entry.isDirectory || !matches(entry.entryName)) continue;
    members.push({ path: entry.entryName, bytes: readEntry(entry, maxBytes, what) });
  }
  return members;
}

function readEntry(entry: AdmZip.IZipEntry, maxBytes: number, what: string): Buffer {
  const { header } = entry;
  const label = `${entry.entryName} in ${what}`;
  if (header.flags & 1) throw new ValidationError(`${label} is encrypted.`);
  if (header.size > maxBytes) throw new ValidationError(`${label} would unpack to ${header.size} bytes; the limit is ${maxBytes}.`);
  let compressed: Buffer;
  try {
    compressed = entry.getCompressedData();
  } catch {
    throw new ValidationError(`${label} cannot be read; the archive is damaged.`);
  }
  let bytes: Buffer;
  if (header.method === STORED) {
    bytes = compressed;
  } else if (header.method === DEFLATED) {
    try {
      bytes = inflateRawSync(compressed, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
      throw new ValidationError(tooBig ? `${label} unpacks to more than ${maxBytes} bytes.` : `${label} is damaged: it does not inflate.`);
    }
  } else {
    throw new ValidationError(`${label} uses compression method ${header.method}; only stored and deflated members are read.`);
  }
  if (bytes.length !== header.size) throw new ValidationError(`${label} unpacks to ${bytes.length} bytes, not the ${header.size} its header declares.`);
  return bytes;
}
