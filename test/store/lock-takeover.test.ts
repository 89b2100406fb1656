/**
 * takeOverIfStale judged directly, in this process: a lock whose holder is gone is removed, a
 * live holder's lock never is, and a lock taken anew between the look and the removal is left
 * alone. The clock is faked (Date only) so the 10 s and 60 s silences are met exactly; lock
 * mtimes are whole seconds, which the file system stores exactly.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, unlinkSync, utimesSync, writeFileSync, type PathLike } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { takeOverIfStale } from '../../src/store/lock-takeover.js';
import { processPlace } from '../../src/store/process-alive.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// A hook run just before the takeover opens a file: plays another process acting in that instant.
const hooks = vi.hoisted(() => ({
  beforeOpen: undefined as ((file: string) => void) | undefined,
  beforeStat: undefined as ((file: string) => void) | undefined,
}));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const openSync = ((file: PathLike, ...rest: unknown[]) => {
    hooks.beforeOpen?.(String(file));
    return (real.openSync as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof real.openSync;
  const statSync = ((file: PathLike, ...rest: unknown[]) => {
    hooks.beforeStat?.(String(file));
    return (real.statSync as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof real.statSync;
  return { ...real, default: { ...real, openSync, statSync }, openSync, statSync };
});

afterEach(() => {
  hooks.beforeOpen = undefined;
  hooks.beforeStat = undefined;
  vi.useRealTimers();
});

const notHeld = () => false;
const held = () => true;

/** A pid that was this host's and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** Writes a lock naming `owner`, last touched at a whole second; returns the lock file and that time. */
function lockOf(owner: unknown, text?: string): { lockFile: string; touched: number } {
  const lockFile = path.join(makeTempDir('artifact-cli-takeover-'), 'index.json.lock');
  writeFileSync(lockFile, text ?? JSON.stringify(owner));
  const touched = Math.floor(Date.now() / 1000) * 1000 - 1000;
  utimesSync(lockFile, new Date(touched), new Date(touched));
  return { lockFile, touched };
}

/** Judges the lock as if `silentMs` had passed since its last heartbeat. */
function judgeAfter(lock: { lockFile: string; touched: number }, silentMs: number, isHeldHere = notHeld): boolean {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(lock.touched + silentMs);
  try {
    return takeOverIfStale(lock.lockFile, isHeldHere);
  } finally {
    vi.useRealTimers();
  }
}

const here = () => processPlace();

