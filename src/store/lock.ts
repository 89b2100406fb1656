/**
 * Cross-process locks around read-modify-write of one index file.
 *
 * The lock of `x.json` is the file `x.json.lock`, made as a hard link to a holder file that
 * this process creates once per holder directory (the store's tmp/). Creating a file costs
 * the file system a new inode, which on small VMs runs to a millisecond of kernel time; a link
 * to an existing inode costs a few microseconds, and a cold install takes one lock per package.
 * Where hard links are not supported the lock file is created exclusively instead.
 *
 * The lock file's content names its holder (pid, host and pid namespace) and its mtime is the
 * holder's heartbeat: while this process holds any lock it touches its holders every few
 * seconds. When a lock's holder is gone, the lock is taken over (lock-takeover.ts).
 */
import { closeSync, mkdirSync, openSync, promises as fs, writeSync } from 'node:fs';
import path from 'node:path';
import { ConflictError, storeFailureOf } from '../errors.js';
import { randomHex } from '../core/node-crypto.js';
import { takeOverIfStale, tryUnlinkSync } from './lock-takeover.js';
import { processPlace } from './process-alive.js';

const HEARTBEAT_MS = 2_000;
// Waits between attempts on a lock another process holds: from 2 ms up to 60 ms, for a minute.
const FIRST_WAIT_MS = 2;
const LONGEST_WAIT_MS = 60;
const GIVE_UP_MS = 60_000;
// Errors that mean the file system has no hard links (FAT, some network shares).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

export interface LockOptions {
  /** Where this process keeps its holder file: the store's tmp/, on the same file system. */
  holderDir?: string;
}

/**
 * Within one process, lockers of the same file queue here instead of polling the lock file
 * with backoff: each waits for the one before it to have released. The value is the moment the
 * last one queued will have released.
 */
const queues = new Map<string, Promise<void>>();
let deferReleases = false;

/**
 * For long-running processes (the server): lets answers go out before the lock file is
 * removed (a trip to the thread pool; this process's next locker of the file still waits for
 * it). A one-shot command awaits its releases, since it may exit right after, and a lock left
 * behind would hold up the next command.
 */
export function deferLockReleases(): void {
  deferReleases = true;
}

/** Waits until every lock this process took is released (a stopping server). */
export async function settleLockReleases(): Promise<void> {
  await Promise.all(queues.values());
}

/** Runs `work` while holding the lock of `file`; other processes wait (up to a minute). */
export async function withFileLock<T>(file: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
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
  const lockFile = `${file}.lock`;
  try {
    // Synchronous: nearly always the directory exists, and the check is one quick system call.
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    leave();
    throw error;
  }
  try {
    await acquire(lockFile, options.holderDir ?? path.dirname(file));
  } catch (error) {
    leave();
    if (error instanceof ConflictError) throw error;
    // A lock file that cannot be made on a full or read-only store is the store's failure, not a conflict.
    const storeFailure = storeFailureOf(error);
    if (storeFailure) throw storeFailure;
    // The file's name only: the message may reach an HTTP client, which has no business with server paths.
    throw new ConflictError(`Could not lock ${path.basename(file)}: ${(error as NodeJS.ErrnoException).code ?? 'failed'}.`, { cause: error });
  }
  try {
    return await work();
  } finally {
    const releasing = release(lockFile).then(leave);
    if (!deferReleases) await releasing;
  }
}

/** This process's holder file in one directory; every lock it takes there links to it. */
interface Holder {
  file: string;
  /** When the last refresh of the file's mtime began. */
  touchedAt: number;
  /** The refresh under way: lockers wait for it rather than vouch with the old mtime. */
  touching?: Promise<void>;
}

const holders = new Map<string, Promise<Holder>>();
/** Locks held now, by lock file; `ownInode` when the lock is its own file (no hard links). */
const held = new Map<string, { ownInode: boolean }>();
let linksUnsupported = false;
let heartbeat: NodeJS.Timeout | undefined;

function holderContent(): string {
  return `${JSON.stringify({ pid: process.pid, host: processPlace() })}\n`;
}

function holderIn(dir: string): Promise<Holder> {
  let holder = holders.get(dir);
  if (!holder) {
    holder = createHolder(dir);
    holders.set(dir, holder);
    // A failed attempt is not remembered: the next lock tries again.
    holder.catch(() => holders.delete(dir));
  }
  return holder;
}

