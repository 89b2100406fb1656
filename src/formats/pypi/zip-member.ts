/**
 * Reads one small member out of a zip (a wheel's METADATA, a zip sdist's PKG-INFO) without
 * trusting the archive: the entry count is capped before the directory is read, the declared size
 * is checked before inflating, inflation itself stops at the cap (a member may lie about its
 * size), and encrypted or exotic members are refused.
 */
import {
  bufferZipSource,
  isSafeZipPath,
  withZipFileSource,
  readZipDirectory,
  readZipEntry,
  ZipFormatError,
  type ZipEntryInfo,
  type ZipSource,
} from '../../core/zip-directory.js';
import { ValidationError } from '../../errors.js';

const MAX_ENTRIES = 100_000;

export interface Zip {
  source: ZipSource;
  entries: ZipEntryInfo[];
}

export interface ZipMember {
  path: string;
  bytes: Buffer;
}

/**
 * Opens the archive for `use` (or refuses a file that is not a zip) and closes it after. Only
 * its directory and the members asked for are read: an upload is not held in memory whole.
 * `file`: a path, or the archive's bytes when they are in memory already (a small download).
 */
export function withZipFile<T>(file: string | Buffer, what: string, use: (zip: Zip) => T): T {
  const open = <R>(read: (source: ZipSource) => R): R => (typeof file === 'string' ? withZipFileSource(file, read) : read(bufferZipSource(file)));
  return open((source) => {
    let entries: ZipEntryInfo[];
    try {
      entries = readZipDirectory(source, MAX_ENTRIES);
    } catch (error) {
      if (!(error instanceof ZipFormatError)) throw error;
      throw new ValidationError(`${what} is not a valid zip archive: ${error.message}.`);
    }
    return use({ source, entries });
  });
}

/** Every entry path must stay inside the archive's root when extracted. */
export function checkZipPaths(zip: Zip, what: string): void {
  for (const entry of zip.entries) {
    if (!isSafeZipPath(entry.name))
      throw new ValidationError(`${what} contains the unsafe path ${JSON.stringify(entry.name.replace(/\\/g, '/').slice(0, 100))}.`);
  }
}

/** The members whose paths match, read with the size cap; a member over the cap is refused. */
export function readZipMembers(zip: Zip, matches: (path: string) => boolean, maxBytes: number, what: string): ZipMember[] {
  const members: ZipMember[] = [];
  for (const entry of zip.entries) {
    if (entry.isDirectory || !matches(entry.name)) continue;
    try {
      members.push({ path: entry.name, bytes: readZipEntry(zip.source, entry, maxBytes) });
    } catch (error) {
      if (!(error instanceof ZipFormatError)) throw error;
      throw new ValidationError(`${entry.name} in ${what} cannot be read: ${error.message}.`);
    }
  }
  return members;
}
