/**
 * The merged view and /info body of each gem, kept in memory so /versions (which needs the md5 of
 * every gem's /info) does not rebuild them all on each request. The store and the metadata cache
 * hand out the same frozen objects until their files change, so an entry is valid exactly while
 * every object it was built from is still the one resolution returns; a push makes new objects.
 */
import { renderInfo, type CompactFile } from './compact-index.js';
import type { GemSources } from './gem-sources.js';
import { buildGemView, type GemEntry } from './gem-view.js';

interface Entry {
  parts: readonly object[];
  entries: GemEntry[];
  info: CompactFile;
}

// One entry per repository and gem; the oldest goes first when the cache is full.
const MAX_ENTRIES = 5000;
const cache = new Map<string, Entry>();
// Counts the entries added, so a rendering that used cachedInfoMd5 knows when it may be out of date.
let generation = 0;

/** The md5 of the /info body last built for this gem, if it is still in memory. */
export function cachedInfoMd5(cacheKey: string): string | undefined {
  return cache.get(cacheKey)?.info.md5;
}

export function infoCacheGeneration(): number {
  return generation;
}

export function gemInfo(cacheKey: string, loaded: GemSources): { entries: GemEntry[]; info: CompactFile } {
  const parts: object[] = loaded.sources.map((source) => source.record);
  if (loaded.external) parts.push(loaded.external.document);
  const cached = cache.get(cacheKey);
  if (cached && cached.parts.length === parts.length && cached.parts.every((part, index) => part === parts[index])) return cached;
  const entries = buildGemView(loaded.sources, loaded.external?.gems);
  const entry: Entry = { parts, entries, info: renderInfo(entries) };
  if (parts.every((part) => Object.isFrozen(part))) {
    cache.delete(cacheKey);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, entry);
    generation += 1;
  }
  return entry;
}
