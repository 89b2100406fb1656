/** Cross-process locks around read-modify-write of one index file. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConflictError } from '../errors.js';

// A lock left by a killed process goes stale after this long and is then taken over.
const STALE_MS = 10_000;

/**
 * Within one process, lockers of the same file queue here instead of polling the lock
 * directory with backoff: each waits for the one before it to have released. The value is the
 * moment the last one queued will have released.
 */
const queues = new Map<string, Promise<void>>();
let deferReleases = false;

/**
 * For long-running processes (the server): loads the lock library now, so the first write does
 * not wait for it, and lets answers go out before the lock directory is removed (a trip to the
 * thread pool; this process's next locker of the file still waits for it). A one-shot command
 * awaits its releases, since it may exit right after, and a lock left behind would hold up the
 * next command until it went stale.
 */
export async function preloadLocking(): Promise<void> {
  await import('proper-lockfile');
  deferReleases = true;
}

/** Waits until every lock this process took is released (a stopping server). */
export async function settleLockReleases(): Promise<void> {
  await Promise.all(queues.values());
}

/** Runs `work` while holding the lock of `file`; other processes wait (up to ~60 s). */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(file);
  let released!: () => void;
  const mine = new Promise<void>((resolve) => (released = resolve));
  const last = before ? before.then(() => mine) : mine;
  queues.set(file, last);
  const leave = (): void => {
    released();
    if (queues.get(file) === last) queues.delete(file);
  };
  await before;
  let release: () => Promise<void>;
  try {
    // Synchronous: nearly always the directory exists, and the check is one quick system call.
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    leave();
    throw error;
  }
  try {
    // Loaded on first use: commands that only read never pay for it at start-up.
    const { default: lockfile } = await import('proper-lockfile');
    release = await lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      // Backoff from 2 ms to 60 ms, repeated for up to a minute. A short schedule repeated
      // ("forever" within maxRetryTime) instead of a thousand precomputed steps: the retry
      // library builds and copies the whole schedule for every lock taken.
      retries: { retries: 30, forever: true, maxRetryTime: 60_000, minTimeout: 2, maxTimeout: 60, factor: 1.3, randomize: true },
    });
  } catch (error) {
    leave();
    throw new ConflictError(`Could not lock ${file}: another process holds it.`, {
      cause: error,
      hint: 'Try again; if no other artifact-cli process is running, the lock clears itself within seconds.',
    });
  }
  try {
    return await work();
  } finally {
    const releasing = release()
      .catch(() => undefined)
      .then(leave);
    if (!deferReleases) await releasing;
  }
}
