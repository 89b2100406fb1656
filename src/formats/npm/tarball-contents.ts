/**
 * Reads what the registry needs from a published tarball without unpacking it: package.json,
 * the README and whether it carries a shrinkwrap. Entries are streamed and skipped; only the
 * few small files we want are kept in memory, and a tarball whose paths try to leave the
 * package folder is refused, since a client extracting it would be at risk.
 */
import { Parser, type ReadEntry } from 'tar';
import { ValidationError } from '../../errors.js';
import { isDeviceOrFifo, isSafeLinkTarget } from '../../core/archive-links.js';
import { readTar } from '../../core/tar-feed.js';

/** package.json and README larger than this are not read (the npm registry caps similarly). */
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_README_BYTES = 512 * 1024;
const MAX_ENTRIES = 100_000;
// The whole unpacked archive may not exceed this; gzip bombs stop here.
const MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024;

export interface TarballContents {
  manifest: Record<string, unknown>;
  readme?: string;
  hasShrinkwrap: boolean;
  fileCount: number;
  unpackedSize: number;
}

/** The README npm picks: README, README.md, readme.markdown, ... at the top of the package. */
const README_PATTERN = /^readme(\.[a-z0-9]+)?$/i;

export async function readTarballContents(tarball: Buffer): Promise<TarballContents> {
  let manifestText: string | undefined;
  let readme: { name: string; text: string } | undefined;
  let hasShrinkwrap = false;
  let fileCount = 0;
  let unpackedSize = 0;
  let entries = 0;

  const parser = new Parser({ strict: true });
  const fail = (error: unknown) => {
    parser.abort(error instanceof Error ? error : new Error(String(error)));
  };
  parser.on('entry', (entry: ReadEntry) => {
    entries += 1;
    if (entries > MAX_ENTRIES) return fail(new ValidationError(`The tarball has more than ${MAX_ENTRIES} entries.`));
    const relative = packageRelativePath(entry.path);
    if (relative === undefined) return fail(new ValidationError(`The tarball contains the unsafe path ${JSON.stringify(entry.path.slice(0, 100))}.`));
    // Hard link targets are archive paths; symbolic ones are relative to the link's folder.
    const unsafeLink =
      (entry.type === 'Link' && packageRelativePath(entry.linkpath ?? '') === undefined) ||
      (entry.type === 'SymbolicLink' && !isSafeLinkTarget(relative, entry.linkpath ?? ''));
    if (unsafeLink) {
      return fail(new ValidationError(`The tarball contains a link that points outside the package: ${JSON.stringify(entry.path.slice(0, 100))}.`));
    }
    if (isDeviceOrFifo(entry.type)) return fail(new ValidationError(`The tarball contains a device or FIFO: ${JSON.stringify(entry.path.slice(0, 100))}.`));
    if (entry.type === 'File' || entry.type === 'OldFile') {
      fileCount += 1;
      unpackedSize += entry.size;
      if (unpackedSize > MAX_UNPACKED_BYTES) return fail(new ValidationError('The tarball unpacks to more than 2 GiB.'));
    }
    const isFile = entry.type === 'File' || entry.type === 'OldFile';
    if (isFile && relative === 'package.json' && entry.size <= MAX_MANIFEST_BYTES) {
      collect(entry, (text) => (manifestText = text));
    } else if (isFile && README_PATTERN.test(relative) && entry.size <= MAX_README_BYTES && (!readme || preferReadme(relative, readme.name))) {
      collect(entry, (text) => (readme = { name: relative, text }));
    } else {
      if (isFile && relative === 'npm-shrinkwrap.json') hasShrinkwrap = true;
      entry.resume();
    }
  });
  // Slices keep a gzip bomb from inflating all at once, and reading stops at the end-of-archive
  // marker (tar-feed.ts says why for both).
  await readTar(parser, tarball, (reason) => new ValidationError(`The tarball could not be read: ${reason}.`));

  if (manifestText === undefined) throw new ValidationError('The tarball has no package.json at its top level (package/package.json).');
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    throw new ValidationError('The package.json inside the tarball is not valid JSON.');
  }
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
    throw new ValidationError('The package.json inside the tarball is not a JSON object.');
  return { manifest: manifest as Record<string, unknown>, readme: readme?.text, hasShrinkwrap, fileCount, unpackedSize };
}

/**
 * The path below the tarball's top folder (npm strips the first component, whatever its name),
 * or undefined when the path is absolute or climbs out with '..'.
 */
function packageRelativePath(entryPath: string): string | undefined {
  const normalized = entryPath.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.includes('\0')) return undefined;
  const parts = normalized.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return undefined;
  return parts.slice(1).join('/');
}

/** README.md is the one npm shows when several exist. */
function preferReadme(candidate: string, current: string): boolean {
  return /\.md$/i.test(candidate) && !/\.md$/i.test(current);
}

function collect(entry: ReadEntry, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  entry.on('data', (chunk: Buffer) => chunks.push(chunk));
  entry.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}
