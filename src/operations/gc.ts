/**
 * gc: removes blobs that no index under the root references, and stale files in tmp/.
 *
 * Why this never removes a blob that a publish in another process is about to reference:
 * a publish stores its blob first and writes the index after. So gc
 *  1. notes its start time as the mtime of a marker file it writes (the same clock as blob mtimes),
 *  2. takes the blob snapshot: blobs stored later are not candidates at all,
 *  3. reads the live leases (blob-lease.ts), and only then
 *  4. reads every index.
 * A candidate blob stored before step 2 whose index was not yet written at step 4 belongs to a
 * publish that was still running at step 3; if that publish holds a lease, the blob's mtime is
 * at or after the lease's, and the blob is kept. Publishes without a lease are covered by the
 * grace period: a blob modified less than --grace-seconds before gc started is kept.
 * Storing a blob that already exists refreshes its mtime (fs-blob-store.ts), so an old orphan
 * that a publish reuses counts as new. The last race, a refresh landing while gc removes that
 * blob, is closed by moving the blob aside first and checking its mtime again: a refresh before
 * the move shows there and the blob is put back; one after it finds no blob and stores it anew.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import { readJsonFile } from '../store/json-file.js';
import type { Store } from '../store/store.js';
import { isOwnerAlive, LEASE_PREFIX } from './blob-lease.js';
import { listJsonFiles } from './index-files.js';

const DEFAULT_GRACE_SECONDS = 3600;
const HEX64 = /^[0-9a-f]{64}$/;

export interface GcOptions {
  dryRun?: boolean;
  graceSeconds?: number;
  onProgress?: (text: string) => void;
}

export interface GcReport {
  dryRun: boolean;
  blobsRemoved: number;
  bytesFreed: number;
  blobsKept: number;
  tempFilesRemoved: number;
  /** With --dry-run: what a real run would remove. */
  blobsToRemove?: { sha256: string; size: number }[];
  tempFilesToRemove?: string[];
}

export async function collectGarbage(store: Store, options: GcOptions = {}): Promise<GcReport> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0) {
    throw new ValidationError(`--grace-seconds must be a whole number of seconds, 0 or more; got ${options.graceSeconds}.`);
  }
  const progress = options.onProgress ?? (() => undefined);
  const tmpDir = path.join(store.root, 'tmp');
  await fs.mkdir(tmpDir, { recursive: true });
  const marker = path.join(tmpDir, `gc-${process.pid}-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(marker, '', { flag: 'wx' });
  try {
    const startedMs = (await fs.stat(marker)).mtimeMs;
    progress('gc: listing blobs');
    const snapshot: string[] = [];
    for await (const sha256 of store.blobs.list()) snapshot.push(sha256);
    const leaseFloor = await oldestLiveLease(tmpDir);
    progress('gc: reading indexes');
    const referenced = await collectReferences(store.root);

    const report: GcReport = { dryRun: Boolean(options.dryRun), blobsRemoved: 0, bytesFreed: 0, blobsKept: 0, tempFilesRemoved: 0 };
    if (report.dryRun) report.blobsToRemove = [];
    // A blob modified at or after this moment may belong to a publish in flight.
    const keepFromMs = Math.min(startedMs - graceSeconds * 1000, leaseFloor);
    let checked = 0;
    for (const sha256 of snapshot) {
      if (++checked % 500 === 0) progress(`gc: checked ${checked}/${snapshot.length} blobs`);
      const freed = referenced.has(sha256) ? undefined : await removeIfUnused(store.blobs.pathOf(sha256), tmpDir, keepFromMs, report.dryRun);
      if (freed === undefined) {
        report.blobsKept++;
        continue;
      }
      report.blobsRemoved++;
      report.bytesFreed += freed;
      report.blobsToRemove?.push({ sha256, size: freed });
    }
    const staleTemp = await removeStaleTempFiles(tmpDir, startedMs - graceSeconds * 1000, report.dryRun);
    report.tempFilesRemoved = staleTemp.length;
    if (report.dryRun) report.tempFilesToRemove = staleTemp;
    return report;
  } finally {
    await fs.rm(marker, { force: true });
  }
}

/** Every SHA-256 that appears anywhere in any JSON file under the root (but blobs/ and tmp/). */
async function collectReferences(root: string): Promise<Set<string>> {
  const referenced = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length === 64 && HEX64.test(value)) referenced.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        visit(key);
        visit(child);
      }
    }
  };
  // Looking past the known index shapes keeps blobs that any other record may name. A file that
  // does not parse stops gc (CorruptIndexError): its references are unknown, so nothing is safe.
  for await (const file of listJsonFiles(root, ['blobs', 'tmp'])) visit(await readJsonFile(file));
  return referenced;
}

async function oldestLiveLease(tmpDir: string): Promise<number> {
  let oldest = Number.POSITIVE_INFINITY;
  for (const name of await fs.readdir(tmpDir)) {
    if (!name.startsWith(LEASE_PREFIX) || !isOwnerAlive(name)) continue;
    const stat = await fs.stat(path.join(tmpDir, name)).catch(() => undefined);
    if (stat) oldest = Math.min(oldest, stat.mtimeMs);
  }
  return oldest;
}

/** Removes an unreferenced blob unless it is recent; returns the bytes freed, or undefined if kept. */
async function removeIfUnused(file: string, tmpDir: string, keepFromMs: number, dryRun: boolean): Promise<number | undefined> {
  const before = await fs.stat(file).catch(() => undefined);
  if (!before || before.mtimeMs >= keepFromMs) return undefined;
  if (dryRun) return before.size;
  const aside = path.join(tmpDir, `gc-${process.pid}-${path.basename(file)}`);
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const moved = await fs.stat(aside);
  if (moved.mtimeMs >= keepFromMs) {
    await fs.rename(aside, file);
    return undefined;
  }
  await fs.rm(aside, { force: true });
  return moved.size;
}

/** Files in tmp/ older than the cutoff whose writer is gone; returns their names. */
async function removeStaleTempFiles(tmpDir: string, cutoffMs: number, dryRun: boolean): Promise<string[]> {
  const removed: string[] = [];
  for (const name of (await fs.readdir(tmpDir)).sort()) {
    if (isOwnerAlive(name)) continue;
    const file = path.join(tmpDir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat || stat.mtimeMs >= cutoffMs) continue;
    if (!dryRun) await fs.rm(file, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