async function createHolder(dir: string): Promise<Holder> {
  // The pid between dashes is what gc and the server's shutdown look for in tmp/ names.
  const file = path.join(dir, `lock-holder-${process.pid}-${randomHex(6)}`);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(file, holderContent(), { flag: 'wx' });
  if (!exitCleanupInstalled) process.once('exit', removeOnExit);
  exitCleanupInstalled = true;
  holderFiles.add(file);
  return { file, touchedAt: Date.now() };
}

/** Holder files made by this process, removed when it exits. */
const holderFiles = new Set<string>();
let exitCleanupInstalled = false;

function removeOnExit(): void {
  for (const lockFile of held.keys()) tryUnlinkSync(lockFile);
  for (const file of holderFiles) tryUnlinkSync(file);
}

async function acquire(lockFile: string, holderDir: string): Promise<void> {
  const started = Date.now();
  let wait = FIRST_WAIT_MS;
  for (;;) {
    if (await tryTake(lockFile, holderDir)) return;
    if (takeOverIfStale(lockFile, isHeldHere)) continue;
    if (Date.now() - started > GIVE_UP_MS) {
      throw new ConflictError(`Could not lock ${path.basename(lockFile.slice(0, -'.lock'.length))}: another process holds it.`, {
        hint: 'Try again; if no other artifact-cli process is running, the lock clears itself within seconds.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
    wait = Math.min(LONGEST_WAIT_MS, wait * 1.5);
  }
}

/** One attempt: true when the lock is now ours, false when someone else holds it. */
async function tryTake(lockFile: string, holderDir: string, holderRemade = false): Promise<boolean> {
  if (!linksUnsupported) {
    const holder = await holderIn(holderDir);
    // A holder idle for a while carries an old mtime; it must look alive before it vouches for
    // a lock. Concurrent lockers (a server taking many locks at once after a quiet spell) all
    // wait for the one refresh: one that linked while another's refresh was still on its way
    // would show other processes a lock that looks abandoned, and they would take it over.
    if (holder.touching || Date.now() - holder.touchedAt > HEARTBEAT_MS) await touch(holder);
    try {
      await fs.link(holder.file, lockFile);
      markHeld(lockFile, false);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (code === 'ENOENT' && !holderRemade) {
        // Our holder file was removed (a shutdown's clean-up, or gc): make a new one.
        holders.delete(holderDir);
        holderFiles.delete(holder.file);
        return tryTake(lockFile, holderDir, true);
      }
      if (!NO_HARD_LINKS.has(code)) throw error;
      linksUnsupported = true;
    }
  }
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, holderContent());
  } finally {
    closeSync(fd);
  }
  markHeld(lockFile, true);
  return true;
}

/** Whether this process holds the lock `lockFile` now. */
function isHeldHere(lockFile: string): boolean {
  return held.has(lockFile);
}

function markHeld(lockFile: string, ownInode: boolean): void {
  held.set(lockFile, { ownInode });
  heartbeat ??= setInterval(beat, HEARTBEAT_MS).unref();
}

async function release(lockFile: string): Promise<void> {
  held.delete(lockFile);
  if (held.size === 0 && heartbeat) {
    clearInterval(heartbeat);
    heartbeat = undefined;
  }
  await fs.unlink(lockFile).catch(() => undefined);
}

/** Keeps the mtime of everything that vouches for a held lock fresh. */
function beat(): void {
  for (const holder of holders.values()) void holder.then(touch).catch(() => undefined);
  for (const [lockFile, { ownInode }] of held) {
    if (ownInode) void fs.utimes(lockFile, new Date(), new Date()).catch(() => undefined);
  }
}

/** Refreshes the holder's mtime, or joins the refresh under way. */
function touch(holder: Holder): Promise<void> {
  if (holder.touching) return holder.touching;
  const now = new Date();
  holder.touchedAt = now.getTime();
  const touching = fs.utimes(holder.file, now, now).then(
    () => undefined,
    () => undefined,
  );
  holder.touching = touching;
  void touching.then(() => {
    if (holder.touching === touching) holder.touching = undefined;
  });
  return touching;
}
