/**
 * Holds back the moment a store's blob puts report their blobs durable, to watch what a cold
 * fetch does meanwhile: which package indexes it starts to write with their rename waiting for
 * something (updatePackage's renameAfter), and that none on disk names the blob before it is durable.
 */
import type { PackageKey } from '../../src/core/model.js';
import type { BlobStore } from '../../src/store/blob-store.js';
import type { IndexStore } from '../../src/store/index-store.js';
import type { Store } from '../../src/store/store.js';
import { fsError } from './failing-store.js';

export interface HeldBlobWrites {
  /** Resolves once a put has checked and written its bytes and is held from reporting them durable. */
  held: Promise<void>;
  /** The package index updates begun so far, and whether each one's rename waits for something. */
  updates: { key: PackageKey; renameAfter: boolean }[];
  /** Lets every held put, and any later one, report its blob durable. */
  release(): void;
  /** Makes every held put, and any later one, fail as a write that broke (a full disk) would. */
  fail(): void;
  /** Releases, and gives the store its own methods back. */
  restore(): void;
}

export function holdBlobWrites(store: Store): HeldBlobWrites {
  const blobs = store.blobs as { put: BlobStore['put'] };
  const index = store.index as { updatePackage: IndexStore['updatePackage'] };
  const put = blobs.put;
  const updatePackage = index.updatePackage;
  let release!: () => void;
  let fail!: (error: Error) => void;
  const released = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  released.catch(() => undefined);
  let reached!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  const updates: HeldBlobWrites['updates'] = [];
  blobs.put = async (...args) => {
    const digests = await put.apply(store.blobs, args);
    reached();
    await released;
    return digests;
  };
  index.updatePackage = (key, mutate, options) => {
    updates.push({ key: { ...key }, renameAfter: options?.renameAfter !== undefined });
    return updatePackage.call(store.index, key, mutate, options);
  };
  return {
    held,
    updates,
    release,
    fail: () => fail(fsError('ENOSPC', 'write')),
    restore() {
      release();
      blobs.put = put;
      index.updatePackage = updatePackage;
    },
  };
}
