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
import type { Store } from '../store/store.js';

export const LEASE_PREFIX = 'lease-';

/** Runs `work` (store blobs, then write the index) while holding a lease. */
export async function withBlobLease<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const dir = path.join(store.root, 'tmp');
  await fs.mkdir(dir, { recursive: true });
  const lease = path.join(dir, `${LEASE_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(lease, '', { flag: 'wx' });
  try {
    return await work();
  } finally {
    await fs.rm(lease, { force: true });
  }
}

/** Whether the process that wrote a tmp/ file (its pid is in the name) is still running. */
export function isOwnerAlive(fileName: string): boolean {
  const match = /-(\d+)-/.exec(fileName);
  if (!match) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
