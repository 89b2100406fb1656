/**
 * Empty files and directories made ahead of need: a running server writes blobs and indexes
 * into the files and renames them into place, and renames the directories into place as the
 * blob store's fan-out directories (blobs/sha256/ab/cd/).
 *
 * Why: on some file systems (this project's benchmark VM's ext4 among them) making a file or a
 * directory costs 0.5-1 ms of kernel time, ten to twenty times a rename, while writing into a
 * file that already exists is cheap. (That ext4 has no journal, and then the kernel's inode
 * allocator steps over every inode freed in the last few minutes, and npm deletes a whole
 * node_modules before each `npm ci`.) A cold `npm ci` through the server stores two files and
 * almost two new directories per package in a burst; making them while the server is idle moves
 * that cost out of the burst. Entries are named like every other temp file of this process
 * (`pooled-<pid>-<random>` in tmp/), so the server's shutdown and `gc` (for a process that
 * died) remove the ones left over.
 *
 * "Idle" means no request and no take for a while: the server reports each request, so the
 * pool never refills while a client is being served (a warm install takes nothing from the
 * pool, and refilling during it would only slow it).
 *
 * An entry handed out is the caller's alone: it is empty, and the caller renames it into place
 * or removes it; a directory whose rename found its target already there goes back.
 */
import { close as closeCallback, existsSync, promises as fs, open as openCallback, openSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomHex } from '../core/node-crypto.js';

/** The mode pooled files are made with; writers needing another mode make their own file. */
export const POOLED_FILE_MODE = 0o644;

export interface TempFilePoolOptions {
  /** How many files to keep ready. */
  size: number;
  /** How many directories to keep ready; as many as files unless told. */
  directories?: number;
  /** Refill only once nothing has happened for this long, so refilling never competes with work. */
  quietMs?: number;
}

const open = promisify(openCallback);
const close = promisify(closeCallback);

export class TempFilePool {
  private readonly files: string[] = [];
  private readonly directories: string[] = [];
  private readonly directoryTarget: number;
  private readonly quietMs: number;
  private lastActiveAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private filling = false;
  private filled: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly dir: string,
    private readonly options: TempFilePoolOptions,
  ) {
    this.quietMs = options.quietMs ?? 250;
    this.directoryTarget = options.directories ?? options.size;
  }

  /** Files ready to take. */
  get available(): number {
    return this.files.length;
  }

  /** Directories ready to take. */
  get availableDirectories(): number {
    return this.directories.length;
  }

  /** Work is going on (a request came in): refilling waits for the next quiet spell. */
  noteActivity(at = performance.now()): void {
    this.lastActiveAt = at;
  }

  /** An empty file of this process's, or undefined when none is ready (make one as usual then). */
  take(): string | undefined {
    return this.taken(this.files.pop());
  }

  /** An empty directory of this process's, or undefined when none is ready. */
  takeDirectory(): string | undefined {
    return this.taken(this.directories.pop());
  }

  /** Takes back a directory handed out and still empty (its rename found the target there). */
  giveBackDirectory(dir: string): void {
    if (!this.stopped) this.directories.push(dir);
  }

  /** Starts filling now; the entries are made one at a time on the thread pool. */
  start(): void {
    this.scheduleFill(0);
  }

  /**
   * Stops making entries and waits for the one being made. Those ready stay until the owner
   * removes its temp files, or go now with `removeReady`.
   */
  async stop({ removeReady = false } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.filled;
    if (removeReady) for (const entry of [...this.files.splice(0), ...this.directories.splice(0)]) await fs.rm(entry, { recursive: true, force: true });
  }

  /** Resolves once the pool is full or stopped (for tests and benchmarks). */
  async whenFull(): Promise<void> {
    while (!this.stopped && !this.full()) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private full(): boolean {
    return this.files.length >= this.options.size && this.directories.length >= this.directoryTarget;
  }

  private taken(entry: string | undefined): string | undefined {
    this.noteActivity();
    this.scheduleFill(this.quietMs);
    return entry;
  }

  private scheduleFill(delayMs: number): void {
    if (this.stopped || this.filling || this.timer || this.full()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.filled = this.fill();
    }, delayMs);
    // A pool waiting to refill must not keep a finished process alive.
    this.timer.unref();
  }

  private async fill(): Promise<void> {
    const sinceActive = performance.now() - this.lastActiveAt;
    if (this.lastActiveAt !== 0 && sinceActive < this.quietMs) {
      this.scheduleFill(this.quietMs - sinceActive);
      return;
    }
    this.filling = true;
    const startedAt = performance.now();
    try {
      // A fresh root has no tmp/ until something is written.
      if (this.files.length === 0 && this.directories.length === 0) await fs.mkdir(this.dir, { recursive: true });
      while (!this.stopped && !this.full()) {
        // Work since this round began: stop, and wait for quiet again.
        if (this.lastActiveAt > startedAt) break;
        const entry = path.join(this.dir, `pooled-${process.pid}-${randomHex(6)}`);
        // Files and directories in turn, so a short quiet spell leaves some of each.
        if (this.files.length < this.options.size && (this.files.length <= this.directories.length || this.directories.length >= this.directoryTarget)) {
          await close(await open(entry, 'wx', POOLED_FILE_MODE));
          this.files.push(entry);
        } else {
          await fs.mkdir(entry);
          this.directories.push(entry);
        }
      }
    } catch {
      // tmp/ cannot be made or written: writers make their own entries, as they do without a pool.
      this.stopped = true;
    } finally {
      this.filling = false;
    }
    this.scheduleFill(this.quietMs);
  }
}

