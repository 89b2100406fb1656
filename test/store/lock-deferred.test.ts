/**
 * A server's releases (deferLockReleases): the answer goes out before the lock file is removed,
 * but this process's next locker of the file still waits for that removal, and a stopping server
 * (settleLockReleases) waits for all of them. deferLockReleases is process-wide, so this file
 * has its own module instance.
 */
import { existsSync, promises as fsPromises } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferLockReleases, settleLockReleases, withFileLock } from '../../src/store/lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';

afterEach(() => vi.restoreAllMocks());

describe('withFileLock with deferred releases', () => {
  it('returns before the lock file is removed; the next locker and a stopping server wait for the removal', async () => {
    deferLockReleases();
    const file = path.join(makeTempDir('artifact-cli-lock-deferred-'), 'index.json');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const unlink = fsPromises.unlink.bind(fsPromises);
    vi.spyOn(fsPromises, 'unlink').mockImplementation(async (target) => {
      await gate;
      return unlink(target);
    });
    // The removal is held up (a busy thread pool), yet the work's result is back.
    await expect(withFileLock(file, () => Promise.resolve('answered'))).resolves.toBe('answered');
    expect(existsSync(`${file}.lock`)).toBe(true);
    let nextRan = false;
    const next = withFileLock(file, () => {
      nextRan = true;
      // The earlier lock file was removed before this one was made.
      return Promise.resolve(existsSync(`${file}.lock`));
    });
    let settled = false;
    const settling = settleLockReleases().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect({ nextRan, settled }).toEqual({ nextRan: false, settled: false });
    open();
    await expect(next).resolves.toBe(true);
    await settling;
    await settleLockReleases();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
