import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, promises as fs, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startServer } from '../../src/server/serve.js';
import { FsBlobStore } from '../../src/store/fs-blob-store.js';
import { readJsonFileSync, writeJsonFileAtomic } from '../../src/store/json-file.js';
import { openStore } from '../../src/store/store.js';
import { startTempFilePool, stopTempFilePool, takePooledFile, TempFilePool } from '../../src/store/temp-file-pool.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const pooledNames = (tmpDir: string) => (existsSync(tmpDir) ? readdirSync(tmpDir) : []).filter((name) => name.startsWith(`pooled-${process.pid}-`));
const started: string[] = [];

async function startedPool(size: number, quietMs = 50): Promise<{ root: string; tmpDir: string; pool: TempFilePool }> {
  const root = makeTempDir();
  const tmpDir = path.join(root, 'tmp');
  mkdirSync(tmpDir);
  const pool = startTempFilePool(tmpDir, { size, quietMs });
  started.push(tmpDir);
  await pool.whenFull();
  return { root, tmpDir, pool };
}

afterEach(async () => {
  for (const tmpDir of started.splice(0)) await stopTempFilePool(tmpDir);
});

describe('TempFilePool', () => {
  it('makes empty files of this process in tmp/ up to its size', async () => {
    const { tmpDir, pool } = await startedPool(5);
    expect(pool.available).toBe(5);
    const names = pooledNames(tmpDir);
    expect(names).toHaveLength(5);
    for (const name of names) {
      const stat = statSync(path.join(tmpDir, name));
      expect(stat.size).toBe(0);
      expect(stat.mode & 0o777).toBe(0o644 & ~process.umask());
    }
  });

  it('hands out each file once, and refills only after a quiet spell', async () => {
    const { tmpDir, pool } = await startedPool(3, 300);
    const taken = [takePooledFile(tmpDir), takePooledFile(tmpDir), takePooledFile(tmpDir)];
    expect(new Set(taken).size).toBe(3);
    expect(taken.every((file) => file !== undefined && path.dirname(file) === tmpDir)).toBe(true);
    // Empty now: the writer makes its own file.
    expect(takePooledFile(tmpDir)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pool.available).toBe(0);
    await pool.whenFull();
    expect(pool.available).toBe(3);
    expect(new Set([...taken, ...pooledNames(tmpDir).map((name) => path.join(tmpDir, name))]).size).toBe(6);
  });

  it('is not there for a directory nobody started a pool for', () => {
    expect(takePooledFile(makeTempDir())).toBeUndefined();
  });

  it('stops making files when stopped, and leaves those made for the owner to remove', async () => {
    const root = makeTempDir();
    const tmpDir = path.join(root, 'tmp');
    mkdirSync(tmpDir);
    startTempFilePool(tmpDir, { size: 500 });
    // Stopped while it is busy making files, so one is being made as stop() is called.
    while (pooledNames(tmpDir).length < 3) await new Promise((resolve) => setImmediate(resolve));
    await stopTempFilePool(tmpDir);
    const count = pooledNames(tmpDir).length;
    expect(count).toBeLessThan(500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pooledNames(tmpDir).length).toBe(count);
    expect(takePooledFile(tmpDir)).toBeUndefined();
  });

  it('makes tmp/ when it is missing', async () => {
    const tmpDir = path.join(makeTempDir(), 'tmp');
    const pool = startTempFilePool(tmpDir, { size: 2 });
    started.push(tmpDir);
    await pool.whenFull();
    expect(pooledNames(tmpDir)).toHaveLength(2);
  });

  it('gives up quietly when tmp/ cannot be made', async () => {
    const root = makeTempDir();
    await fs.writeFile(path.join(root, 'file'), '');
    const tmpDir = path.join(root, 'file', 'tmp');
    const pool = startTempFilePool(tmpDir, { size: 3 });
    started.push(tmpDir);
    await pool.whenFull();
    expect(pool.available).toBe(0);
    expect(takePooledFile(tmpDir)).toBeUndefined();
  });
});

