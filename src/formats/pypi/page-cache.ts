/**
 * Rendered project pages kept in memory. A page is built from package records and a cached
 * public-index document; the store and the metadata cache hand out the same frozen objects until
 * their files change, so an entry is valid exactly while every object it was built from is still
 * the one the resolution returns. Nothing needs invalidating: a publish makes a new record object.
 */
import type { RenderedBody } from '../../server/respond.js';

interface Entry {
  parts: readonly object[];
  bodies: Map<string, RenderedBody>;
}

// One entry per repository and project; the oldest goes first when the cache is full.
const MAX_ENTRIES = 2000;

export class PageCache {
  private readonly entries = new Map<string, Entry>();

  /** The body for this variant of the page, rendered only when the parts changed. */
  get(key: string, parts: readonly object[], variant: string, render: () => RenderedBody): RenderedBody {
    const cacheable = parts.every((part) => Object.isFrozen(part));
    let entry = this.entries.get(key);
    if (!entry || !sameParts(entry.parts, parts)) {
      entry = { parts, bodies: new Map() };
      if (cacheable) {
        this.entries.delete(key);
        if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
        this.entries.set(key, entry);
      }
    }
    let body = entry.bodies.get(variant);
    if (!body) {
      body = render();
      entry.bodies.set(variant, body);
    }
    return body;
  }
}

function sameParts(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
