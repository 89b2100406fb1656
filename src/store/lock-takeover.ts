/**
 * Taking over a lock (lock.ts) whose holder is gone. A lock whose holder has died (this host and
 * pid namespace, pid gone) is taken over at once; one whose holder lives elsewhere, once its
 * heartbeat has been silent STALE_MS; one whose holder is alive here, only after
 * LIVE_HOLDER_STALE_MS.
 */
import { closeSync, fstatSync, openSync, readFileSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { isProcessAlive, processPlace } from './process-alive.js';

// A lock whose heartbeat stopped this long ago is taken over, when its holder's liveness cannot
// be checked (another host or pid namespace)...
const STALE_MS = 10_000;
// ... and when its holder's pid is alive on this host: a live process whose heartbeat stopped is
// starved or hung, or its pid was reused after a crash. A starved holder still thinks it holds
// the lock, so taking it over loses that holder's update; only a long silence justifies it.
const LIVE_HOLDER_STALE_MS = 60_000;

/**
 * Removes the lock when its holder is gone; true when the caller should try again at once.
 *
 * Synchronous from the first look to the removal, for the lock judged must be the lock
 * removed. An asynchronous look on a busy thread pool can come back long after it was taken:
 * it may have read a lock whose holder has since released it and exited, and by then another
 * process holds the lock anew; judging the owner dead and removing the lock then lets two
 * writers in at once (the lost versions of a hardening run).
 *
 * Breakers also take turns (the file `<lock>.breaking`, made exclusively), so between one
 * breaker's second look and its removal nobody else can change the lock: a dead holder cannot
 * release it, no locker can link while it exists, and no other breaker removes it first.
 */
export function takeOverIfStale(lockFile: string, isHeldHere: (lockFile: string) => boolean): boolean {
  const judged = lookAtLock(lockFile);
  if (!judged) return true;
  if (!isStale(lockFile, judged, isHeldHere)) return false;
  const breaker = `${lockFile}.breaking`;
  if (!takeBreaker(breaker)) return false;
  try {
    const now = statSync(lockFile, { throwIfNoEntry: false });
    if (!now) return true;
    // Taken anew since the first look (a link changes the ctime): judge it again next time.
    if (now.ino !== judged.stat.ino || now.ctimeMs !== judged.stat.ctimeMs || now.mtimeMs !== judged.stat.mtimeMs) return false;
    tryUnlinkSync(lockFile);
    return true;
  } finally {
    tryUnlinkSync(breaker);
  }
}

/** The lock's inode and times with the content read through the same descriptor, or undefined when there is none. */
function lookAtLock(lockFile: string): { stat: Stats; text: string } | undefined {
  let fd: number;
  try {
    fd = openSync(lockFile, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return { stat: fstatSync(fd), text: readFileSync(fd, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/**
 * The right to break `lockFile`'s lock, for the few system calls it takes. A breaker file
 * left by a process killed in that instant is removed once it is STALE_MS old.
 */
function takeBreaker(breaker: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(breaker, 'wx'));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = statSync(breaker, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs <= STALE_MS) return false;
    tryUnlinkSync(breaker);
  }
  return false;
}

function isStale(lockFile: string, { stat, text }: { stat: Stats; text: string }, isHeldHere: (lockFile: string) => boolean): boolean {
  const silentMs = Date.now() - stat.mtimeMs;
  if (silentMs > LIVE_HOLDER_STALE_MS) return true;
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(text) as typeof owner;
  } catch {
    // Being written this very moment (an exclusive create): judge it again next time, unless it
    // has been unreadable for long (a crash in the middle of an exclusive create).
    return silentMs > STALE_MS;
  }
  if (owner.host !== processPlace() || typeof owner.pid !== 'number') return silentMs > STALE_MS;
  // Our own pid on a lock we do not hold: left behind by a release that failed.
  if (owner.pid === process.pid) return !isHeldHere(lockFile);
  return !isProcessAlive(owner.pid);
}

export function tryUnlinkSync(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}
