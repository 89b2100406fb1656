/** Atomic JSON files: readers see the old file or the new one, never half of either. */
import { closeSync, fsync as fsyncCallback, open as openCallback, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { InternalError } from '../errors.js';
import { randomHex } from '../core/node-crypto.js';
import { openTempFile } from './temp-file-pool.js';

export class CorruptIndexError extends InternalError {
  constructor(file: string, cause: unknown) {
    super(`The index file ${file} is not valid JSON.`, {
      cause,
      hint: 'Restore it from a backup or remove it; run `artifact-cli verify` to find other damage.',
      resourceType: 'file',
      resourceId: file,
    });
  }
}

/** Reads and parses a JSON file; undefined when it does not exist. */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonText<T>(file, text);
}

/**
 * The same, read synchronously: for the read-modify-write under a lock, where the file is one
 * small index and four thread-pool trips (open, stat, read, close) cost more than the read.
 */
export function readJsonFileSync<T>(file: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonText<T>(file, text);
}

export function parseJsonText<T>(file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new CorruptIndexError(file, error);
  }
}

/**
 * Writes to a temp file (beside the target, or one of a running server's empty files in tmp/:
 * pass `poolDir`), flushes it to disk, then renames it over the target, so a crash at any
 * point leaves either the previous file or the complete new one.
 */
export async function writeJsonFileAtomic(file: string, value: unknown, mode = 0o644, poolDir?: string, renameAfter?: Promise<unknown>): Promise<void> {
  await replaceFile(file, JSON.stringify(value, null, 1), { mode, flush: true, poolDir, renameAfter });
}

/**
 * For caches of what can be fetched again (upstream metadata): compact, and not flushed. The
 * rename still means readers never see half a file; after a power cut the file may be empty
 * or old, and the cache's reader treats a file it cannot parse as missing.
 */
export async function writeCacheFileAtomic(file: string, value: unknown): Promise<void> {
  await writeCacheTextAtomic(file, JSON.stringify(value));
}

/**
 * The same for a value already serialized (in slices, for big ones). `poolDir`: a running
 * server's tmp/, whose ready empty files spare a cold miss the cost of a new file.
 */
export async function writeCacheTextAtomic(file: string, text: string, poolDir?: string): Promise<void> {
  await replaceFile(file, text, { mode: 0o644, flush: false, poolDir });
}

/**
 * Steps that create or rename directory entries wait for the file system's journal, which is
 * busy whenever other writes flush: they run on the thread pool, so a stall never holds up the
 * event loop. Writing the bytes into the page cache and closing are quick and run inline, which
 * saves two thread-pool trips per write.
 */
/**
 * `renameAfter`: the new file takes the target's place only once this settles well (the blob an
 * index names is durable); it is written and flushed meanwhile. If it fails, nothing is replaced.
 */
async function replaceFile(
  file: string,
  text: string,
  options: { mode: number; flush: boolean; poolDir?: string; renameAfter?: Promise<unknown> },
): Promise<void> {
  const { fd, file: temp } = await openTempFile(options.poolDir, options.mode, async () => {
    const beside = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomHex(6)}.tmp`);
    return { fd: await openCreatingDirectory(beside, options.mode), file: beside };
  });
  try {
    writeFileSync(fd, text);
    if (options.flush) await fsync(fd);
  } catch (error) {
    closeSync(fd);
    await fs.rm(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    if (options.renameAfter) await options.renameAfter;
    // A pooled temp file lives in tmp/, so its rename may also have to make the target's directory.
    await renameCreatingDirectory(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    // domains/ mounted apart from tmp/: write this file beside its target instead.
    if ((error as NodeJS.ErrnoException).code === 'EXDEV' && options.poolDir !== undefined) return replaceFile(file, text, { ...options, poolDir: undefined });
    throw error;
  }
}

/** Opens a new file, creating its directory only when it is missing (mostly it exists). */
async function openCreatingDirectory(file: string, mode: number): Promise<number> {
  try {
    return await open(file, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fs.mkdir(path.dirname(file), { recursive: true });
    return open(file, 'wx', mode);
  }
}

/**
 * The directory is made with mkdir, not from the pool's ready directories: writers of many
 * files into one new directory (a burst of cached documents) would each find it missing, and
 * a ready one renamed over another writer's, still empty, makes that writer's rename fail.
 */
async function renameCreatingDirectory(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
  }
}

const open = promisify(openCallback);
const fsync = promisify(fsyncCallback);
