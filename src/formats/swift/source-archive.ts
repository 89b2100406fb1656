/**
 * Checking a source archive before anything is stored, as SwiftPM will unpack it: a zip whose
 * entries all sit under one top directory (SwiftPM strips that level), with `Package.swift`
 * directly inside it; no entry may escape the folder it is unpacked to, and no symbolic link
 * may point out of it. Every member is inflated
 * once, stopping at the size it declares and checking its CRC, so an archive that lies about its
 * sizes is caught; the declared total is capped, and so is its ratio to the archive's size (a
 * zip bomb declares gigabytes in a few kilobytes). The manifests are read and kept.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { isSafeZipPath, readZipDirectory, readZipEntry, ZipFormatError, type ZipEntryInfo, type ZipSource } from '../../core/zip-directory.js';
import { UnprocessableError } from './problem.js';
import type { ByteRange } from './publish-body.js';
import { unpackedPathProblem } from './unpacked-paths.js';

// Large real packages (with vendored C sources) hold tens of thousands of files.
const MAX_ENTRIES = 100_000;
/** What an archive may unpack to in all. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
// Each member is inflated in memory to check it; no source file comes near this.
const MAX_MEMBER_BYTES = 128 * 1024 * 1024;
// Source text deflates about 5:1 and repetitive generated sources perhaps 50:1; past this a
// large archive is a bomb. Small archives are left alone: their total is harmless.
const MAX_RATIO = 200;
const RATIO_APPLIES_ABOVE = 16 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 1024 * 1024;
const MAX_LINK_BYTES = 4096;
// Package@swift-5.swift, Package@swift-5.9.swift, Package@swift-5.9.1.swift.
const VERSIONED_MANIFEST = /^Package@swift-(\d+(?:\.\d+){0,2})\.swift$/;

export interface Manifest {
  /** The file name inside the package: Package.swift or Package@swift-X.Y.swift. */
  fileName: string;
  /** The Swift version of a versioned manifest; undefined for Package.swift. */
  swiftVersion?: string;
  /** From its `// swift-tools-version:` line, when it has one. */
  toolsVersion?: string;
  bytes: Buffer;
}

export interface CheckedArchive {
  topDirectory: string;
  entryCount: number;
  unpackedBytes: number;
  /** Package.swift first, then the versioned manifests. */
  manifests: Manifest[];
}

/** 422, the specification's answer to an archive the registry will not publish. */
function invalid(reason: string, hint?: string): UnprocessableError {
  return new UnprocessableError(`The source archive is not valid: ${reason}.`, {
    hint: hint ?? 'Create it with `swift package archive-source`, or let `swift package-registry publish` create it.',
  });
}

/** The archive as a window on the staged body file. */
function rangeSource(fd: number, range: ByteRange): ZipSource {
  return {
    size: range.length,
    read(position, length) {
      const wanted = Math.max(0, Math.min(length, range.length - position));
      const buffer = Buffer.allocUnsafe(wanted);
      let filled = 0;
      while (filled < wanted) {
        const got = readSync(fd, buffer, filled, wanted - filled, range.start + position + filled);
        if (got === 0) break;
        filled += got;
      }
      return buffer.subarray(0, filled);
    },
  };
}

export async function checkSourceArchive(file: string, range: ByteRange): Promise<CheckedArchive> {
  const fd = openSync(file, 'r');
  try {
    return await checkSource(rangeSource(fd, range));
  } finally {
    closeSync(fd);
  }
}

