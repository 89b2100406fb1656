/**
 * JSON files when things go wrong: a missing, unreadable or damaged file is told apart, and a
 * write that fails at any step (the bytes, the rename) leaves the previous file whole and no
 * temp file behind. Writes through a server's pool of temp files in tmp/ land in place too,
 * also when the target's directory is missing or tmp/ is on another file system.
 */
import { existsSync, mkdirSync, promises as fsPromises, readdirSync, readFileSync, statSync, writeFileSync, type PathOrFileDescriptor } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CorruptIndexError,
  readJsonFile,
  readJsonFileSync,
  writeCacheFileAtomic,
  writeCacheTextAtomic,
  writeJsonFileAtomic,
} from '../../src/store/json-file.js';
import { startTempFilePool, stopTempFilePool } from '../../src/store/temp-file-pool.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// A hook run before each synchronous write: plays a full disk in the middle of writing.
// Also counts the flushes (fsync) made, which only a power cut would otherwise show.
const hooks = vi.hoisted(() => ({ beforeWrite: undefined as ((target: PathOrFileDescriptor) => void) | undefined, flushes: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeFileSync = ((target: PathOrFileDescriptor, ...rest: unknown[]) => {
    hooks.beforeWrite?.(target);
    return (real.writeFileSync as (...args: unknown[]) => void)(target, ...rest);
  }) as typeof real.writeFileSync;
  const fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    hooks.flushes += 1;
    real.fsync(fd, callback);
  }) as typeof real.fsync;
  return { ...real, default: { ...real, writeFileSync, fsync }, writeFileSync, fsync };
});

const pools: string[] = [];
afterEach(async () => {
  hooks.beforeWrite = undefined;
  vi.restoreAllMocks();
  for (const tmpDir of pools.splice(0)) await stopTempFilePool(tmpDir);
});

const errno = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });

