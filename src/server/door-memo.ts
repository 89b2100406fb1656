/**
 * Who was let in, remembered until an index changes. A remembered answer (response-memo.ts)
 * still needs the door: the token valid for the domain and the permissions policies allowing
 * the action. Once a credential has passed for a repository and action, the same credential
 * passes again until the token expires or any index changes (a new or revoked token, a policy
 * put or deleted: all index writes). Refusals are never remembered; they always take the full
 * check, which explains itself.
 *
 * Credentials are remembered by the SHA-256 of the token, as the tokens file stores them, so a
 * lookup's timing says nothing about any token.
 */
import type { RepositoryAction } from '../core/policy-actions.js';

// Distinct (credential, repository, action) triples a server sees; beyond this, start afresh.
const MAX_PASSES = 10_000;

export class DoorMemo {
  private readonly passes = new Map<string, number>();
  private epoch: number | undefined;

  /**
   * When this credential's pass through the same door, in this epoch, ends (the token's expiry);
   * undefined when it has none or it has expired.
   */
  passUntil(domain: string, repository: string, action: RepositoryAction, credential: string, epoch: number | undefined, now: number): number | undefined {
    if (epoch === undefined) return undefined;
    if (epoch !== this.epoch) {
      this.passes.clear();
      this.epoch = epoch;
      return undefined;
    }
    const expiresAt = this.passes.get(keyOf(domain, repository, action, credential));
    return expiresAt !== undefined && now < expiresAt ? expiresAt : undefined;
  }

  /** Records a pass decided by the full check, made in `epoch` (the epoch the request began in). */
  remember(domain: string, repository: string, action: RepositoryAction, credential: string, epoch: number | undefined, expiresAt: number): void {
    if (epoch === undefined || (this.epoch !== undefined && epoch < this.epoch)) return;
    // Epochs only grow: a newer one means everything remembered so far is void.
    if (epoch !== this.epoch || this.passes.size >= MAX_PASSES) this.passes.clear();
    this.epoch = epoch;
    this.passes.set(keyOf(domain, repository, action, credential), expiresAt);
  }
}

function keyOf(domain: string, repository: string, action: RepositoryAction, credential: string): string {
  return `${domain}\n${repository}\n${action}\n${credential}`;
}