describe('writes through pooled files', () => {
  it('an index file is written into a pooled file and renamed in place, making its directory', async () => {
    const { root, tmpDir } = await startedPool(2);
    const [first] = pooledNames(tmpDir);
    const inodes = new Set(pooledNames(tmpDir).map((name) => statSync(path.join(tmpDir, name)).ino));
    const file = path.join(root, 'domains', 'd', 'packages', 'npm', '_', 'left-pad.json');
    await writeJsonFileAtomic(file, { name: 'left-pad', versions: {} }, 0o644, tmpDir);
    expect(readJsonFileSync(file)).toEqual({ name: 'left-pad', versions: {} });
    expect(inodes.has(statSync(file).ino)).toBe(true);
    expect(pooledNames(tmpDir)).toHaveLength(1);
    expect(pooledNames(tmpDir)).not.toContain(path.basename(file));
    expect(first).toBeDefined();
  });

  it('a file of another mode (the tokens file, 0600) never takes a pooled file', async () => {
    const { root, tmpDir } = await startedPool(2);
    const file = path.join(root, 'tokens.json');
    await writeJsonFileAtomic(file, { tokens: [] }, 0o600, tmpDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(pooledNames(tmpDir)).toHaveLength(2);
  });

  it('a pooled file someone removed is passed over and the write still lands', async () => {
    const { root, tmpDir } = await startedPool(2);
    for (const name of pooledNames(tmpDir)) rmSync(path.join(tmpDir, name));
    const file = path.join(root, 'index.json');
    await writeJsonFileAtomic(file, { ok: true }, 0o644, tmpDir);
    expect(readJsonFileSync(file)).toEqual({ ok: true });
  });

  it('an index on another file system than tmp/ is written beside its target instead', async () => {
    const { root, tmpDir } = await startedPool(2, 60_000);
    const file = path.join(root, 'index.json');
    const rename = vi.spyOn(fs, 'rename').mockRejectedValueOnce(Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' }));
    try {
      await writeJsonFileAtomic(file, { ok: true }, 0o644, tmpDir);
    } finally {
      rename.mockRestore();
    }
    expect(readJsonFileSync(file)).toEqual({ ok: true });
    // The pooled file it took first is gone, and nothing else was left in either place.
    expect(readdirSync(tmpDir)).toHaveLength(1);
    expect(readdirSync(root).sort()).toEqual(['index.json', 'tmp']);
  });

  it('a small blob is written into a pooled file; a failed write removes the file it took', async () => {
    // No refill during the test: every file in tmp/ is one the test knows of.
    const { root, tmpDir } = await startedPool(2, 60_000);
    const inodes = new Set(pooledNames(tmpDir).map((name) => statSync(path.join(tmpDir, name)).ino));
    const blobs = new FsBlobStore(root);
    const bytes = randomBytes(5000);
    const { sha256 } = await blobs.put(bytes);
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(inodes.has(statSync(blobs.pathOf(sha256)).ino)).toBe(true);
    expect(await fs.readFile(blobs.pathOf(sha256))).toEqual(bytes);

    // The rename into place fails: the put fails and the pooled file it took is gone from tmp/.
    const rename = vi.spyOn(fs, 'rename').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    try {
      await expect(blobs.put(randomBytes(5000))).rejects.toThrow('EIO');
    } finally {
      rename.mockRestore();
    }
    expect(readdirSync(tmpDir)).toEqual([]);
  });
});

describe('the server and its pool', () => {
  it('makes its pool after it starts and removes what is left when it stops', async () => {
    const root = makeTempDir();
    const store = openStore(root);
    const config = await loadConfig({ root }, {}, root);
    config.server.port = 0;
    const server = await startServer({ store, config, log: () => undefined, tempFilePoolSize: 6 });
    const tmpDir = path.join(root, 'tmp');
    const deadline = Date.now() + 10_000;
    while (pooledNames(tmpDir).length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pooledNames(tmpDir)).toHaveLength(6);
    await server.close();
    expect(pooledNames(tmpDir)).toEqual([]);
  });
});
