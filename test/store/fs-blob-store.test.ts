import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../../src/errors.js';
import { FsBlobStore } from '../../src/store/fs-blob-store.js';
import { existingSmallBlobCacheOf, smallBlobCacheOf } from '../../src/store/small-blob-cache.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file below `dir`, relative to it; [] when the directory does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** A stream that delivers `bytes` in small chunks, as a network upload would. */
function chunked(bytes: Buffer, size = 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return Readable.from(chunks);
}

describe('FsBlobStore', () => {
  it('tells the digests once the bytes matched, before the write, and names nothing when the directory cannot be made', async () => {
    const root = makeTempDir('artifact-cli-blobs-');
    const store = new FsBlobStore(root);
    const bytes = randomBytes(4096);
    const digest = sha256(bytes);
    // A file where the blob's fan-out directory must go: the write fails after the check.
    await fs.mkdir(path.join(root, 'blobs', 'sha256'), { recursive: true });
    await fs.writeFile(path.join(root, 'blobs', 'sha256', digest.slice(0, 2)), '');
    const told: string[] = [];
    await expect(store.put(bytes, { sha256: digest }, { verified: (digests) => told.push(digests.sha256) })).rejects.toThrow();
    expect(told).toEqual([digest]);
    expect(await store.size(digest)).toBeUndefined();
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
    // Bytes that do not match are never told of.
    await expect(store.put(Buffer.from('other'), { sha256: digest }, { verified: (digests) => told.push(digests.sha256) })).rejects.toThrow(ValidationError);
    expect(told).toEqual([digest]);
  });

  it('stores bytes under blobs/sha256/ab/cd/<hex> and reports every digest', async () => {
    const root = makeTempDir();
    const store = new FsBlobStore(root);
    const bytes = randomBytes(100_000);
    const digests = await store.put(chunked(bytes));
    expect(digests).toEqual({
      sha256: sha256(bytes),
      sha1: createHash('sha1').update(bytes).digest('hex'),
      sha512: createHash('sha512').update(bytes).digest('hex'),
      md5: createHash('md5').update(bytes).digest('hex'),
      size: bytes.length,
    });
    const hex = digests.sha256;
    expect(store.pathOf(hex)).toBe(path.join(root, 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex));
    expect(await fs.readFile(store.pathOf(hex))).toEqual(bytes);
    expect(await store.size(hex)).toBe(bytes.length);
    const listed: string[] = [];
    for await (const name of store.list()) listed.push(name);
    expect(listed).toEqual([hex]);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('reads a whole blob in one buffer, and answers undefined for a missing one', async () => {
    const store = new FsBlobStore(makeTempDir());
    const bytes = randomBytes(3000);
    const { sha256: hex } = await store.put(bytes);
    expect(await store.readWhole(hex)).toEqual(bytes);
    expect(await store.readWhole('0'.repeat(64))).toBeUndefined();
    expect(await store.size('0'.repeat(64))).toBeUndefined();
  });

  it('treats storing the same bytes again as a no-op', async () => {
    const root = makeTempDir();
    const store = new FsBlobStore(root);
    const bytes = Buffer.from('same bytes');
    await store.put(bytes);
    const { ino } = await fs.stat(store.pathOf(sha256(bytes)));
    await store.put(bytes, { sha256: sha256(bytes), size: bytes.length });
    // The file is not rewritten (same inode); only its mtime is refreshed, for gc's sake.
    expect((await fs.stat(store.pathOf(sha256(bytes)))).ino).toBe(ino);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  // Content up to 256 KB is held in memory until its digests are known; larger content streams
  // to a temp file as it comes. Both ways must refuse and clean up alike.
  it.each([
    ['a wrong sha256', { sha256: 'f'.repeat(64) }, 50_000],
    ['a wrong sha1', { sha1: '0'.repeat(40) }, 50_000],
    ['a wrong size', { size: 5 }, 50_000],
    ['a wrong sha256', { sha256: 'f'.repeat(64) }, 600_000],
    ['a wrong size', { size: 5 }, 600_000],
  ])('refuses content with %s (%d bytes) and leaves nothing behind', async (_label, expected, size) => {
    const root = makeTempDir();
    const store = new FsBlobStore(root);
    await expect(store.put(chunked(randomBytes(size), 16 * 1024), expected)).rejects.toBeInstanceOf(ValidationError);
    expect(await filesUnder(path.join(root, 'blobs'))).toEqual([]);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('accepts digests given in upper case', async () => {
    const store = new FsBlobStore(makeTempDir());
    const bytes = Buffer.from('case');
    await expect(store.put(bytes, { sha256: sha256(bytes).toUpperCase() })).resolves.toMatchObject({ size: 4 });
  });

  it('stops a stream longer than maxBytes with PayloadTooLargeError and leaves nothing behind', async () => {
    const root = makeTempDir();
    const store = new FsBlobStore(root);
    await expect(store.put(chunked(randomBytes(64 * 1024)), { maxBytes: 10_000 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await filesUnder(path.join(root, 'blobs'))).toEqual([]);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
    // Exactly at the limit is still fine.
    await expect(store.put(randomBytes(10_000), { maxBytes: 10_000 })).resolves.toMatchObject({ size: 10_000 });
    // Past the in-memory size, with part of it already streamed to a temp file.
    await expect(store.put(chunked(randomBytes(1024 * 1024), 32 * 1024), { maxBytes: 400_000 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('streams content larger than 256 KB to disk and stores it whole', async () => {
    const root = makeTempDir();
    const store = new FsBlobStore(root);
    const bytes = randomBytes(1024 * 1024 + 7);
    const digests = await store.put(chunked(bytes, 64 * 1024));
    expect(digests).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
    expect((await store.readWhole(digests.sha256))?.equals(bytes)).toBe(true);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('keeps a small blob it stores in memory only when a server asked for such a cache', async () => {
    const store = new FsBlobStore(makeTempDir());
    const first = randomBytes(1000);
    await store.put(first);
    expect(existingSmallBlobCacheOf(store)).toBeUndefined();
    const cache = smallBlobCacheOf(store);
    const second = randomBytes(1000);
    await store.put(chunked(second, 100));
    expect(cache.get(sha256(second))?.equals(second)).toBe(true);
    expect(cache.get(sha256(first))).toBeUndefined();
  });

  it('cleans up after a source stream that fails midway', async () => {
    const root = makeTempDir();
    const store = new FsBlobStore(root);
    const failing = new Readable({
      read() {
        this.push(randomBytes(4096));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('connection reset');
    expect(await filesUnder(path.join(root, 'blobs'))).toEqual([]);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
    // The same after 400 KB, part of which is already in a temp file.
    let sent = 0;
    const failingLate = new Readable({
      read() {
        if (sent >= 400_000) return void this.destroy(new Error('connection reset late'));
        sent += 16_384;
        this.push(randomBytes(16_384));
      },
    });
    await expect(store.put(failingLate)).rejects.toThrow('connection reset late');
    expect(await filesUnder(path.join(root, 'blobs'))).toEqual([]);
    expect(await filesUnder(path.join(root, 'tmp'))).toEqual([]);
  });

  it('refuses names that are not SHA-256 digests before they become paths', () => {
    const store = new FsBlobStore(makeTempDir());
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(63)}/`]) {
      expect(() => store.pathOf(bad)).toThrow(ValidationError);
    }
  });

  it('serves byte ranges and removes blobs', async () => {
    const store = new FsBlobStore(makeTempDir());
    const bytes = Buffer.from('0123456789');
    const { sha256: hex } = await store.put(bytes);
    const parts: Buffer[] = [];
    for await (const chunk of store.open(hex, { start: 2, end: 5 })) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('2345');
    await store.remove(hex);
    expect(await store.size(hex)).toBeUndefined();
  });
});
