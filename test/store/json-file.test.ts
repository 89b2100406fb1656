/**
 * The atomic write, checked deterministically: the write is paused at the moment it replaces
 * the target, and at that moment the target must still hold the previous complete file while
 * the new text is complete elsewhere. (crash-safety.test.ts also kills a writer at random.)
 */
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readJsonFile, writeCacheFileAtomic, writeJsonFileAtomic } from '../../src/store/json-file.js';
import { makeTempDir } from '../helpers/temp-dir.js';

afterEach(() => vi.restoreAllMocks());

/** Runs `write` with every rename paused to look at the target first; returns what was seen. */
async function watchReplacement(target: string, write: () => Promise<void>) {
  const seen: { targetBefore: string; replacement: string }[] = [];
  const rename = fs.rename.bind(fs);
  vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
    if (path.resolve(String(to)) === path.resolve(target)) {
      seen.push({ targetBefore: readFileSync(target, 'utf8'), replacement: readFileSync(String(from), 'utf8') });
    }
    return rename(from, to);
  });
  await write();
  vi.restoreAllMocks();
  return seen;
}

const big = (generation: number) => ({ generation, items: Array.from({ length: 5000 }, (_, index) => `${generation}.${index}`) });

describe.each([
  ['writeJsonFileAtomic', (file: string, value: unknown) => writeJsonFileAtomic(file, value)],
  ['writeCacheFileAtomic', (file: string, value: unknown) => writeCacheFileAtomic(file, value)],
])('%s', (_name, write) => {
  it('leaves the previous file whole until one rename puts the complete new one in its place', async () => {
    const dir = makeTempDir('json-file-');
    const file = path.join(dir, 'index', 'package.json');
    await write(file, big(1));
    const seen = await watchReplacement(file, () => write(file, big(2)));
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0].targetBefore)).toEqual(big(1));
    expect(JSON.parse(seen[0].replacement)).toEqual(big(2));
    expect(await readJsonFile(file)).toEqual(big(2));
    // No temp file is left beside the target.
    expect(readdirSync(path.dirname(file))).toEqual(['package.json']);
  });
});

describe('writeJsonFileAtomic', () => {
  it('gives the file the mode asked for', async () => {
    const file = path.join(makeTempDir('json-file-mode-'), 'tokens.json');
    await writeJsonFileAtomic(file, { tokens: [] }, 0o600);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
