/**
 * Views that read many index files (a repository's packages and sizes) kept until any index
 * changes: the store's change epoch (change-marker.ts) advances on every change, by this
 * process or another, and is sampled at the start of every request.
 */
import type { Store } from '../../store/store.js';

const MAX_ENTRIES = 256;

export class ViewCache {
  private readonly entries = new Map<string, { epoch: number; value: Promise<unknown> }>();

  constructor(private readonly store: Store) {}

  get<T>(key: string, make: () => Promise<T>): Promise<T> {
    const epoch = this.store.changes.epoch;
    if (epoch === undefined) return make();
    const hit = this.entries.get(key);
    if (hit && hit.epoch === epoch) return hit.value as Promise<T>;
    const value = make();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { epoch, value });
    // A failed read is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
