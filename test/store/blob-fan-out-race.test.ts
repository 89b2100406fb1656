/**
 * Many new blobs that need the same missing fan-out directories (blobs/sha256/5a/ and
 * blobs/sha256/5a/5a/), stored at once: with a server's pool of ready directories, every writer
 * would rename its own empty directory towards the same path, and a rename that replaces an
 * empty directory fails a rename into it under way at that moment (ENOENT). Within the process
 * the writers wait for one another (see makeDirectory); another process can still swap one, and
 * the blob's rename is then tried again. Every blob must be stored, named where its digest says
 * and readable, and no put may fail.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, promises as fs, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FsBlobStore } from '../../src/store/fs-blob-store.js';
import { SMALL_BLOB_MAX_BYTES } from '../../src/store/small-blob-cache.js';
import { startTempFilePool, stopTempFilePool } from '../../src/store/temp-file-pool.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PREFIX = '5a5a';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const tail = (index: number) => Buffer.from(`fan-out race ${index}`);
// Found once by search: these tails alone, and the same after LARGE_HEAD, hash to 5a5a...
// (finding them here would cost seconds of hashing; the test checks the prefix anyway).
const SMALL_SAME_DIRECTORY = [64605, 86027, 94644, 116478, 233067, 316912, 336901, 601884, 656403, 673522, 679944, 705914, 737418, 794874, 874215, 927029];
const LARGE_SAME_DIRECTORY = [171730, 322433, 356184, 396393, 430960, 499907, 633877, 728383];
// Larger than a blob kept in memory, so these take the streamed path (temp file, flush, rename).
const LARGE_HEAD = Buffer.alloc(300 * 1024, 0x61);

/** Blobs that all go into blobs/sha256/5a/5a/, and as many more that share only blobs/sha256/5a/. */
function contents(): Buffer[] {
  const same = [...SMALL_SAME_DIRECTORY.map(tail), ...LARGE_SAME_DIRECTORY.map((index) => Buffer.concat([LARGE_HEAD, tail(index)]))];
  const siblings: Buffer[] = [];
  const seen = new Set<string>();
  for (let index = 0; siblings.length < 16; index++) {
    const bytes = Buffer.from(`fan-out sibling ${index}`);
    const digest = sha256(bytes);
    if (digest.startsWith(PREFIX.slice(0, 2)) && !digest.startsWith(PREFIX) && !seen.has(digest.slice(2, 4))) {
      seen.add(digest.slice(2, 4));
      siblings.push(bytes);
    }
  }
  return [...same, ...siblings];
}

const pooled: string[] = [];
afterEach(async () => {
  for (const tmpDir of pooled.splice(0)) await stopTempFilePool(tmpDir, { removeReady: true });
});

/** Stores every content at once into a fresh root, and checks each one is there and whole. */
async function storeAtOnce(withPool: boolean): Promise<void> {
  const root = makeTempDir();
  const tmpDir = path.join(root, 'tmp');
  const all = contents();
  // Enough for every writer to rename its own directory at each missing level, and no refill.
  const ready = 4 * all.length;
  const pool = withPool ? startTempFilePool(tmpDir, { size: all.length, directories: ready, quietMs: 60_000 }) : undefined;
  if (pool) {
    pooled.push(tmpDir);
    await pool.whenFull();
  }
  const blobs = new FsBlobStore(root);
  const settled = await Promise.allSettled(all.map((bytes) => blobs.put(bytes)));
  // One directory renamed into place per directory made (blobs/, sha256/, 5a/, then 5a/5a/ and
  // the siblings' 16): the writers needing the same one waited for it instead of each renaming theirs.
  if (pool) expect(ready - pool.availableDirectories).toBe(4 + 16);
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
  expect(failures).toEqual([]);
  expect(settled.map((result) => (result.status === 'fulfilled' ? result.value.sha256 : undefined))).toEqual(all.map(sha256));
  for (const bytes of all) expect((await blobs.readWhole(sha256(bytes)))?.equals(bytes)).toBe(true);
  const listed: string[] = [];
  for await (const name of blobs.list()) listed.push(name);
  expect(listed.sort()).toEqual(all.map(sha256).sort());
  const shared = path.join(root, 'blobs', 'sha256', PREFIX.slice(0, 2), PREFIX.slice(2));
  expect(readdirSync(shared)).toHaveLength(SMALL_SAME_DIRECTORY.length + LARGE_SAME_DIRECTORY.length);
  // Nothing left behind in tmp/ but the pool's own unused entries.
  const leftovers = (await fs.readdir(tmpDir).catch(() => [] as string[])).filter((name) => !name.startsWith(`pooled-${process.pid}-`));
  expect(leftovers).toEqual([]);
  for (const name of await fs.readdir(tmpDir).catch(() => [] as string[])) {
    const entry = path.join(tmpDir, name);
    if (statSync(entry).isDirectory()) expect(readdirSync(entry)).toEqual([]);
  }
}