async function checkSource(source: ZipSource): Promise<CheckedArchive> {
  let entries: ZipEntryInfo[];
  try {
    entries = readZipDirectory(source, MAX_ENTRIES);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    throw invalid(`it is not a zip archive (${error.message})`);
  }
  if (entries.length === 0) throw invalid('it is empty');
  for (const entry of entries) {
    if (!isSafeZipPath(entry.name) || entry.name.includes('\\')) {
      throw invalid(`its entry ${JSON.stringify(entry.name.slice(0, 100))} would be unpacked outside the package folder`);
    }
  }
  const pathProblem = unpackedPathProblem(entries);
  if (pathProblem) throw invalid(pathProblem);
  const topDirectory = singleTopDirectory(entries);
  const unpackedBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (unpackedBytes > MAX_UNPACKED_BYTES) throw invalid(`it would unpack to ${unpackedBytes} bytes; at most ${MAX_UNPACKED_BYTES} are accepted`);
  if (unpackedBytes > RATIO_APPLIES_ABOVE && unpackedBytes > source.size * MAX_RATIO) {
    throw invalid(`it would unpack to ${unpackedBytes} bytes from ${source.size}, more than ${MAX_RATIO} times its size, as a zip bomb does`);
  }
  const manifests: Manifest[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.isDirectory) continue;
    const inPackage = entry.name.slice(topDirectory.length + 1);
    const isManifest = inPackage === 'Package.swift' || VERSIONED_MANIFEST.test(inPackage);
    if (isSymbolicLink(entry)) {
      // The registry serves manifests it read as files; a linked one would build from another file.
      if (isManifest) throw invalid(`its manifest ${JSON.stringify(entry.name.slice(0, 100))} is a symbolic link; manifests must be plain files`);
      checkLinkTarget(entry, inflate(source, entry, MAX_LINK_BYTES).toString('utf8'), topDirectory);
      continue;
    }
    const bytes = inflate(source, entry, isManifest ? MAX_MANIFEST_BYTES : MAX_MEMBER_BYTES);
    if (isManifest) manifests.push(manifestOf(inPackage, bytes));
    // Inflating is synchronous; let other requests through now and then.
    if (index % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
  const main = manifests.findIndex((manifest) => manifest.swiftVersion === undefined);
  if (main < 0) throw invalid(`it has no Package.swift in its top directory ${JSON.stringify(topDirectory)}`);
  manifests.unshift(...manifests.splice(main, 1));
  return { topDirectory, entryCount: entries.length, unpackedBytes, manifests };
}

/** The one directory every entry sits under (SwiftPM strips it when it unpacks). */
function singleTopDirectory(entries: ZipEntryInfo[]): string {
  const tops = new Set<string>();
  for (const entry of entries) {
    const slash = entry.name.indexOf('/');
    if (slash <= 0 || (slash === entry.name.length - 1 && !entry.isDirectory)) {
      throw invalid(
        `its entry ${JSON.stringify(entry.name.slice(0, 100))} is not inside a top directory`,
        'Every entry must sit under one directory named after the package, as `swift package archive-source` makes it.',
      );
    }
    tops.add(entry.name.slice(0, slash));
  }
  if (tops.size > 1) {
    throw invalid(
      `its entries sit under ${tops.size} top directories (${[...tops]
        .slice(0, 3)
        .map((top) => JSON.stringify(top))
        .join(', ')}...); there must be one`,
    );
  }
  return [...tops][0];
}

function inflate(source: ZipSource, entry: ZipEntryInfo, maxBytes: number): Buffer {
  if (entry.size > maxBytes)
    throw invalid(`its entry ${JSON.stringify(entry.name.slice(0, 100))} would unpack to ${entry.size} bytes; at most ${maxBytes} are accepted`);
  try {
    return readZipEntry(source, entry, maxBytes);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    throw invalid(`its entry ${JSON.stringify(entry.name.slice(0, 100))} cannot be unpacked: ${error.message}`);
  }
}

function isSymbolicLink(entry: ZipEntryInfo): boolean {
  return (entry.unixMode & 0o170000) === 0o120000;
}

/**
 * A symbolic link is unpacked as one by SwiftPM's unzip; one that points outside the package
 * would let later entries, or the build, reach files elsewhere, so its target must stay inside.
 */
function checkLinkTarget(entry: ZipEntryInfo, target: string, topDirectory: string): void {
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(entry.name), target));
  if (target.startsWith('/') || target.includes('\\') || target.includes('\0') || (resolved !== topDirectory && !resolved.startsWith(`${topDirectory}/`))) {
    throw invalid(`its symbolic link ${JSON.stringify(entry.name.slice(0, 100))} points outside the package (${JSON.stringify(target.slice(0, 100))})`);
  }
}

function manifestOf(fileName: string, bytes: Buffer): Manifest {
  const swiftVersion = VERSIONED_MANIFEST.exec(fileName)?.[1];
  // `// swift-tools-version:5.9` on the first line (SwiftPM 6 allows comments before it).
  const toolsVersion = /^[ \t]*\/\/[ \t]*swift-tools-version[ \t]*:[ \t]*(\d+(?:\.\d+){0,2})/im.exec(bytes.toString('utf8', 0, 4096))?.[1];
  return { fileName, ...(swiftVersion ? { swiftVersion } : {}), ...(toolsVersion ? { toolsVersion } : {}), bytes };
}
