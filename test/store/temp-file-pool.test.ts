import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, promises as fs, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startServer } from '../../src/server/serve.js';
import { FsBlobStore } from '../../src/store/fs-blob-store.js';
import { readJsonFileSync, writeJsonFileAtomic } from '../../src/store/json-file.js';
import { openStore } from '../../src/store/store.js';
import { MetadataCache } from '../../src/upstream/metadata-cache.js';
import { makeDirectory, startTempFilePool, stopTempFilePool, takePooledFile, TempFilePool } from '../../src/store/temp-file-pool.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const pooledEntries = (tmpDir: string) => (existsSync(tmpDir) ? readdirSync(tmpDir) : []).filter((name) => name.startsWith(`pooled-${process.pid}-`));
const pooledNames = (tmpDir: string) => pooledEntries(tmpDir).filter((name) => statSync(path.join(tmpDir, name)).isFile());
const pooledDirectories = (tmpDir: string) => pooledEntries(tmpDir).filter((name) => statSync(path.join(tmpDir, name)).isDirectory());
const started: string[] = [];

/** A started pool of `size` files (and `directories` directories, none unless asked), full. */
async function startedPool(size: number, quietMs = 50, directories = 0): Promise<{ root: string; tmpDir: string; pool: TempFilePool }> {
  const root = makeTempDir();
  const tmpDir = path.join(root, 'tmp');
  mkdirSync(tmpDir);
  const pool = startTempFilePool(tmpDir, { size, quietMs, directories });
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
    startTempFilePool(tmpDir, { size: 500, directories: 0 });
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
    expect(pooledDirectories(tmpDir)).toHaveLength(2);
  });

  it('gives up quietly when tmp/ cannot be made', async () => {
    const root = makeTempDir();
    await fs.writeFile(path.join(root, 'file'), '');
    const tmpDir = path.join(root, 'file', 'tmp');
    const pool = startTempFilePool(tmpDir, { size: 3 });
    started.push(tmpDir);
    await pool.whenFull();
    expect(pool.available).toBe(0);
    expect(pool.availableDirectories).toBe(0);
    expect(takePooledFile(tmpDir)).toBeUndefined();
  });
});

