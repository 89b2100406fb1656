/**
 * withFileLock in this process, where lock.test.ts's scenarios do not reach: the clean-up a
 * process does as it exits, locks that cannot be taken (the error names the file, never its
 * directory), a holder directory that fails once, giving up after a minute, the heartbeat over
 * a long hold, and releases a one-shot command waits for. This file has its own module
 * instance, so its first lock creates the first holder.
 */
import { existsSync, mkdirSync, promises as fsPromises, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import { withFileLock } from '../../src/store/lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('withFileLock: a process exiting', () => {
  it('installs one exit clean-up, which removes the locks still held and every holder file', async () => {
    const once = vi.spyOn(process, 'once');
    const dir = makeTempDir('artifact-cli-lock-exit-');
    const file = path.join(dir, 'index.json');
    await withFileLock(path.join(dir, 'first.json'), () => Promise.resolve(), { holderDir: path.join(dir, 'tmp-a') });
    // Installed with the first holder file, and only then.
    expect(once.mock.calls.map(([event, listener]) => [event, typeof listener])).toEqual([['exit', 'function']]);
    let removed: { lock: boolean; holders: string[] } | undefined;
    await withFileLock(
      file,
      () => {
        expect(existsSync(`${file}.lock`)).toBe(true);
        expect(once.mock.calls.map(([event, listener]) => [event, typeof listener])).toEqual([['exit', 'function']]);
        const [, cleanUp] = once.mock.calls[0] as [string, () => void];
        cleanUp();
        removed = { lock: !existsSync(`${file}.lock`), holders: [...readdirSync(path.join(dir, 'tmp-a')), ...readdirSync(path.join(dir, 'tmp-b'))] };
        return Promise.resolve();
      },
      { holderDir: path.join(dir, 'tmp-b') },
    );
    expect(removed).toEqual({ lock: true, holders: [] });
  });
});

