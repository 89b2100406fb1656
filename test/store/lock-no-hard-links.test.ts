/**
 * On a file system without hard links (FAT, some network shares) the lock file is created
 * exclusively instead. Simulated here by making link() fail as such file systems do; this file
 * has its own module instance, so the other lock tests keep hard links.
 */
import { existsSync, promises as fs, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import { withFileLock } from '../../src/store/lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitForForeignHolderThenTakeOver } from './foreign-lock.js';
import { stringContaining } from '../helpers/matchers.js';

const link = vi.spyOn(fs, 'link').mockRejectedValue(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
afterAll(() => link.mockRestore());

describe('withFileLock where hard links are not supported', () => {
  it('creates the lock file itself, naming this process, and still lets lockers take turns', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    const seen: { links: number; owner: unknown }[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(
          file,
          async () => {
            const lockFile = `${file}.lock`;
            seen.push({ links: statSync(lockFile).nlink, owner: JSON.parse(readFileSync(lockFile, 'utf8')) });
            const current = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
            await new Promise((resolve) => setImmediate(resolve));
            writeFileSync(file, String(current + 1));
          },
          { holderDir: path.join(dir, 'tmp') },
        ),
      ),
    );
    // Learnt once: the lockers after the first do not try to link again.
    expect(link).toHaveBeenCalledTimes(1);
    expect(readFileSync(file, 'utf8')).toBe('20');
    expect(seen[0]).toEqual({ links: 1, owner: { pid: process.pid, host: stringContaining(hostname()) } });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a lock file another holder created, and takes it over once its heartbeat has stopped', async () => {
    await waitForForeignHolderThenTakeOver();
  });

  it('keeps its own lock file fresh while the lock is held (no holder file vouches for it)', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    await withFileLock(
      file,
      async () => {
        const aged = Date.now();
        const longAgo = new Date(aged - 60_000);
        utimesSync(`${file}.lock`, longAgo, longAgo);
        const deadline = Date.now() + 30_000;
        while (statSync(`${file}.lock`).mtimeMs < aged - 1_000) {
          if (Date.now() > deadline) throw new Error('timed out waiting for the heartbeat to touch the lock');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      { holderDir: path.join(dir, 'tmp') },
    );
  });

  it('closes the lock files it creates', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    for (let i = 0; i < 40; i++) await withFileLock(path.join(dir, 'index.json'), () => Promise.resolve(), { holderDir: path.join(dir, 'tmp') });
    expect(openFiles()).toBeLessThan(before + 20);
  });

  it('refuses a lock file the file system cannot create, naming the file only', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, `${'y'.repeat(247)}.json`);
    const failure = await withFileLock(file, () => Promise.resolve('ran'), { holderDir: path.join(dir, 'tmp') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toBe(`Could not lock ${path.basename(file)}: ENAMETOOLONG.`);
  });
});
