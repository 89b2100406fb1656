/**
 * The bytes of small, often-asked blobs kept in memory. Most npm tarballs are a few dozen
 * kilobytes and installs ask for each one again and again; answering from memory saves the stat, open,
 * read and close that every download from disk costs. Blobs are named by their SHA-256 and
 * never change, so a kept copy cannot go stale. Larger blobs always stream from disk.
 */
import { ownMemory } from '../core/own-memory.js';
import type { BlobStore } from './blob-store.js';

/**
 * Blobs up to this size are read whole and kept; larger ones stream from disk on every
 * download. Most npm tarballs, PyPI wheels of pure-Python packages and POMs are below it.
 */
export const SMALL_BLOB_MAX_BYTES = 256 * 1024;
// All kept copies together; the least recently asked go first.
const TOTAL_MAX_BYTES = 32 * 1024 * 1024;
// What an entry costs besides its bytes (the Buffer and ArrayBuffer objects, the Map entry, its
// 64-character key: about 900 bytes measured), so that many tiny blobs cannot hold far more.
const ENTRY_OVERHEAD_BYTES = 1024;

class SmallBlobCache {
  /** In recency order: the least recently asked first, so eviction takes from the front. */
  private readonly entries = new Map<string, Buffer>();
  private total = 0;

  get(sha256: string): Buffer | undefined {
    const bytes = this.entries.get(sha256);
    // Delete and set again moves it to the back: cheap enough for every download, and it
    // keeps eviction O(1) instead of a walk over up to ~32,000 entries.
    if (bytes) {
      this.entries.delete(sha256);
      this.entries.set(sha256, bytes);
    }
    return bytes;
  }

  keep(sha256: string, bytes: Buffer): void {
    if (bytes.length > SMALL_BLOB_MAX_BYTES || this.entries.has(sha256)) return;
    const cost = bytes.length + ENTRY_OVERHEAD_BYTES;
    while (this.total + cost > TOTAL_MAX_BYTES && this.entries.size > 0) this.evictLeastRecentlyUsed();
    // A view into a larger buffer would keep all of it (own-memory.ts).
    this.entries.set(sha256, ownMemory(bytes));
    this.total += cost;
  }

  private evictLeastRecentlyUsed(): void {
    const [oldest, bytes] = this.entries.entries().next().value as [string, Buffer];
    this.entries.delete(oldest);
    this.total -= bytes.length + ENTRY_OVERHEAD_BYTES;
  }
}

const caches = new WeakMap<BlobStore, SmallBlobCache>();

/** The store's cache, made on first use: the server makes it when it starts. */
export function smallBlobCacheOf(blobs: BlobStore): SmallBlobCache {
  let cache = caches.get(blobs);
  if (!cache) {
    cache = new SmallBlobCache();
    caches.set(blobs, cache);
  }
  return cache;
}

/**
 * The store's cache only if a server made one: a blob just stored goes in too, since the
 * download that fetched it from upstream, or an install after a publish, asks for it next.
 * One-shot commands have none and keep nothing.
 */
export function existingSmallBlobCacheOf(blobs: BlobStore): SmallBlobCache | undefined {
  return caches.get(blobs);
}
