/**
 * Parsed JSON files kept in memory and reused while the file on disk is unchanged. Writers
 * replace files by rename, so a new inode, size or mtime means a new version; one stat per
 * read is far cheaper than reading and parsing again. Values are shared between callers, so
 * they are frozen: a caller that wants to change one copies it first.
 *
 * With a sampled ChangeMarker (the server samples it once per request), a file already
 * checked in the current epoch is not even stat'ed again: no index has changed since. Missing
 * files are remembered the same way, since most policy and group files do not exist.
 *
 * The file system calls are synchronous on purpose. The stat is on every request's path
 * (token, policies, repository, package): a stat of a local file in the kernel's cache takes
 * a few microseconds, and the thread-pool round trip of an asynchronous one costs several
 * times that in promise and queue overhead. A changed file is read whole and parsed at once,
 * and the parse blocks longer than the read; reading a thousand indexes in a row (a page of
 * list-packages) no longer waits on a thousand round trips. It stays one stat per read, so a
 * file another process replaced is seen by the very next read.
 */
import { readFileSync, statSync } from 'node:fs';
import type { ChangeMarker } from './change-marker.js';
import { readJsonFile, parseJsonText } from './json-file.js';

interface Entry {
  /** Undefined for a file that did not exist when it was last checked. */
  ino?: number;
  size?: number;
  mtimeMs?: number;
  value: unknown;
  /** The marker epoch in which the file was last checked against the disk. */
  epoch: number | undefined;
}

const MAX_ENTRIES = 5000;
/** Derived summaries are small (a list row), so many more of them fit than parsed files. */
const MAX_DERIVED = 50_000;

interface Derived {
  kind: string;
  ino: number;
  size: number;
  mtimeMs: number;
  value: unknown;
}

export class JsonFileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly derivedEntries = new Map<string, Derived>();

  constructor(private readonly marker?: ChangeMarker) {}

  async read<T>(file: string): Promise<T | undefined> {
    // Own writes put their files right here as they go (seed, forget), so only other
    // processes' changes make the files already read suspect (change-marker.ts).
    const epoch = this.marker?.foreignEpoch;
    // A process that does not sample the marker (a one-shot CLI command) mostly reads each
    // file once: it gets its own parsed copy, neither kept nor frozen (freezing a 3,000-version
    // index costs more than it saves there).
    if (this.marker && epoch === undefined) return readUnshared<T>(file);
    const cached = this.entries.get(file);
    if (cached && epoch !== undefined && cached.epoch === epoch) return cached.value as T | undefined;
    // No exception for a missing file: policies and the like are usually absent, and building
    // an Error with its stack on every request would cost more than the stat itself.
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) {
      this.remember(file, { value: undefined, epoch });
      return undefined;
    }
    if (cached && cached.ino === stat.ino && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      cached.epoch = epoch;
      return cached.value as T | undefined;
    }
    const text = readTextIfPresent(file);
    if (text === undefined) return readJsonFile<T>(file);
    const value = deepFreeze(parseJsonText<T>(file, text));
    this.remember(file, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, value, epoch });
    return value;
  }

  /**
   * A small value made from a file (`derive` of its parsed content), kept while the file is
   * unchanged: a scan of 10,000 indexes after one of them changed parses only that one. The
   * parsed file itself is not kept (unless it already was), so a scan holds one at a time.
   * `kind` names the derivation, so two callers deriving different things never share a value.
   */
  readDerived<T, D>(file: string, kind: string, derive: (value: T | undefined) => D): D {
    // Stat before reading: a file replaced in between is kept under the older identity, so the
    // next scan sees a different one and derives again; never a new identity with old content.
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) {
      this.derivedEntries.delete(file);
      return derive(undefined);
    }
    const hit = this.derivedEntries.get(file);
    if (hit && hit.kind === kind && sameFile(hit, stat)) return hit.value as D;
    const shared = this.entries.get(file);
    const value = derive(shared && sameFile(shared, stat) ? (shared.value as T | undefined) : readUnshared<T>(file));
    if (!this.derivedEntries.has(file) && this.derivedEntries.size >= MAX_DERIVED)
      this.derivedEntries.delete(this.derivedEntries.keys().next().value as string);
    this.derivedEntries.set(file, { kind, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, value });
    return value;
  }

  private remember(file: string, entry: Entry): void {
    if (!this.entries.has(file) && this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(file, entry);
  }

  /** Keeps a value this process just wrote to `file`, so the next read need not parse it back. */
  seed(file: string, value: unknown): void {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return this.forget(file);
    this.remember(file, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, value: deepFreeze(value), epoch: this.marker?.foreignEpoch });
  }

  forget(file: string): void {
    this.entries.delete(file);
  }
}

function sameFile(entry: { ino?: number; size?: number; mtimeMs?: number }, stat: { ino: number; size: number; mtimeMs: number }): boolean {
  return entry.ino === stat.ino && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs;
}

function readUnshared<T>(file: string): T | undefined {
  const text = readTextIfPresent(file);
  return text === undefined ? undefined : parseJsonText<T>(file, text);
}

function readTextIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
