import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/store/blob-store.js';
import { SMALL_BLOB_MAX_BYTES, smallBlobCacheOf } from '../../src/store/small-blob-cache.js';

const name = (index: number) => index.toString(16).padStart(64, '0');

describe('the small-blob cache', () => {
  it('holds at most 32 MB, letting the least recently asked go first, and never a blob over 256 KB', () => {
    const cache = smallBlobCacheOf({} as BlobStore);
    const size = 200 * 1024;
    // 163 blobs of 200 KB fill the 32 MB (a 164th would not fit).
    for (let index = 0; index < 163; index++) cache.keep(name(index), Buffer.alloc(size, index % 256));
    expect(cache.get(name(0))?.length).toBe(size);
    // Asked for just now, so blob 0 outlives 1, 2 and 3, which make room for three newcomers.
    for (let index = 163; index < 166; index++) cache.keep(name(index), Buffer.alloc(size));
    expect(cache.get(name(0))?.[0]).toBe(0);
    expect([1, 2, 3].map((index) => cache.get(name(index)))).toEqual([undefined, undefined, undefined]);
    expect(cache.get(name(4))?.[0]).toBe(4);
    expect(cache.get(name(165))?.length).toBe(size);

    cache.keep(name(999), Buffer.alloc(SMALL_BLOB_MAX_BYTES + 1));
    expect(cache.get(name(999))).toBeUndefined();
  });
});
