/**
 * Leases tell `gc` that a publish is between writing its blobs and writing the index that
 * references them. A publish that takes a lease is safe from `gc` even with a grace period of
 * zero; one that does not is protected by the grace period alone (see gc.ts for the argument).
 *
 * A lease is an empty file tmp/lease-<pid>-<random>. Its mtime is when the publish began, on the
 * same file-system clock as blob mtimes, so gc keeps every blob modified at or after the oldest
 * live lease. The pid lets gc ignore the lease of a process that died without removing it.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../store/process-alive.js';
import type { Store } from '../store/store.js';
import { takePooledFile } from '../store/temp-file-pool.js';

export const LEASE_PREFIX = 'lease-';

/** Runs `work` (store blobs, then write the index) while holding a lease. */
export async function withBlobLease<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const lease = await takeLease(store);
  try {
    return await work();
  } finally {
    await fs.rm(lease, { force: true });
  }
}

async function takeLease(store: Store): Promise<string> {
  const dir = path.join(store.root, 'tmp');
  const lease = path.join(dir, `${LEASE_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  // A running server's ready empty file becomes the lease by a rename, a fraction of a new
  // file's cost (temp-file-pool.ts); made earlier, its mtime only makes gc keep more.
  const pooled = takePooledFile(dir);
  if (pooled) {
    try {
      await fs.rename(pooled, lease);
      return lease;
    } catch {
      await fs.rm(pooled, { force: true });
    }
  }
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(lease, '', { flag: 'wx' });
  return lease;
}

interface SharedLease {
  holders: number;
  file: Promise<string>;
}

const sharedLeases = new WeakMap<Store, SharedLease>();

/**
 * The same protection for the many short downloads of a busy server: holders whose work
 * overlaps share one lease, taken by the first and removed, without waiting, when the last
 * leaves. A blob stored under it is newer than the lease whoever took it, which is all gc
 * asks. A cold install retains a package every few milliseconds, and three file operations
 * each would cost it more than the downloads' own writes.
 */
export async function withSharedBlobLease<T>(store: Store, work: () => Promise<T>): Promise<T> {
  let lease = sharedLeases.get(store);
  if (!lease) {
    lease = { holders: 0, file: takeLease(store) };
    sharedLeases.set(store, lease);
  }
  const held = lease;
  held.holders += 1;
  try {
    await held.file;
    return await work();
  } finally {
    held.holders -= 1;
    if (held.holders === 0) {
      if (sharedLeases.get(store) === held) sharedLeases.delete(store);
      const file = await held.file.catch(() => undefined);
      if (file) await fs.rm(file, { force: true });
    }
  }
}

/** Whether the process that wrote a tmp/ file (its pid is in the name) is still running. */
export function isOwnerAlive(fileName: string): boolean {
  const match = /-(\d+)-/.exec(fileName);
  if (!match) return false;
  return isProcessAlive(Number(match[1]));
}
