/**
 * Checks a .crate (a gzipped tar) before it is stored (docs/formats/cargo.md, "Publish"):
 * every entry lies inside `<name>-<version>/`, no entry or link leads out of it, the archive is
 * not a gzip bomb, no two entries unpack to one path, and the Cargo.toml at its top names the crate and version the metadata
 * names. Only that Cargo.toml is read; the rest streams past.
 */
import { Parser, type ReadEntry } from 'tar';
import { isDeviceOrFifo, isSafeLinkTarget } from '../../core/archive-links.js';
import { readTar } from '../../core/tar-feed.js';
import { ValidationError } from '../../errors.js';

const MAX_ENTRIES = 100_000;
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface CrateManifest {
  name: string;
  version: string;
}

export async function checkCrateArchive(crate: Buffer, name: string, version: string): Promise<CrateManifest> {
  const top = `${name}-${version}/`;
  const manifestBytes = await readManifest(crate, top);
  if (!manifestBytes) throw new ValidationError(`The .crate has no ${top}Cargo.toml; it is not the package of ${name} ${version}.`);
  const manifest = readPackageSection(manifestBytes.toString('utf8'));
  if (manifest.name !== name || manifest.version !== version) {
    throw new ValidationError(
      `The Cargo.toml in the .crate is for ${manifest.name ?? '(no name)'} ${manifest.version ?? '(no version)'}, but the metadata publishes ${name} ${version}; the upload is inconsistent.`,
    );
  }
  return manifest as CrateManifest;
}

async function readManifest(crate: Buffer, top: string): Promise<Buffer | undefined> {
  let found: Buffer | undefined;
  let entries = 0;
  let unpacked = 0;
  const seen = new Set<string>();
  const parser = new Parser({ strict: true });
  const refuse = (message: string) => parser.abort(new ValidationError(message));
  parser.on('entry', (entry: ReadEntry) => {
    entries += 1;
    if (entries > MAX_ENTRIES) return refuse(`The .crate has more than ${MAX_ENTRIES} entries.`);
    const entryPath = entry.path.replace(/\\/g, '/');
    const unsafeLink =
      (entry.type === 'Link' && !insideTop(entry.linkpath ?? '', top)) || (entry.type === 'SymbolicLink' && !isSafeLinkTarget(entryPath, entry.linkpath ?? ''));
    if (!insideTop(entryPath, top) || unsafeLink)
      return refuse(`The .crate has the entry ${JSON.stringify(entryPath.slice(0, 100))}, which is outside ${top}; it was refused.`);
    if (isDeviceOrFifo(entry.type)) return refuse(`The .crate has the entry ${JSON.stringify(entryPath.slice(0, 100))}, a device or FIFO; it was refused.`);
    // Unpacking keeps the last entry for a path: a second Cargo.toml, even as `./Cargo.toml`,
    // would replace the one checked here.
    const written = entryPath.replace(/\/+$/, '');
    if (written.split('/').some((part) => part === '' || part === '.'))
      return refuse(`The .crate has the entry ${JSON.stringify(entryPath.slice(0, 100))}, whose path has an empty or "." part; it was refused.`);
    if (seen.has(written)) return refuse(`The .crate has the entry ${JSON.stringify(entryPath.slice(0, 100))} twice; it was refused.`);
    seen.add(written);
    unpacked += entry.size ?? 0;
    if (unpacked > MAX_UNPACKED_BYTES) return refuse(`The .crate unpacks to more than ${MAX_UNPACKED_BYTES} bytes.`);
    if (entryPath !== `${top}Cargo.toml` || (entry.type !== 'File' && entry.type !== 'OldFile')) return void entry.resume();
    if ((entry.size ?? 0) > MAX_MANIFEST_BYTES) return refuse(`The Cargo.toml in the .crate is larger than ${MAX_MANIFEST_BYTES} bytes.`);
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => (found = Buffer.concat(chunks)));
  });
  // Slices keep a gzip bomb from inflating all at once (core/tar-feed.ts says why).
  await readTar(parser, crate, (reason) => new ValidationError(`The .crate is not a valid gzipped tar archive: ${reason}.`));
  return found;
}

/** A relative path below `top` with no '..' part. */
function insideTop(entryPath: string, top: string): boolean {
  const normalized = entryPath.replace(/\\/g, '/');
  if (normalized.includes('\0') || !normalized.startsWith(top)) return false;
  return !normalized.split('/').includes('..');
}

/**
 * The name and version of the `[package]` table. cargo writes the Cargo.toml of a .crate
 * itself, normalized, with one `key = "value"` per line, so a line reader is enough here.
 */
export function readPackageSection(text: string): Partial<CrateManifest> {
  const result: Partial<CrateManifest> = {};
  let inPackage = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('[')) {
      inPackage = /^\[\s*package\s*\]$/.test(line);
      continue;
    }
    if (!inPackage) continue;
    const match = /^(name|version)\s*=\s*(?:"([^"\\]*)"|'([^']*)')\s*(?:#.*)?$/.exec(line);
    if (match) result[match[1] as keyof CrateManifest] = match[2] ?? match[3];
  }
  return result;
}
