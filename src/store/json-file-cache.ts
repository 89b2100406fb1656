/**
 * Parsed JSON files kept in memory and reused while the file on disk is unchanged. Writers
 * replace files by rename, so a new inode, size or mtime means a new version; one stat per
 * read is far cheaper than reading and parsing again. Values are shared between callers, so
 * they are frozen: a caller that wants to change one copies it first.
 */
import { promises as fs } from 'node:fs';
import { readJsonFile, parseJsonText } from './json-file.js';

interface Entry {
  ino: number;
  size: number;
  mtimeMs: number;
  value: unknown;
}

const MAX_ENTRIES = 5000;

export class JsonFileCache {
  private readonly entries = new Map<string, Entry>();

  async read<T>(file: string): Promise<T | undefined> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.entries.delete(file);
        return undefined;
      }
      throw error;
    }
    const cached = this.entries.get(file);
    if (cached && cached.ino === stat.ino && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      return cached.value as T;
    }
    const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return readJsonFile<T>(file);
    const value = deepFreeze(parseJsonText<T>(file, text));
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(file, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, value });
    return value;
  }

  forget(file: string): void {
    this.entries.delete(file);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
