/**
 * A blob put told in two steps, for callers that write an index naming the blob: once the bytes
 * are checked they may write and flush the index while the blob is flushed, and rename it in
 * place once the blob is durable (updatePackage's renameAfter): one flush's wait on the path
 * instead of two in a row, and an index never names a blob that is not on disk.
 */
import type { BlobDigests, PutHooks } from './blob-store.js';

export interface CheckedBlob {
  digests: BlobDigests;
  /** The bytes themselves when they were small enough to be held in memory. */
  bytes?: Buffer;
}

export interface TwoStepPut {
  /**
   * The digests once the bytes matched what was expected, before they are durable. A put that
   * joined another's (and so is not told early) has them once the blob is durable.
   * Rejects as `durable` does when the bytes are refused.
   */
  checked: Promise<CheckedBlob>;
  /** The digests once the blob is durable and in place; rejects when the bytes or the write fail. */
  durable: Promise<BlobDigests>;
}

/**
 * `put` starts the put with the hooks given (BlobStore.put, or a download into the store).
 * The caller must await `durable` before serving the blob or letting its lease go.
 */
export function putInTwoSteps(put: (hooks: PutHooks) => Promise<BlobDigests>): TwoStepPut {
  let tell!: (value: CheckedBlob) => void;
  const told = new Promise<CheckedBlob>((resolve) => (tell = resolve));
  const durable = put({ verified: (digests, bytes) => tell({ digests, bytes }) });
  const checked = Promise.race([told, durable.then((digests) => ({ digests }))]);
  // Each is awaited by the caller; one awaited alone must not leave the other's failure unhandled.
  durable.catch(() => undefined);
  checked.catch(() => undefined);
  return { checked, durable };
}
