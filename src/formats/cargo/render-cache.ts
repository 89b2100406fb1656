/**
 * Rendered index files kept in memory. A file is built from package records and a cached
 * upstream document; the store and the metadata cache hand out the same frozen objects until
 * their files change, so an entry is valid exactly while every part it was built from is still
 * the one a read returns. A publish or yank makes a new record, and with it a new rendering.
 */
import type { RenderedBody } from '../../server/respond.js';

interface Entry {
  parts: readonly object[];
  body: RenderedBody;
}

// One entry per repository and crate; the oldest goes first when the cache is full.
const MAX_ENTRIES = 2000;

export class RenderCache {
  private readonly entries = new Map<string, Entry>();
  /** How many times render() ran; the bench and the tests read it. */
  renders = 0;

  get(key: string, parts: readonly object[], render: () => RenderedBody): RenderedBody {
    const entry = this.entries.get(key);
    if (entry && entry.parts.length === parts.length && entry.parts.every((part, index) => part === parts[index])) return entry.body;
    this.renders += 1;
    const body = render();
    // Unfrozen parts may be new objects on every read; keeping them would only fill memory.
    if (parts.every((part) => Object.isFrozen(part))) {
      this.entries.delete(key);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { parts: [...parts], body });
    }
    return body;
  }
}