describe('withFileLock: locks that cannot be taken', () => {
  it('refuses a lock the file system cannot make, naming the file but not its directory, and leaves no holder behind', async () => {
    const dir = makeTempDir('artifact-cli-lock-name-');
    // The index file's name fits; with ".lock" it is longer than a file name may be.
    const file = path.join(dir, `${'x'.repeat(252)}.json`.slice(-252));
    const failure = await withFileLock(file, () => Promise.resolve('ran'), { holderDir: path.join(dir, 'tmp') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toBe(`Could not lock ${path.basename(file)}: ENAMETOOLONG.`);
    expect((failure as Error).message).not.toContain(dir);
    // The file system's error stays attached for the log.
    expect((failure as Error).cause).toMatchObject({ code: 'ENAMETOOLONG' });
    expect(readdirSync(path.join(dir, 'tmp'))).toHaveLength(1);
    // The failure is not remembered: a lock of another file goes ahead.
    await expect(withFileLock(path.join(dir, 'ok.json'), () => Promise.resolve('ran'), { holderDir: path.join(dir, 'tmp') })).resolves.toBe('ran');
  });

  it('refuses when the link keeps failing with ENOENT even after a new holder was made', async () => {
    const dir = makeTempDir('artifact-cli-lock-enoent-');
    vi.spyOn(fsPromises, 'link').mockRejectedValue(Object.assign(new Error('no such file'), { code: 'ENOENT' }));
    const failure = await withFileLock(path.join(dir, 'index.json'), () => Promise.resolve('ran'), { holderDir: path.join(dir, 'tmp') }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toBe('Could not lock index.json: ENOENT.');
  });

  it('refuses with "failed" when the link fails with an error that has no code', async () => {
    const dir = makeTempDir('artifact-cli-lock-nocode-');
    vi.spyOn(fsPromises, 'link').mockRejectedValue(new Error('something odd'));
    const failure = await withFileLock(path.join(dir, 'index.json'), () => Promise.resolve('ran'), { holderDir: path.join(dir, 'tmp') }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toBe('Could not lock index.json: failed.');
  });

  it("passes on the error when the index file's directory cannot be made, and the next locker of that file is not held up", async () => {
    const dir = makeTempDir('artifact-cli-lock-dir-');
    writeFileSync(path.join(dir, 'blocked'), '');
    const file = path.join(dir, 'blocked', 'index.json');
    const results = await Promise.allSettled([withFileLock(file, () => Promise.resolve('ran')), withFileLock(file, () => Promise.resolve('ran'))]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      // The file system's own error (a regular file is in the way), not a lock conflict.
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'EEXIST', syscall: 'mkdir' });
      expect((result as PromiseRejectedResult).reason).not.toBeInstanceOf(ConflictError);
    }
  });

  it('tries a holder directory again after it failed once', async () => {
    const dir = makeTempDir('artifact-cli-lock-holder-');
    const holderDir = path.join(dir, 'tmp');
    writeFileSync(holderDir, 'not a directory');
    const failure = await withFileLock(path.join(dir, 'index.json'), () => Promise.resolve('ran'), { holderDir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toMatch(/^Could not lock index\.json: E[A-Z]+\.$/);
    rmSync(holderDir);
    await expect(withFileLock(path.join(dir, 'index.json'), () => Promise.resolve('ran'), { holderDir })).resolves.toBe('ran');
    expect(statSync(holderDir).isDirectory()).toBe(true);
  });

  it('gives up after a minute on a lock another live process keeps fresh, and leaves that lock alone', async () => {
    const dir = makeTempDir('artifact-cli-lock-give-up-');
    const file = path.join(dir, 'index.json');
    const theirs = JSON.stringify({ pid: 1, host: 'another-host.invalid' });
    writeFileSync(`${file}.lock`, theirs);
    // Its heartbeat stays ahead of the faked clock: never silent.
    const ahead = new Date(Date.now() + 86_400_000);
    utimesSync(`${file}.lock`, ahead, ahead);
    const realNow = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    let ran = false;
    const waiting = withFileLock(file, () => {
      ran = true;
      return Promise.resolve();
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    vi.setSystemTime(realNow + 59_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toBe(false);
    vi.setSystemTime(realNow + 61_000);
    const failure = await waiting;
    expect(ran).toBe(false);
    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as ConflictError).message).toBe('Could not lock index.json: another process holds it.');
    expect((failure as ConflictError).hint).toMatch(/^Try again; if no other artifact-cli process is running/);
    expect(existsSync(`${file}.lock`)).toBe(true);
  });
});

describe('withFileLock: a long hold', () => {
  it('keeps the lock fresh beat after beat, even after another lock of this process was released meanwhile', async () => {
    const dir = makeTempDir('artifact-cli-lock-beat-');
    const holderDir = path.join(dir, 'tmp');
    const file = path.join(dir, 'index.json');
    await withFileLock(
      file,
      async () => {
        await withFileLock(path.join(dir, 'other.json'), () => Promise.resolve(), { holderDir });
        for (let beat = 0; beat < 2; beat++) {
          const aged = Date.now();
          const longAgo = new Date(aged - 60_000);
          utimesSync(`${file}.lock`, longAgo, longAgo);
          await until(() => statSync(`${file}.lock`).mtimeMs >= aged - 1_000, `heartbeat ${beat + 1} to touch the lock`);
        }
      },
      { holderDir },
    );
  });
});

describe('withFileLock: releasing', () => {
  it('in a one-shot command, returns only once the lock file is gone', async () => {
    const dir = makeTempDir('artifact-cli-lock-release-');
    const file = path.join(dir, 'index.json');
    mkdirSync(dir, { recursive: true });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const unlink = fsPromises.unlink.bind(fsPromises);
    vi.spyOn(fsPromises, 'unlink').mockImplementation(async (target) => {
      await gate;
      return unlink(target);
    });
    let returned = false;
    const locking = withFileLock(file, () => Promise.resolve('done')).then((value) => {
      returned = true;
      return value;
    });
    await until(() => !returned && existsSync(`${file}.lock`) && vi.mocked(fsPromises.unlink).mock.calls.length > 0, 'the release to start');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(returned).toBe(false);
    open();
    await expect(locking).resolves.toBe('done');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
