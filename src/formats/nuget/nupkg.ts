/**
 * Opening a .nupkg (a zip) to read its one root .nuspec and the readme it names. The archive comes
 * from a client or a public registry, so its entry count and sizes are checked against caps before
 * anything is inflated: a small archive that declares (or inflates to) gigabytes, or holds a
 * flood of tiny entries, is refused, not unpacked; and so is one whose entries would be
 * extracted outside the package folder, as NuGet itself refuses to extract them.
 */
import {
  isSafeZipPath,
  withZipFileSource,
  readZipDirectory,
  readZipEntry,
  ZipFormatError,
  type ZipEntryInfo,
  type ZipSource,
} from '../../core/zip-directory.js';
import { ValidationError } from '../../errors.js';
import { parseNuspecBytes, type Nuspec } from './nuspec.js';

// Real nuspecs are a few kilobytes; NuGet.org refuses far smaller ones than this.
const MAX_NUSPEC_BYTES = 1024 * 1024;
// Enough for any real README; a larger one is left out of the record, not an error.
const MAX_README_BYTES = 512 * 1024;
// Runtime packs, the largest real packages, hold a few thousand files.
const MAX_ENTRIES = 100_000;

export interface NupkgContents {
  nuspec: Nuspec;
  /** The exact bytes of the .nuspec, served at the flat container's .nuspec URL. */
  nuspecBytes: Buffer;
  /** The readme the nuspec names, when it is present and of reasonable size. */
  readme?: string;
}

function openZip(bytes: Buffer | ZipSource): ZipEntryInfo[] {
  let entries: ZipEntryInfo[];
  try {
    entries = readZipDirectory(bytes, MAX_ENTRIES);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    throw new ValidationError(`The upload is not a valid .nupkg: it is not a zip archive (${error.message}).`, {
      hint: 'Push the .nupkg file that `dotnet pack` or `nuget pack` produced.',
    });
  }
  const unsafe = entries.find((entry) => !isSafeZipPath(entry.name));
  if (unsafe)
    throw new ValidationError(
      `The upload is not a valid .nupkg: its entry ${JSON.stringify(entryPath(unsafe).slice(0, 100))} would be extracted outside the package folder.`,
    );
  return entries;
}

/** The inflated bytes of an entry, refusing entries that declare more than `maxBytes`. */
function readEntry(bytes: Buffer | ZipSource, entry: ZipEntryInfo, maxBytes: number, what: string): Buffer {
  if (entry.size > maxBytes) {
    throw new ValidationError(`The package's ${what} is ${entry.size} bytes; at most ${maxBytes} are accepted.`);
  }
  try {
    // Inflation stops at the declared size and the CRC is checked, so a lying header fails here.
    return readZipEntry(bytes, entry, maxBytes);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    throw new ValidationError(`The package's ${what} could not be unpacked: ${error.message}.`);
  }
}

function entryPath(entry: ZipEntryInfo): string {
  return entry.name.replace(/\\/g, '/');
}

/** Finds the single root-level .nuspec (its name's case varies), or says what is wrong. */
function findNuspec(entries: ZipEntryInfo[]): ZipEntryInfo {
  const found = entries.filter((entry) => !entry.isDirectory && /^[^/]+\.nuspec$/i.test(entryPath(entry)));
  if (found.length === 0) {
    throw new ValidationError('The upload is not a valid .nupkg: it has no .nuspec file at the root of the archive.', {
      hint: 'Build the package with `dotnet pack` or `nuget pack`.',
    });
  }
  if (found.length > 1) {
    throw new ValidationError(
      `The upload is not a valid .nupkg: it has ${found.length} .nuspec files at its root (${found.map(entryPath).join(', ')}); there must be exactly one.`,
    );
  }
  return found[0];
}

function readReadme(bytes: Buffer | ZipSource, entries: ZipEntryInfo[], readmePath: string | undefined): string | undefined {
  if (!readmePath) return undefined;
  const wanted = readmePath
    .replace(/\\/g, '/')
    .replace(/^\.?\//, '')
    .toLowerCase();
  const entry = entries.find((candidate) => !candidate.isDirectory && entryPath(candidate).toLowerCase() === wanted);
  if (!entry || entry.size > MAX_README_BYTES) return undefined;
  try {
    return readEntry(bytes, entry, MAX_README_BYTES, 'readme').toString('utf8');
  } catch {
    // A broken readme does not make a broken package: restore never reads it.
    return undefined;
  }
}

/** Reads the nuspec (and readme) of a .nupkg held in memory or open as a file. */
export function readNupkg(bytes: Buffer | ZipSource): NupkgContents {
  const entries = openZip(bytes);
  const nuspecBytes = readEntry(bytes, findNuspec(entries), MAX_NUSPEC_BYTES, '.nuspec');
  const nuspec = parseNuspecBytes(nuspecBytes);
  return { nuspec, nuspecBytes, readme: readReadme(bytes, entries, nuspec.readme) };
}

/** Reads the nuspec (and readme) of a .nupkg file, reading only the parts of it that they need. */
export function readNupkgFile(file: string): NupkgContents {
  return withZipFileSource(file, readNupkg);
}
