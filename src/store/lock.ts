/** Cross-process locks around read-modify-write of one index file. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConflictError } from '../errors.js';

// A lock left by a killed process goes stale after this long and is then taken over.
const STALE_MS = 10_000;

/** Runs `work` while holding the lock of `file`; other processes wait (up to ~60 s). */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Loaded on first use: commands that only read never pay for it at start-up.
  const { default: lockfile } = await import('proper-lockfile');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      retries: { retries: 1000, minTimeout: 2, maxTimeout: 60, factor: 1.3, randomize: true },
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
