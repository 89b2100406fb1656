/**
 * Package listings a server keeps while no index changes (the change marker's epoch, which moves
 * on every index write, this process's own included). Any change ends them all, so only the
 * listings of the current epoch are held, and at most MAX_KEPT_REFS references among them (about
 * 10 MB): a root of many large repositories cannot make the server hold a copy of every one.
 */
import type { PackageRef } from './index-store.js';

const MAX_KEPT_REFS = 100_000;

export class ListingMemo {
  private readonly listings = new Map<string, readonly PackageRef[]>();
  private epoch: number | undefined;
  private keptRefs = 0;

  /** The listing `id` names, if it was kept in `epoch` (undefined: a process that does not sample). */
  get(id: string, epoch: number | undefined): readonly PackageRef[] | undefined {
    return epoch !== undefined && epoch === this.epoch ? this.listings.get(id) : undefined;
  }

  /** Keeps a listing read wholly within `epoch`; one read across a change is not kept. */
  keep(id: string, epoch: number | undefined, refs: readonly PackageRef[], epochNow: number | undefined): void {
    if (epoch === undefined || epoch !== epochNow || refs.length > MAX_KEPT_REFS) return;
    if (epoch !== this.epoch) {
      this.listings.clear();
      this.keptRefs = 0;
      this.epoch = epoch;
    }
    const replaced = this.listings.get(id);
    if (replaced) {
      this.listings.delete(id);
      this.keptRefs -= replaced.length;
    }
    // Oldest first out until the new one fits.
    for (const [oldest, listing] of this.listings) {
      if (this.keptRefs + refs.length <= MAX_KEPT_REFS) break;
      this.listings.delete(oldest);
      this.keptRefs -= listing.length;
    }
    this.listings.set(id, refs);
    this.keptRefs += refs.length;
  }
}