describe('writes through pooled files', () => {
  it('an index file is written into a pooled file and renamed in place, making its directory', async () => {
    const { root, tmpDir } = await startedPool(2);
    expect(pooledNames(tmpDir)).toHaveLength(2);
    const inodes = new Set(pooledNames(tmpDir).map((name) => statSync(path.join(tmpDir, name)).ino));
    const file = path.join(root, 'domains', 'd', 'packages', 'npm', '_', 'left-pad.json');
    await writeJsonFileAtomic(file, { name: 'left-pad', versions: {} }, 0o644, tmpDir);
    expect(readJsonFileSync(file)).toEqual({ name: 'left-pad', versions: {} });
    expect(inodes.has(statSync(file).ino)).toBe(true);
    expect(pooledNames(tmpDir)).toHaveLength(1);
    expect(pooledNames(tmpDir)).not.toContain(path.basename(file));
  });

  it('a registry document the metadata cache keeps is written into a pooled file (a cold install writes one per package)', async () => {
    const { root, tmpDir } = await startedPool(2, 60_000);
    const inodes = new Set(pooledNames(tmpDir).map((name) => statSync(path.join(tmpDir, name)).ino));
    const registry = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('---\n1.0.0 |checksum:00\n'));
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const config = await loadConfig({ root }, {}, root);
      const cache = new MetadataCache({ store: openStore(root), config, log: () => undefined });
      const key = { domain: 'd', repository: 'store', format: 'ruby', name: 'rack' };
      const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/info/rack`;
      expect((await cache.get({ key, url, parse: (text) => text }))?.document).toBe('---\n1.0.0 |checksum:00\n');
    } finally {
      registry.close();
    }
    const kept = path.join(root, 'domains', 'd', 'repositories', 'store', 'external', 'ruby', '_', 'rack.json');
    expect(inodes.has(statSync(kept).ino)).toBe(true);
    expect(pooledNames(tmpDir)).toHaveLength(1);
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

describe('directories made from the pool', () => {
  const inodesOf = (tmpDir: string, names: string[]) => new Set(names.map((name) => statSync(path.join(tmpDir, name)).ino));

  it('keeps empty directories ready beside its files', async () => {
    const { tmpDir, pool } = await startedPool(2, 50, 3);
    expect(pool.availableDirectories).toBe(3);
    expect(pooledNames(tmpDir)).toHaveLength(2);
    expect(pooledDirectories(tmpDir)).toHaveLength(3);
    for (const name of pooledDirectories(tmpDir)) expect(readdirSync(path.join(tmpDir, name))).toEqual([]);
  });

  it("a new blob's fan-out directories are pooled ones renamed into place", async () => {
    // Two directories ready: the blob needs four (blobs/, sha256/, ab/, cd/), the innermost two from the pool.
    const { root, tmpDir, pool } = await startedPool(1, 60_000, 2);
    const inodes = inodesOf(tmpDir, pooledDirectories(tmpDir));
    const blobs = new FsBlobStore(root);
    const { sha256 } = await blobs.put(randomBytes(3000));
    const fanOut = path.dirname(blobs.pathOf(sha256));
    expect(inodes.has(statSync(fanOut).ino)).toBe(true);
    expect(inodes.has(statSync(path.dirname(fanOut)).ino)).toBe(true);
    expect(pool.availableDirectories).toBe(0);
    expect(pooledDirectories(tmpDir)).toEqual([]);
  });

  it('an existing directory takes nothing from the pool', async () => {
    const { root, tmpDir, pool } = await startedPool(0, 60_000, 2);
    await makeDirectory(tmpDir, path.join(root, 'tmp'));
    expect(pool.availableDirectories).toBe(2);
  });

  it('a directory another writer made meanwhile is kept, and the pooled one goes back', async () => {
    const { root, tmpDir, pool } = await startedPool(0, 60_000, 1);
    const target = path.join(root, 'made-meanwhile');
    const realRename = fs.rename.bind(fs);
    // The other writer makes the directory and puts a file in it just before our rename.
    const rename = vi.spyOn(fs, 'rename').mockImplementationOnce(async (from, to) => {
      mkdirSync(target);
      await fs.writeFile(path.join(target, 'theirs'), 'x');
      return realRename(from, to);
    });
    try {
      await makeDirectory(tmpDir, target);
    } finally {
      rename.mockRestore();
    }
    expect(readdirSync(target)).toEqual(['theirs']);
    expect(pool.availableDirectories).toBe(1);
    expect(pooledDirectories(tmpDir)).toHaveLength(1);
  });

  it('a pooled directory someone removed is passed over and the directory is made', async () => {
    const { root, tmpDir, pool } = await startedPool(0, 60_000, 1);
    for (const name of pooledDirectories(tmpDir)) rmSync(path.join(tmpDir, name), { recursive: true });
    const target = path.join(root, 'a', 'b');
    await makeDirectory(tmpDir, target);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(pool.availableDirectories).toBe(0);
  });
});

describe('the server and its pool', () => {
  async function started(root: string, port = 0) {
    const store = openStore(root);
    const config = await loadConfig({ root }, {}, root);
    config.server.port = port;
    return startServer({ store, config, log: () => undefined, tempFilePoolSize: 6 });
  }

  it('makes its pool after it starts and removes what is left when it stops', async () => {
    const root = makeTempDir();
    const server = await started(root);
    const tmpDir = path.join(root, 'tmp');
    const deadline = Date.now() + 10_000;
    while (pooledEntries(tmpDir).length < 12 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pooledNames(tmpDir)).toHaveLength(6);
    expect(pooledDirectories(tmpDir)).toHaveLength(6);
    await server.close();
    expect(pooledEntries(tmpDir)).toEqual([]);
  });

  it('holds off refilling while requests keep coming, and refills once they stop', async () => {
    const root = makeTempDir();
    const server = await started(root);
    try {
      const tmpDir = path.join(root, 'tmp');
      const pool = startTempFilePool(tmpDir, { size: 6 });
      await pool.whenFull();
      while (takePooledFile(tmpDir)) {
        // empty the pool of files
      }
      // A request every 50 ms for a second: well inside the pool's 250 ms quiet spell each time.
      for (let index = 0; index < 20; index++) {
        await fetch(`${server.url}/-/ping`).then((response) => response.arrayBuffer());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(pool.available).toBe(0);
      await pool.whenFull();
      expect(pool.available).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('takes its pool away again when it cannot listen', async () => {
    const root = makeTempDir();
    const tmpDir = path.join(root, 'tmp');
    // The pool the server would make, made full beforehand so that there is something to take away.
    await startTempFilePool(tmpDir, { size: 6 }).whenFull();
    expect(pooledEntries(tmpDir)).toHaveLength(12);
    const blocker = await started(makeTempDir());
    try {
      const port = Number(new URL(blocker.url).port);
      await expect(started(root, port)).rejects.toThrow(/EADDRINUSE/);
      expect(pooledEntries(tmpDir)).toEqual([]);
      expect(takePooledFile(tmpDir)).toBeUndefined();
    } finally {
      await blocker.close();
    }
  });
});