describe('takeOverIfStale', () => {
  it('says "try again" when there is no lock any more', () => {
    const lockFile = path.join(makeTempDir('artifact-cli-takeover-'), 'index.json.lock');
    expect(takeOverIfStale(lockFile, notHeld)).toBe(true);
  });

  it('removes at once a lock whose holder on this host has died, and leaves no breaker file behind', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    expect(judgeAfter(lock, 0)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
    expect(readdirSync(path.dirname(lock.lockFile))).toEqual([]);
  });

  it("keeps a live holder's lock through 60 s of silence, and takes it over only after that", () => {
    const lock = lockOf({ pid: process.ppid, host: here() });
    expect(judgeAfter(lock, 0)).toBe(false);
    expect(judgeAfter(lock, 20_000)).toBe(false);
    expect(judgeAfter(lock, 60_000)).toBe(false);
    expect(existsSync(lock.lockFile)).toBe(true);
    expect(judgeAfter(lock, 60_001)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('keeps a lock this process holds, and removes one with its pid that it does not hold (a failed release)', () => {
    const lock = lockOf({ pid: process.pid, host: here() });
    expect(judgeAfter(lock, 20_000, held)).toBe(false);
    expect(existsSync(lock.lockFile)).toBe(true);
    expect(judgeAfter(lock, 0, notHeld)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('judges a holder on another host by its heartbeat alone: kept through 10 s of silence, taken over after', () => {
    // The pid is dead here, but it names a process of the other host: it must not count.
    const lock = lockOf({ pid: deadPid(), host: 'another-host.invalid' });
    expect(judgeAfter(lock, 0)).toBe(false);
    expect(judgeAfter(lock, 10_000)).toBe(false);
    expect(existsSync(lock.lockFile)).toBe(true);
    expect(judgeAfter(lock, 10_001)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('judges a lock of this host without a numeric pid by its heartbeat alone', () => {
    const lock = lockOf({ pid: String(deadPid()), host: here() });
    expect(judgeAfter(lock, 0)).toBe(false);
    expect(judgeAfter(lock, 10_000)).toBe(false);
    expect(judgeAfter(lock, 10_001)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('waits for a lock being written (not JSON yet), unless it has been unreadable for over 10 s', () => {
    const lock = lockOf(undefined, '{"pid":');
    expect(judgeAfter(lock, 0)).toBe(false);
    expect(judgeAfter(lock, 10_000)).toBe(false);
    expect(existsSync(lock.lockFile)).toBe(true);
    expect(judgeAfter(lock, 10_001)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('leaves the lock to another breaker at work, and removes a breaker file left 10 s ago by a killed one', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    const breaker = `${lock.lockFile}.breaking`;
    writeFileSync(breaker, '');
    const fresh = new Date(lock.touched);
    utimesSync(breaker, fresh, fresh);
    expect(judgeAfter(lock, 10_000)).toBe(false);
    expect(existsSync(lock.lockFile)).toBe(true);
    expect(existsSync(breaker)).toBe(true);
    expect(judgeAfter(lock, 10_001)).toBe(true);
    expect(existsSync(lock.lockFile)).toBe(false);
    expect(existsSync(breaker)).toBe(false);
  });

  it('takes its turn when the other breaker finished in the instant between its try and its look', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    const breaker = `${lock.lockFile}.breaking`;
    hooks.beforeOpen = (file) => {
      if (file !== breaker) return;
      hooks.beforeOpen = undefined;
      writeFileSync(breaker, '');
      hooks.beforeStat = (looked) => {
        if (looked !== breaker) return;
        hooks.beforeStat = undefined;
        unlinkSync(breaker);
      };
    };
    expect(takeOverIfStale(lock.lockFile, notHeld)).toBe(true);
    expect(readdirSync(path.dirname(lock.lockFile))).toEqual([]);
  });

  it('gives up its turn when a stale breaker file keeps coming back (others keep breaking)', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    const breaker = `${lock.lockFile}.breaking`;
    let tries = 0;
    hooks.beforeOpen = (file) => {
      if (file !== breaker) return;
      tries++;
      writeFileSync(breaker, '');
      const old = new Date(lock.touched - 60_000);
      utimesSync(breaker, old, old);
    };
    expect(takeOverIfStale(lock.lockFile, notHeld)).toBe(false);
    expect(tries).toBe(2);
    expect(existsSync(lock.lockFile)).toBe(true);
  });

  it('passes on an error making the breaker file other than its existence', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    hooks.beforeOpen = (file) => {
      if (file.endsWith('.breaking')) throw Object.assign(new Error('read-only file system'), { code: 'EROFS' });
    };
    expect(() => takeOverIfStale(lock.lockFile, notHeld)).toThrow('read-only file system');
    expect(existsSync(lock.lockFile)).toBe(true);
  });

  it('does not remove a lock taken anew (a new inode) between its first look and its removal', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    const renewed = JSON.stringify({ pid: process.ppid, host: here() });
    hooks.beforeOpen = (file) => {
      if (!file.endsWith('.breaking')) return;
      hooks.beforeOpen = undefined;
      // The dead holder's lock was broken by another process, and a live one locked anew.
      unlinkSync(lock.lockFile);
      writeFileSync(`${lock.lockFile}.new`, renewed);
      renameSync(`${lock.lockFile}.new`, lock.lockFile);
    };
    expect(takeOverIfStale(lock.lockFile, notHeld)).toBe(false);
    expect(readFileSync(lock.lockFile, 'utf8')).toBe(renewed);
    expect(existsSync(`${lock.lockFile}.breaking`)).toBe(false);
  });

  it('does not remove a lock whose inode changed in that instant (a link to it, or its mode: only the ctime moves)', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    hooks.beforeOpen = (file) => {
      if (!file.endsWith('.breaking')) return;
      hooks.beforeOpen = undefined;
      chmodSync(lock.lockFile, 0o600);
    };
    expect(takeOverIfStale(lock.lockFile, notHeld)).toBe(false);
    expect(existsSync(lock.lockFile)).toBe(true);
  });

  it('says "try again" when the lock went away in that instant', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    hooks.beforeOpen = (file) => {
      if (file.endsWith('.breaking')) unlinkSync(lock.lockFile);
    };
    expect(takeOverIfStale(lock.lockFile, notHeld)).toBe(true);
    expect(readdirSync(path.dirname(lock.lockFile))).toEqual([]);
  });

  it('passes on an error reading the lock other than its absence', () => {
    const lock = lockOf({ pid: deadPid(), host: here() });
    hooks.beforeOpen = (file) => {
      if (file === lock.lockFile) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
    };
    expect(() => takeOverIfStale(lock.lockFile, notHeld)).toThrow('i/o error');
    expect(existsSync(lock.lockFile)).toBe(true);
  });

  it('closes every file it opens', () => {
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const lock = lockOf({ pid: process.ppid, host: here() });
    const before = openFiles();
    for (let i = 0; i < 50; i++) expect(takeOverIfStale(lock.lockFile, notHeld)).toBe(false);
    expect(openFiles()).toBeLessThan(before + 10);
  });
});
