/**
 * How many request-body bytes the server holds in memory at once, across requests. Bodies that
 * are parsed whole (an npm publish, a POM) are read into memory; without a shared bound, a few
 * clients sending bodies just under the limit at once would multiply the server's memory.
 *
 * A body with a declared length reserves it all before its first byte is kept, and waits its
 * turn (first come, first served) while the budget is taken; a reservation is granted whole, so
 * two waiting bodies can never hold each other up. A body sent without a length (chunked) takes
 * the budget as it arrives and is refused with 413 if the budget runs out under it. One body
 * alone is always let through whole, up to its route's own limit.
 */
export const BODY_MEMORY_BUDGET = 256 * 1024 * 1024;

interface Waiter {
  bytes: number;
  grant(): void;
}

export class BodyBudget {
  private held = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly capacity: number = BODY_MEMORY_BUDGET) {}

  get inUse(): number {
    return this.held;
  }

  /** Resolves once `bytes` are reserved; the caller releases them when its body is dropped. */
  reserve(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.held += bytes;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ bytes, grant }));
  }

  /** Takes `bytes` now if they fit, for bodies of unknown length; false when they do not. */
  tryTake(bytes: number): boolean {
    if (!this.fits(bytes)) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
    while (this.waiting.length > 0 && this.fits(this.waiting[0].bytes)) {
      const next = this.waiting.shift()!;
      this.held += next.bytes;
      next.grant();
    }
  }

  // Alone, any body fits: the route's own limit bounds it.
  private fits(bytes: number): boolean {
    return this.held === 0 || this.held + bytes <= this.capacity;
  }
}

/** The one budget of this process. */
export const bodyBudget = new BodyBudget();
