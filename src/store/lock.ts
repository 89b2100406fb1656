/** Cross-process locks around read-modify-write of one index file. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConflictError } from '../errors.js';

// A lock left by a killed process goes stale after this long and is then taken over.
const STALE_MS = 10_000;

/** For long-running processes: loads the lock library now, so the first write does not wait for it. */
export async function preloadLocking(): Promise<void> {
  await import('proper-lockfile');
}

/** Runs `work` while holding the lock of `file`; other processes wait (up to ~60 s). */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  // Synchronous: nearly always the directory exists, and the check is one quick system call.
  mkdirSync(path.dirname(file), { recursive: true });
  // Loaded on first use: commands that only read never pay for it at start-up.
  const { default: lockfile } = await import('proper-lockfile');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      // Backoff from 2 ms to 60 ms, repeated for up to a minute. A short schedule repeated
      // ("forever" within maxRetryTime) instead of a thousand precomputed steps: the retry
      // library builds and copies the whole schedule for every lock taken.
      retries: { retries: 30, forever: true, maxRetryTime: 60_000, minTimeout: 2, maxTimeout: 60, factor: 1.3, randomize: true },
    });
  } catch (error) {
    throw new ConflictError(`Could not lock ${file}: another process holds it.`, {
      cause: error,
      hint: 'Try again; if no other artifact-cli process is running, the lock clears itself within seconds.',
    });
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