describe('reading a JSON file', () => {
  it.each([
    ['readJsonFile', (file: string) => readJsonFile(file)],
    ['readJsonFileSync', (file: string) => Promise.resolve().then(() => readJsonFileSync(file))],
  ])('%s: undefined when missing, the value when whole, CorruptIndexError when damaged, the error when unreadable', async (_name, read) => {
    const dir = makeTempDir('json-file-read-');
    await expect(read(path.join(dir, 'missing.json'))).resolves.toBeUndefined();
    writeFileSync(path.join(dir, 'whole.json'), '{"a":[1,2]}');
    await expect(read(path.join(dir, 'whole.json'))).resolves.toEqual({ a: [1, 2] });
    writeFileSync(path.join(dir, 'cut.json'), '{"a":[1,');
    const damaged = await read(path.join(dir, 'cut.json')).catch((error: unknown) => error);
    expect(damaged).toBeInstanceOf(CorruptIndexError);
    expect((damaged as CorruptIndexError).message).toBe(`The index file ${path.join(dir, 'cut.json')} is not valid JSON.`);
    expect((damaged as CorruptIndexError).hint).toMatch(/artifact-cli verify/);
    expect((damaged as CorruptIndexError).resourceType).toBe('file');
    // A directory where the file should be: not "missing", not "damaged".
    mkdirSync(path.join(dir, 'dir.json'));
    await expect(read(path.join(dir, 'dir.json'))).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('what is written', () => {
  it('writes an index with one-space indentation, a cache compact, and cache text as given', async () => {
    const dir = makeTempDir('json-file-text-');
    const value = { name: 'a', versions: { '1.0.0': { deps: [] } } };
    await writeJsonFileAtomic(path.join(dir, 'index.json'), value);
    await writeCacheFileAtomic(path.join(dir, 'cache.json'), value);
    await writeCacheTextAtomic(path.join(dir, 'text.json'), '[1, 2]\n');
    expect(readFileSync(path.join(dir, 'index.json'), 'utf8')).toBe(JSON.stringify(value, null, 1));
    expect(readFileSync(path.join(dir, 'cache.json'), 'utf8')).toBe(JSON.stringify(value));
    expect(readFileSync(path.join(dir, 'text.json'), 'utf8')).toBe('[1, 2]\n');
    expect(statSync(path.join(dir, 'index.json')).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(statSync(path.join(dir, 'cache.json')).mode & 0o777).toBe(0o644 & ~process.umask());
  });
});

describe('flushing', () => {
  it('flushes an index file to disk before it replaces the old one, and does not flush a cache file', async () => {
    const dir = makeTempDir('json-file-flush-');
    hooks.flushes = 0;
    await writeJsonFileAtomic(path.join(dir, 'index.json'), { kept: true });
    expect(hooks.flushes).toBe(1);
    await writeCacheFileAtomic(path.join(dir, 'cache.json'), { refetchable: true });
    await writeCacheTextAtomic(path.join(dir, 'text.json'), '{}');
    expect(hooks.flushes).toBe(1);
  });
});

describe('where it is written', () => {
  it('makes the missing directories of the target, however deep', async () => {
    const dir = makeTempDir('json-file-deep-');
    const file = path.join(dir, 'a', 'b', 'c', 'index.json');
    await writeJsonFileAtomic(file, { deep: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ deep: true });
    expect(readdirSync(path.dirname(file))).toEqual(['index.json']);
  });
});

describe('a write that fails', () => {
  it.each([
    ['writeJsonFileAtomic', (file: string) => writeJsonFileAtomic(file, { generation: 2 })],
    ['writeCacheFileAtomic', (file: string) => writeCacheFileAtomic(file, { generation: 2 })],
  ])('%s: a full disk while writing leaves the previous file and no temp file', async (_name, write) => {
    const dir = makeTempDir('json-file-enospc-');
    const file = path.join(dir, 'index.json');
    writeFileSync(file, '{"generation":1}');
    hooks.beforeWrite = (target) => {
      if (typeof target === 'number') throw errno('ENOSPC');
    };
    await expect(write(file)).rejects.toMatchObject({ code: 'ENOSPC' });
    hooks.beforeWrite = undefined;
    expect(readdirSync(dir)).toEqual(['index.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ generation: 1 });
    // Every descriptor was closed: the next write goes through.
    await write(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ generation: 2 });
  });

  it('a failed rename leaves the previous file and no temp file, and passes the error on', async () => {
    const dir = makeTempDir('json-file-rename-');
    const file = path.join(dir, 'index.json');
    writeFileSync(file, '{"generation":1}');
    // Once: a second try would succeed, and there must not be one (only a missing directory is retried).
    vi.spyOn(fsPromises, 'rename').mockRejectedValueOnce(errno('EIO'));
    await expect(writeJsonFileAtomic(file, { generation: 2 })).rejects.toMatchObject({ code: 'EIO' });
    expect(readdirSync(dir)).toEqual(['index.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ generation: 1 });
  });

  it('a file that cannot be opened beside its target is an error, not a retry', async () => {
    const dir = makeTempDir('json-file-open-');
    writeFileSync(path.join(dir, 'blocked'), '');
    // The target's "directory" is a regular file: nothing can be created in it.
    await expect(writeJsonFileAtomic(path.join(dir, 'blocked', 'index.json'), {})).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('writing through a pool of temp files (a server)', () => {
  async function pool(): Promise<{ root: string; tmpDir: string }> {
    const root = makeTempDir('json-file-pool-');
    const tmpDir = path.join(root, 'tmp');
    mkdirSync(tmpDir);
    pools.push(tmpDir);
    await startTempFilePool(tmpDir, { size: 4, quietMs: 0, directories: 0 }).whenFull();
    return { root, tmpDir };
  }
  // The pool refills itself, so what counts is which of the files it had are gone.
  const taken = (tmpDir: string, before: string[]) => before.filter((name) => !readdirSync(tmpDir).includes(name)).length;

  it("renames a pooled file into place, making the target's directory when it is missing", async () => {
    const { root, tmpDir } = await pool();
    const before = readdirSync(tmpDir);
    const file = path.join(root, 'domains', 'acme', 'packages', 'index.json');
    await writeJsonFileAtomic(file, { pooled: true }, 0o644, tmpDir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ pooled: true });
    // The temp file came from the pool, not from beside the target.
    expect(taken(tmpDir, before)).toBe(1);
    expect(readdirSync(path.dirname(file))).toEqual(['index.json']);
  });

  it('writes many files at once into one directory that is missing, with ready directories in the pool', async () => {
    const root = makeTempDir('json-file-pool-');
    const tmpDir = path.join(root, 'tmp');
    mkdirSync(tmpDir);
    pools.push(tmpDir);
    await startTempFilePool(tmpDir, { size: 64, quietMs: 60_000, directories: 64 }).whenFull();
    // Each writer finds the directory missing; a ready directory renamed into place over
    // another writer's empty one would make that writer's rename into it fail (ENOENT).
    const dir = path.join(root, 'domains', 'acme', 'external', 'npm', '_');
    const names = Array.from({ length: 48 }, (_, index) => `doc${index}.json`);
    await Promise.all(names.map((name) => writeCacheTextAtomic(path.join(dir, name), '{}', tmpDir)));
    expect(readdirSync(dir).sort()).toEqual([...names].sort());
  });

  it('writes beside the target instead when tmp/ is on another file system (EXDEV), leaving no temp file', async () => {
    const { root, tmpDir } = await pool();
    const file = path.join(root, 'index.json');
    const rename = fsPromises.rename.bind(fsPromises);
    const renames: string[] = [];
    vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      renames.push(path.dirname(String(from)));
      if (path.dirname(String(from)) === tmpDir) throw errno('EXDEV');
      return rename(from, to);
    });
    const before = readdirSync(tmpDir);
    hooks.flushes = 0;
    await writeJsonFileAtomic(file, { beside: true }, 0o644, tmpDir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ beside: true });
    // The write beside the target is flushed too, and keeps the mode asked for.
    expect(hooks.flushes).toBe(2);
    expect(statSync(file).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(renames).toEqual([tmpDir, root]);
    // The pooled file that could not be renamed is removed, not left in tmp/.
    expect(taken(tmpDir, before)).toBe(1);
    expect(readdirSync(root).sort()).toEqual(['index.json', 'tmp']);
  });

  it('passes any other failed rename of a pooled file on, leaving the previous file and removing the pooled one', async () => {
    const { root, tmpDir } = await pool();
    const file = path.join(root, 'index.json');
    writeFileSync(file, '{"generation":1}');
    // Once: writing beside the target instead would succeed, and only EXDEV calls for that.
    vi.spyOn(fsPromises, 'rename').mockRejectedValueOnce(errno('EIO'));
    const before = readdirSync(tmpDir);
    await expect(writeJsonFileAtomic(file, { generation: 2 }, 0o644, tmpDir)).rejects.toMatchObject({ code: 'EIO' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ generation: 1 });
    expect(taken(tmpDir, before)).toBe(1);
    expect(readdirSync(root).sort()).toEqual(['index.json', 'tmp']);
  });

  it('passes EXDEV on when the temp file was already beside the target', async () => {
    const dir = makeTempDir('json-file-exdev-');
    const file = path.join(dir, 'index.json');
    vi.spyOn(fsPromises, 'rename').mockRejectedValue(errno('EXDEV'));
    await expect(writeJsonFileAtomic(file, {})).rejects.toMatchObject({ code: 'EXDEV' });
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("makes its own file when the mode asked for is not the pool's", async () => {
    const { root, tmpDir } = await pool();
    const before = readdirSync(tmpDir);
    const file = path.join(root, 'tokens.json');
    await writeJsonFileAtomic(file, { tokens: [] }, 0o600, tmpDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(taken(tmpDir, before)).toBe(0);
  });
});
