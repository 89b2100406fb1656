/**
 * Empty files made ahead of need, for the temp files a running server writes blobs and indexes
 * into before renaming them in place.
 *
 * Why: on some file systems (this project's benchmark VM's ext4 among them) creating a file costs
 * 0.5-1 ms of kernel time, twenty times a rename, while writing into a file that already exists
 * is cheap. A cold `npm ci` through the server stores two files per package in a burst; making
 * them while the server is quiet moves that cost out of the burst. The files are named like every
 * other temp file of this process (`pooled-<pid>-<random>` in tmp/), so the server's shutdown and
 * `gc` (for a process that died) remove the ones left over.
 *
 * A file handed out is the caller's alone: it is empty, and the caller renames it into place or
 * removes it; it never comes back to the pool.
 */
import { randomBytes } from 'node:crypto';
import { close as closeCallback, open as openCallback, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** The mode pooled files are made with; writers needing another mode make their own file. */
export const POOLED_FILE_MODE = 0o644;

export interface TempFilePoolOptions {
  /** How many files to keep ready. */
  size: number;
  /** Refill only once no file has been taken for this long, so refilling never competes with a burst. */
  quietMs?: number;
}

const open = promisify(openCallback);
const close = promisify(closeCallback);

export class TempFilePool {
  private readonly ready: string[] = [];
  private readonly quietMs: number;
  private lastTakenAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private filling = false;
  private filled: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly dir: string,
    private readonly options: TempFilePoolOptions,
  ) {
    this.quietMs = options.quietMs ?? 250;
  }

  get available(): number {
    return this.ready.length;
  }

  /** An empty file of this process's, or undefined when none is ready (make one as usual then). */
  take(): string | undefined {
    this.lastTakenAt = performance.now();
    const file = this.ready.pop();
    this.scheduleFill(this.quietMs);
    return file;
  }

  /** Starts filling now; the files are made one at a time on the thread pool. */
  start(): void {
    this.scheduleFill(0);
  }

  /**
   * Stops making files and waits for the one being made; those made stay until the owner
   * removes its temp files.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.filled;
  }

  /** Resolves once the pool is full or stopped (for tests and benchmarks). */
  async whenFull(): Promise<void> {
    while (!this.stopped && this.ready.length < this.options.size) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private scheduleFill(delayMs: number): void {
    if (this.stopped || this.filling || this.timer || this.ready.length >= this.options.size) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.filled = this.fill();
    }, delayMs);
    // A pool waiting to refill must not keep a finished process alive.
    this.timer.unref();
  }

  private async fill(): Promise<void> {
    const sinceTaken = performance.now() - this.lastTakenAt;
    if (this.lastTakenAt !== 0 && sinceTaken < this.quietMs) {
      this.scheduleFill(this.quietMs - sinceTaken);
      return;
    }
    this.filling = true;
    const startedAt = performance.now();
    try {
      // A fresh root has no tmp/ until something is written.
      if (this.ready.length === 0) await mkdir(this.dir, { recursive: true });
      while (!this.stopped && this.ready.length < this.options.size) {
        // A take since this round began means a burst: wait for quiet again.
        if (this.lastTakenAt > startedAt) break;
        const file = path.join(this.dir, `pooled-${process.pid}-${randomBytes(6).toString('hex')}`);
        await close(await open(file, 'wx', POOLED_FILE_MODE));
        this.ready.push(file);
      }
    } catch {
      // tmp/ cannot be made or written: writers make their own files, as they do without a pool.
      this.stopped = true;
    } finally {
      this.filling = false;
    }
    this.scheduleFill(this.quietMs);
  }
}

const pools = new Map<string, TempFilePool>();

/** Starts the pool of files for `tmpDir` (a server does; a one-shot CLI command does not). */
export function startTempFilePool(tmpDir: string, options: TempFilePoolOptions): TempFilePool {
  let pool = pools.get(tmpDir);
  if (!pool) {
    pool = new TempFilePool(tmpDir, options);
    pools.set(tmpDir, pool);
    if (options.size > 0) pool.start();
  }
  return pool;
}

/** Stops and forgets the pool of `tmpDir`, if there is one. */
export async function stopTempFilePool(tmpDir: string): Promise<void> {
  const pool = pools.get(tmpDir);
  pools.delete(tmpDir);
  await pool?.stop();
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
export async function openTempFile(poolDir: string | undefined, mode: number, openNew: () => Promise<{ fd: number; file: string }>): Promise<{ fd: number; file: string }> {
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
