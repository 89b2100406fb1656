/**
 * Reads one small file out of a (gzipped) tar without unpacking it: entries stream past, the
 * one wanted is kept if it is small enough, and an archive with absolute or '..' paths, links
 * that point out of it, too many entries or too many unpacked bytes (a gzip bomb) is refused.
 */
import { Parser, type ReadEntry } from 'tar';
import { ValidationError } from '../../errors.js';
import { isDeviceOrFifo, isSafeLinkTarget } from '../../core/archive-links.js';
import { readTar } from '../../core/tar-feed.js';

const MAX_ENTRIES = 100_000;
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** `file`: a path, or the archive's bytes already in memory. */
export async function readTarMember(file: string | Buffer, matches: (path: string) => boolean, maxBytes: number, what: string): Promise<Buffer | undefined> {
  let found: Buffer | undefined;
  let entries = 0;
  let unpacked = 0;
  const parser = new Parser({ strict: true });
  const fail = (error: ValidationError) => parser.abort(error);
  parser.on('entry', (entry: ReadEntry) => {
    entries += 1;
    if (entries > MAX_ENTRIES) return fail(new ValidationError(`${what} has more than ${MAX_ENTRIES} entries.`));
    const unsafeLink =
      (entry.type === 'Link' && !isSafePath(entry.linkpath ?? '')) || (entry.type === 'SymbolicLink' && !isSafeLinkTarget(entry.path, entry.linkpath ?? ''));
    if (!isSafePath(entry.path) || unsafeLink) {
      return fail(new ValidationError(`${what} contains the unsafe path ${JSON.stringify(entry.path.slice(0, 100))}.`));
    }
    if (isDeviceOrFifo(entry.type)) return fail(new ValidationError(`${what} contains a device or FIFO: ${JSON.stringify(entry.path.slice(0, 100))}.`));
    unpacked += entry.size ?? 0;
    if (unpacked > MAX_UNPACKED_BYTES) return fail(new ValidationError(`${what} unpacks to more than ${MAX_UNPACKED_BYTES} bytes.`));
    const isFile = entry.type === 'File' || entry.type === 'OldFile';
    if (!isFile || found || !matches(entry.path)) return void entry.resume();
    if ((entry.size ?? 0) > maxBytes) return fail(new ValidationError(`${entry.path} in ${what} is ${entry.size} bytes; the limit is ${maxBytes}.`));
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => (found = Buffer.concat(chunks)));
  });
  // Slices keep a gzip bomb from inflating all at once (tar-feed.ts says why).
  await readTar(parser, file, (reason) => new ValidationError(`${what} is not a valid tar.gz archive: ${reason}.`));
  return found;
}

function isSafePath(entryPath: string): boolean {
  const normalized = entryPath.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.includes('\0')) return false;
  return !normalized.split('/').includes('..');
}