const pools = new Map<string, TempFilePool>();

/** Starts the pool of entries for `tmpDir` (a server does; a one-shot CLI command does not). */
export function startTempFilePool(tmpDir: string, options: TempFilePoolOptions): TempFilePool {
  let pool = pools.get(tmpDir);
  if (!pool) {
    pool = new TempFilePool(tmpDir, options);
    pools.set(tmpDir, pool);
    if (options.size > 0 || (options.directories ?? 0) > 0) pool.start();
  }
  return pool;
}

/** Stops and forgets the pool of `tmpDir`, if there is one. */
export async function stopTempFilePool(tmpDir: string, options: { removeReady?: boolean } = {}): Promise<void> {
  const pool = pools.get(tmpDir);
  pools.delete(tmpDir);
  await pool?.stop(options);
}

/** An empty file from the pool of `tmpDir`, or undefined when there is no pool or it is empty. */
export function takePooledFile(tmpDir: string): string | undefined {
  return pools.get(tmpDir)?.take();
}

/**
 * Opens a temp file to write and then rename into place: an empty one from the pool of
 * `poolDir` when it has one (and the mode is the pool's), else `openNew()`'s new file. A pooled
 * file that has gone (someone emptied tmp/) is skipped.
 */
export async function openTempFile(
  poolDir: string | undefined,
  mode: number,
  openNew: () => Promise<{ fd: number; file: string }>,
): Promise<{ fd: number; file: string }> {
  const pooled = poolDir !== undefined && mode === POOLED_FILE_MODE ? takePooledFile(poolDir) : undefined;
  if (pooled) {
    try {
      // Opening a file that exists is quick: inline, sparing a thread-pool trip.
      return { fd: openSync(pooled, 'r+'), file: pooled };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return openNew();
}

const beingMade = new Map<string, Promise<void>>();

/**
 * Makes `dir` and its missing parents, each by renaming an empty directory of the pool of
 * `poolDir` into place when there is one (a rename is a fraction of a mkdir's cost), else with
 * mkdir. `dir` must be on the same file system as the pool.
 *
 * A rename replaces an empty directory at its target, and a writer renaming a file into the
 * directory just replaced fails with ENOENT. So writers of this process that need the same
 * missing directory wait for the one making it instead of each renaming their own over it.
 * Another process can still replace a directory it saw missing a moment earlier: writers
 * retry a rename into a directory of the tree that failed with ENOENT (see fs-blob-store.ts).
 */
export function makeDirectory(poolDir: string | undefined, dir: string): Promise<void> {
  // Mostly the directory is there: a look in the kernel's name cache, inline, settles it.
  if (existsSync(dir)) return Promise.resolve();
  let made = beingMade.get(dir);
  if (!made) {
    made = placeDirectory(poolDir, dir).finally(() => beingMade.delete(dir));
    beingMade.set(dir, made);
  }
  return made;
}

async function placeDirectory(poolDir: string | undefined, dir: string): Promise<void> {
  const pool = poolDir === undefined ? undefined : pools.get(poolDir);
  const pooled = pool?.takeDirectory();
  if (!pool || !pooled) {
    await fs.mkdir(dir, { recursive: true });
    return;
  }
  const parent = path.dirname(dir);
  if (parent !== dir) await makeDirectory(poolDir, parent);
  try {
    await fs.rename(pooled, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Made meanwhile by another process: the pooled directory is still empty and can serve again.
    if (code === 'ENOTEMPTY' || code === 'EEXIST') pool.giveBackDirectory(pooled);
    // Anything else (the pooled directory removed, a parent removed again, another file
    // system): make it the usual way.
    await fs.mkdir(dir, { recursive: true });
  }
}
