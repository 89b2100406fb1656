/**
 * Each entry of a source archive must name the one file it becomes when unpacked. The registry
 * serves the Package.swift it read from the archive for resolution, while SwiftPM builds from
 * what unzip leaves on disk: with two entries for one path (a repeated name, `X/./Package.swift`
 * beside `X/Package.swift`, or names differing only in case on macOS's case-insensitive disks),
 * the later entry silently replaces the earlier one, and the two can differ.
 */
import type { ZipEntryInfo } from '../../core/zip-directory.js';

/** Why the entries do not each name a path of their own, or undefined when they do. */
export function unpackedPathProblem(entries: ZipEntryInfo[]): string | undefined {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const written = entry.isDirectory ? entry.name.slice(0, -1) : entry.name;
    if (written.split('/').some((part) => part === '' || part === '.')) {
      return `its entry ${JSON.stringify(entry.name.slice(0, 100))} has an empty or "." path component, so it would be unpacked under another name`;
    }
    const key = written.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const how =
        earlier === entry.name ? 'twice' : `twice (as ${JSON.stringify(earlier.slice(0, 100))} too, which is the same file on a case-insensitive disk)`;
      return `its entry ${JSON.stringify(entry.name.slice(0, 100))} appears ${how}, so unpacking would keep only one of them`;
    }
    seen.set(key, entry.name);
  }
  return undefined;
}
