/**
 * The cache of parsed index files, and the small summaries a scan over a whole repository keeps
 * (`readDerived`): kept while a file is unchanged, made again once it is replaced, and made
 * without keeping the parsed file, so a scan of 10,000 indexes does not fill the cache with them.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileCache } from '../../src/store/json-file-cache.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function indexFile(): string {
  const file = path.join(makeTempDir('artifact-cli-json-cache-'), 'index.json');
  writeFileSync(file, JSON.stringify({ name: 'left-pad', versions: { '1.0.0': { version: '1.0.0' } } }));
  return file;
}

/** A derivation that records what it was given. */
function recorder() {
  const given: unknown[] = [];
  const derive = (value: { name: string } | undefined) => {
    given.push(value);
    return { name: value?.name };
  };
  return { given, derive };
}

describe('JsonFileCache', () => {
  it('keeps and freezes what it reads, and shares it between callers', async () => {
    const cache = new JsonFileCache();
    const file = indexFile();
    const first = await cache.read<{ name: string }>(file);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await cache.read(file)).toBe(first);
  });

  it('keeps a derived value while the file is unchanged, and derives again once it is replaced', () => {
    const cache = new JsonFileCache();
    const file = indexFile();
    const row = recorder();
    const first = cache.readDerived(file, 'row', row.derive);
    expect(first).toEqual({ name: 'left-pad' });
    expect(cache.readDerived(file, 'row', row.derive)).toBe(first);
    expect(row.given).toHaveLength(1);
    // Writers replace a file by rename: a new identity, so the value is derived again.
    writeFileSync(`${file}.new`, JSON.stringify({ name: 'right-pad', versions: {} }));
    renameSync(`${file}.new`, file);
    expect(cache.readDerived(file, 'row', row.derive)).toEqual({ name: 'right-pad' });
    expect(row.given).toHaveLength(2);
    // Another kind of derivation never gets this one's value.
    const other = recorder();
    cache.readDerived(file, 'other', other.derive);
    expect(other.given).toHaveLength(1);
  });

  it('derives from a parse of its own, not kept, unless the file is already in memory', async () => {
    const cache = new JsonFileCache();
    const file = indexFile();
    const row = recorder();
    cache.readDerived(file, 'row', row.derive);
    expect(Object.isFrozen(row.given[0])).toBe(false);
    // Not kept: an ordinary read parses the file afresh.
    const shared = await cache.read(file);
    expect(shared).not.toBe(row.given[0]);
    // A parse already in memory is used, not repeated.
    const other = recorder();
    cache.readDerived(file, 'other', other.derive);
    expect(other.given[0]).toBe(shared);
  });

  it('derives from nothing for a missing file, and keeps nothing for it', () => {
    const cache = new JsonFileCache();
    const missing = path.join(makeTempDir('artifact-cli-json-cache-'), 'missing.json');
    const row = recorder();
    expect(cache.readDerived(missing, 'row', row.derive)).toEqual({ name: undefined });
    cache.readDerived(missing, 'row', row.derive);
    expect(row.given).toEqual([undefined, undefined]);
  });
});
