/**
 * Opening a .nupkg (a zip) to read its one root .nuspec and the readme it names. The archive comes
 * from a client or a public registry, so sizes are checked against caps before anything is
 * inflated: a small archive that declares (or inflates to) gigabytes is refused, not unpacked.
 */
import AdmZip from 'adm-zip';
import { ValidationError } from '../../errors.js';
import { parseNuspecBytes, type Nuspec } from './nuspec.js';

// Real nuspecs are a few kilobytes; NuGet.org refuses far smaller ones than this.
const MAX_NUSPEC_BYTES = 1024 * 1024;
// Enough for any real README; a larger one is left out of the record, not an error.
const MAX_README_BYTES = 512 * 1024;

export interface NupkgContents {
  nuspec: Nuspec;
  /** The exact bytes of the .nuspec, served at the flat container's .nuspec URL. */
  nuspecBytes: Buffer;
  /** The readme the nuspec names, when it is present and of reasonable size. */
  readme?: string;
}

type ZipEntry = ReturnType<AdmZip['getEntries']>[number];

function openZip(bytes: Buffer): ZipEntry[] {
  try {
    return new AdmZip(bytes).getEntries();
  } catch (error) {
    throw new ValidationError(`The upload is not a valid .nupkg: it is not a zip archive (${(error as Error).message}).`, {
      hint: 'Push the .nupkg file that `dotnet pack` or `nuget pack` produced.',
    });
  }
}

/** The inflated bytes of an entry, refusing entries that declare more than `maxBytes`. */
function readEntry(entry: ZipEntry, maxBytes: number, what: string): Buffer {
  if (entry.header.size > maxBytes) {
    throw new ValidationError(`The package's ${what} is ${entry.header.size} bytes; at most ${maxBytes} are accepted.`);
  }
  let data: Buffer;
  try {
    // adm-zip inflates at most the declared size and checks the CRC, so a lying header fails here.
    data = entry.getData();
  } catch (error) {
    throw new ValidationError(`The package's ${what} could not be unpacked: ${(error as Error).message}.`);
  }
  if (data.length > maxBytes) throw new ValidationError(`The package's ${what} is larger than ${maxBytes} bytes.`);
  return data;
}

function entryPath(entry: ZipEntry): string {
  return entry.entryName.replace(/\\/g, '/');
}

/** Finds the single root-level .nuspec (its name's case varies), or says what is wrong. */
function findNuspec(entries: ZipEntry[]): ZipEntry {
  const found = entries.filter((entry) => !entry.isDirectory && /^[^/]+\.nuspec$/i.test(entryPath(entry)));
  if (found.length === 0) {
    throw new ValidationError('The upload is not a valid .nupkg: it has no .nuspec file at the root of the archive.', {
      hint: 'Build the package with `dotnet pack` or `nuget pack`.',
    });
  }
  if (found.length > 1) {
    throw new ValidationError(`The upload is not a valid .nupkg: it has ${found.length} .nuspec files at its root (${found.map(entryPath).join(', ')}); there must be exactly one.`);
  }
  return found[0];
}

function readReadme(entries: ZipEntry[], readmePath: string | undefined): string | undefined {
  if (!readmePath) return undefined;
  const wanted = readmePath.replace(/\\/g, '/').replace(/^\.?\//, '').toLowerCase();
  const entry = entries.find((candidate) => !candidate.isDirectory && entryPath(candidate).toLowerCase() === wanted);
  if (!entry || entry.header.size > MAX_README_BYTES) return undefined;
  try {
    return readEntry(entry, MAX_README_BYTES, 'readme').toString('utf8');
  } catch {
    // A broken readme does not make a broken package: restore never reads it.
    return undefined;
  }
}

/** Reads the nuspec (and readme) of a .nupkg held in memory. */
export function readNupkg(bytes: Buffer): NupkgContents {
  const entries = openZip(bytes);
  const nuspecBytes = readEntry(findNuspec(entries), MAX_NUSPEC_BYTES, '.nuspec');
  const nuspec = parseNuspecBytes(nuspecBytes);
  return { nuspec, nuspecBytes, readme: readReadme(entries, nuspec.readme) };
}
