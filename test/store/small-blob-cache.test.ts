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

  it('keeps a copy of its own of bytes that are a view into a larger buffer, and counts each entry beyond its bytes', () => {
    const cache = smallBlobCacheOf({} as BlobStore);
    // Small buffers come from Node's shared pool; a slice of a request body shares the body's memory.
    const pooled = Buffer.from('a tiny tarball');
    const body = Buffer.alloc(4 * 1024 * 1024, 7);
    cache.keep(name(1), pooled);
    cache.keep(name(2), body.subarray(100, 400));
    for (const [index, expected] of [
      [1, pooled],
      [2, body.subarray(100, 400)],
    ] as const) {
      const kept = cache.get(name(index));
      expect(kept).toEqual(expected);
      expect(kept?.buffer.byteLength).toBe(expected.length);
    }
    // A buffer that is all of its memory is kept as it is.
    const whole = Buffer.alloc(64 * 1024, 3);
    cache.keep(name(3), whole);
    expect(cache.get(name(3))).toBe(whole);

    // Each entry counts 1 KiB on top of its bytes: 16,384 blobs of 1 KiB fill the 32 MiB.
    const small = smallBlobCacheOf({ small: true } as unknown as BlobStore);
    for (let index = 0; index < 16_384; index++) small.keep(name(index), Buffer.alloc(1024));
    expect(small.get(name(0))).toBeDefined();
    small.keep(name(16_384), Buffer.alloc(1024));
    expect(small.get(name(1))).toBeUndefined();
    expect(small.get(name(0))).toBeDefined();
  });

  it('drops exactly the least recently asked, in the order of their last ask, and stays within its budget', () => {
    const cache = smallBlobCacheOf({ order: true } as unknown as BlobStore);
    // 200 KiB blobs cost 201 KiB each: 163 of them fit in 32 MiB, a 164th does not.
    const size = 200 * 1024;
    const fit = 163;
    for (let index = 0; index < fit; index++) cache.keep(name(index), Buffer.alloc(size, index));
    // Asked for in the order 3, 0, 5: they move behind the never-asked ones, 5 last.
    for (const index of [3, 0, 5]) expect(cache.get(name(index))?.[0]).toBe(index);
    // Each newcomer makes room for one: the unasked 1, 2, 4, 6, ... go in insertion order.
    cache.keep(name(1000), Buffer.alloc(size));
    cache.keep(name(1001), Buffer.alloc(size));
    expect([1, 2].map((index) => cache.get(name(index)))).toEqual([undefined, undefined]);
    expect(cache.get(name(4))?.[0]).toBe(4);
    // 4 was just asked for: 6 goes before it.
    cache.keep(name(1002), Buffer.alloc(size));
    expect(cache.get(name(6))).toBeUndefined();
    expect(cache.get(name(4))).toBeDefined();
    // Keeping a kept blob again is no ask: 7 still goes next.
    cache.keep(name(7), Buffer.alloc(size));
    cache.keep(name(1003), Buffer.alloc(size));
    expect(cache.get(name(7))).toBeUndefined();
    // Eight more newcomers take the never-asked 8 to 15; 3, 0 and 5, asked for since, outlive them.
    for (let index = 2000; index < 2008; index++) cache.keep(name(index), Buffer.alloc(size));
    for (let index = 8; index < 16; index++) expect(cache.get(name(index))).toBeUndefined();
    for (const index of [3, 0, 5, 4, 16]) expect(cache.get(name(index))?.[0]).toBe(index);
    // Still as many kept as fit: evicting one per newcomer kept the budget.
    const asked = [...Array.from({ length: fit }, (_, index) => index), 1000, 1001, 1002, 1003, ...Array.from({ length: 8 }, (_, index) => 2000 + index)];
    expect(asked.filter((index) => cache.get(name(index)) !== undefined)).toHaveLength(fit);
  });
});
