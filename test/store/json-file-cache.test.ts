/**
 * The shared cache of parsed index files, as a scan over a whole repository uses it
 * (`keep: false`): a file not already in memory is parsed for that caller alone, so a scan of
 * 10,000 indexes does not fill the cache with them; and the small summaries such a scan keeps
 * (`readDerived`) while a file is unchanged.
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

describe('JsonFileCache', () => {
  it('keeps and freezes what it reads by default, and shares it between callers', async () => {
    const cache = new JsonFileCache();
    const file = indexFile();
    const first = await cache.read<{ name: string }>(file);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await cache.read(file)).toBe(first);
  });

  it('with keep: false parses a file not in memory for the caller alone, without keeping it', async () => {
    const cache = new JsonFileCache();
    const file = indexFile();
    const scanned = await cache.read<{ name: string }>(file, { keep: false });
    expect(scanned).toMatchObject({ name: 'left-pad' });
    expect(Object.isFrozen(scanned)).toBe(false);
    // Not kept: the next ordinary read parses the file again into a shared, frozen copy.
    const shared = await cache.read(file);
    expect(shared).not.toBe(scanned);
    expect(Object.isFrozen(shared)).toBe(true);
    // A copy already in memory is what a scan gets too: no second parse.
    expect(await cache.read(file, { keep: false })).toBe(shared);
  });

  it('keeps a derived value while the file is unchanged, derives again once it is replaced, per kind', async () => {
    const cache = new JsonFileCache();
    const file = indexFile();
    const derived: string[] = [];
    const seen: unknown[] = [];
    const nameOf = (kind: string) => (value: { name: string } | undefined) => {
      derived.push(kind);
      seen.push(value);
      return { name: value?.name };
    };
    const first = await cache.readDerived(file, 'row', nameOf('row'));
    expect(first).toEqual({ name: 'left-pad' });
    expect(await cache.readDerived(file, 'row', nameOf('row'))).toBe(first);
    await cache.readDerived(file, 'other', nameOf('other'));
    expect(derived).toEqual(['row', 'other']);
    // The record it was derived from is not kept: an ordinary read parses the file afresh.
    expect(Object.isFrozen(seen[0])).toBe(false);
    expect(await cache.read(file)).not.toBe(seen[0]);
    // Writers replace a file by rename: a new identity, so the value is derived again.
    writeFileSync(`${file}.new`, JSON.stringify({ name: 'right-pad', versions: {} }));
    renameSync(`${file}.new`, file);
    expect(await cache.readDerived(file, 'row', nameOf('row'))).toEqual({ name: 'right-pad' });
    expect(derived).toEqual(['row', 'other', 'row']);
    // A file that is gone derives from undefined and is not kept.
    const missing = path.join(path.dirname(file), 'missing.json');
    expect(await cache.readDerived(missing, 'row', nameOf('row'))).toEqual({ name: undefined });
    await cache.readDerived(missing, 'row', nameOf('row'));
    expect(derived).toHaveLength(5);
  });
});
