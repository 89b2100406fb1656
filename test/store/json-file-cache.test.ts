/**
 * The shared cache of parsed index files, as a scan over a whole repository uses it
 * (`keep: false`): a file not already in memory is parsed for that caller alone, so a scan of
 * 10,000 indexes does not fill the cache with them.
 */
import { writeFileSync } from 'node:fs';
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
});