describe('new blobs that need the same missing fan-out directory, stored at once', () => {
  it('the chosen contents do share the directories (the test means what it says)', () => {
    const all = contents();
    const same = SMALL_SAME_DIRECTORY.length + LARGE_SAME_DIRECTORY.length;
    expect(all.slice(0, same).every((bytes) => sha256(bytes).startsWith(PREFIX))).toBe(true);
    expect(all.slice(SMALL_SAME_DIRECTORY.length, same).every((bytes) => bytes.length > SMALL_BLOB_MAX_BYTES)).toBe(true);
    expect(new Set(all.map(sha256)).size).toBe(all.length);
  });

  it('through directories renamed from the pool, as a server makes them: all stored and readable, none fails', async () => {
    // Each round is a fresh root, so the directories are missing again; rounds give the race more chances.
    for (let round = 0; round < 16; round++) await storeAtOnce(true);
  });

  it('with no pool, as a one-shot CLI command makes them: all stored and readable, none fails', async () => {
    for (let round = 0; round < 8; round++) await storeAtOnce(false);
  });
});

/**
 * Writers of another process that each saw `target` missing: they rename empty directories of
 * their own there, one after the other as soon as the parent allows, `writers` swaps in all; they
 * give up when the target holds entries (a rename cannot replace that) or when `stop()` says the
 * writers here are done. Returns how many swaps happened.
 */
async function otherProcess(target: string, scratch: string, writers: number, stop: () => boolean): Promise<number> {
  let swaps = 0;
  while (swaps < writers && !stop()) {
    const mine = path.join(scratch, `${path.basename(target)}-${Math.random().toString(16).slice(2)}`);
    mkdirSync(mine);
    try {
      await fs.rename(mine, target);
      swaps++;
    } catch {
      await fs.rm(mine, { recursive: true, force: true });
      if ((statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false) && readdirSync(target).length > 0) break;
    }
  }
  return swaps;
}

describe('another process renaming its own empty directories over the fan-out directories', () => {
  it('a rename into a directory swapped at that moment is tried again: every blob is stored and readable', async () => {
    let swaps = 0;
    for (let round = 0; round < 16; round++) {
      const root = makeTempDir();
      const scratch = path.join(root, 'other');
      mkdirSync(scratch);
      const all = contents();
      const blobs = new FsBlobStore(root);
      const targets = [...new Set(all.map((bytes) => path.dirname(blobs.pathOf(sha256(bytes)))))];
      let done = false;
      // Four swaps at most per directory: fewer than the tries a rename gets.
      const racing = Promise.all(targets.map((target) => otherProcess(target, scratch, 4, () => done)));
      const settled = await Promise.allSettled(all.map((bytes) => blobs.put(bytes)));
      done = true;
      swaps += (await racing).reduce((sum, count) => sum + count, 0);
      expect(settled.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).toEqual([]);
      for (const bytes of all) expect((await blobs.readWhole(sha256(bytes)))?.equals(bytes)).toBe(true);
    }
    // The race did happen: directories were swapped while the blobs were being stored.
    expect(swaps).toBeGreaterThan(0);
  });

  it('the same, step by step: the swap at the moment of the rename fails it with ENOENT, and the second try lands', async () => {
    const root = makeTempDir();
    const blobs = new FsBlobStore(root);
    const bytes = Buffer.from('swapped under the rename');
    const final = blobs.pathOf(sha256(bytes));
    const realRename = fs.rename.bind(fs);
    const rename = vi.spyOn(fs, 'rename').mockImplementationOnce(async (_from, to) => {
      // What the kernel does when the target's directory is replaced while the rename is under way.
      expect(to).toBe(final);
      const theirs = path.join(root, 'theirs');
      mkdirSync(theirs);
      await realRename(theirs, path.dirname(final));
      throw Object.assign(new Error(`ENOENT: no such file or directory, rename -> '${final}'`), { code: 'ENOENT' });
    });
    let calls: number;
    try {
      await blobs.put(bytes);
    } finally {
      calls = rename.mock.calls.length;
      rename.mockRestore();
    }
    expect(calls).toBe(2);
    expect((await blobs.readWhole(sha256(bytes)))?.equals(bytes)).toBe(true);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });
});
