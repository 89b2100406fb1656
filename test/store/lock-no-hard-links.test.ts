/**
 * On a file system without hard links (FAT, some network shares) the lock file is created
 * exclusively instead. Simulated here by making link() fail as such file systems do; this file
 * has its own module instance, so the other lock tests keep hard links.
 */
import { existsSync, promises as fs, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
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
    expect(link).toHaveBeenCalled();
    expect(readFileSync(file, 'utf8')).toBe('20');
    expect(seen[0]).toEqual({ links: 1, owner: { pid: process.pid, host: stringContaining(hostname()) } });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a lock file another holder created, and takes it over once its heartbeat has stopped', async () => {
    await waitForForeignHolderThenTakeOver();
  });
});
