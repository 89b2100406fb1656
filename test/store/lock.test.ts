import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preloadLocking, settleLockReleases, withFileLock } from '../../src/store/lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('withFileLock within one process', () => {
  it('lets concurrent lockers of one file take turns, losing no update, and leaves no lock behind', async () => {
    const file = path.join(makeTempDir('artifact-cli-lock-'), 'sub', 'counter.json');
    const increment = () =>
      withFileLock(file, async () => {
        const current = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
        // Give every other locker the chance to barge in, as a real read-modify-write would.
        await tick();
        writeFileSync(file, String(current + 1));
      });
    await Promise.all(Array.from({ length: 40 }, increment));
    expect(readFileSync(file, 'utf8')).toBe('40');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('hands the lock on after a locker whose work failed', async () => {
    const file = path.join(makeTempDir('artifact-cli-lock-'), 'index.json');
    const failing = withFileLock(file, async () => {
      throw new Error('mutation failed');
    });
    const next = withFileLock(file, async () => 'second ran');
    await expect(failing).rejects.toThrow('mutation failed');
    await expect(next).resolves.toBe('second ran');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('in a server, where answers do not wait for the release, still loses nothing and leaves no lock once settled', async () => {
    await preloadLocking();
    const file = path.join(makeTempDir('artifact-cli-lock-'), 'index.json');
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          withFileLock(file, async () => {
            const current = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
            await tick();
            writeFileSync(file, String(current + 1));
          }),
        ),
      );
    }
    expect(readFileSync(file, 'utf8')).toBe('30');
    await settleLockReleases();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
