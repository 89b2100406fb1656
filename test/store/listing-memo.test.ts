import { describe, expect, it } from 'vitest';
import type { PackageRef } from '../../src/store/index-store.js';
import { ListingMemo } from '../../src/store/listing-memo.js';

const listing = (length: number): PackageRef[] => Array.from({ length }, (_, i) => ({ format: 'npm', name: `p${i}` }));

describe('ListingMemo', () => {
  it('keeps a listing for its epoch only, and none in a process that does not sample', () => {
    const memo = new ListingMemo();
    const refs = listing(3);
    memo.keep('a', 1, refs, 1);
    expect(memo.get('a', 1)).toBe(refs);
    expect(memo.get('a', 2)).toBeUndefined();
    memo.keep('b', undefined, refs, undefined);
    expect(memo.get('b', undefined)).toBeUndefined();
  });

  it('does not keep a listing read across a change, and drops every listing of an older epoch', () => {
    const memo = new ListingMemo();
    memo.keep('a', 1, listing(2), 2);
    expect(memo.get('a', 1)).toBeUndefined();
    memo.keep('a', 1, listing(2), 1);
    memo.keep('b', 2, listing(2), 2);
    expect(memo.get('a', 2)).toBeUndefined();
    expect(memo.get('b', 2)).toHaveLength(2);
  });

  it('holds at most 100,000 references: the oldest listings go first, and a larger one is not kept', () => {
    const memo = new ListingMemo();
    memo.keep('first', 1, listing(40_000), 1);
    memo.keep('second', 1, listing(40_000), 1);
    memo.keep('third', 1, listing(40_000), 1);
    expect(memo.get('first', 1)).toBeUndefined();
    expect(memo.get('second', 1)).toHaveLength(40_000);
    expect(memo.get('third', 1)).toHaveLength(40_000);
    memo.keep('huge', 1, listing(100_001), 1);
    expect(memo.get('huge', 1)).toBeUndefined();
    expect(memo.get('third', 1)).toHaveLength(40_000);
  });
});
