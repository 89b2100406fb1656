import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deferLockReleases, settleLockReleases, withFileLock } from '../../src/store/lock.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitForForeignHolderThenTakeOver } from './foreign-lock.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const LOCK_HOLDER = path.join(PROJECT_DIR, 'test', 'fixtures', 'lock-holder.mjs');

function spawnHolder(args: string[]): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [LOCK_HOLDER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function incrementUnderLock(file: string, holderDir?: string): Promise<void> {
  return withFileLock(
    file,
    async () => {
      const current = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
      // Give every other locker the chance to barge in, as a real read-modify-write would.
      await tick();
      writeFileSync(file, String(current + 1));
    },
    { holderDir },
  );
}

describe('withFileLock within one process', () => {
  it('lets concurrent lockers of one file take turns, losing no update, and leaves no lock behind', async () => {
    const file = path.join(makeTempDir('artifact-cli-lock-'), 'sub', 'counter.json');
    await Promise.all(Array.from({ length: 40 }, () => incrementUnderLock(file)));
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

  it('makes the lock a hard link to one holder file in the holder directory', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const holderDir = path.join(dir, 'tmp');
    const seen: { links: number; inode: number }[] = [];
    for (const name of ['a.json', 'b.json']) {
      await withFileLock(
        path.join(dir, name),
        async () => {
          const stat = statSync(path.join(dir, `${name}.lock`));
          seen.push({ links: stat.nlink, inode: stat.ino });
        },
        { holderDir },
      );
    }
    const holders = readdirSync(holderDir);
    expect(holders).toEqual([expect.stringMatching(new RegExp(`^lock-holder-${process.pid}-[0-9a-f]+$`))]);
    const holder = path.join(holderDir, holders[0]);
    expect(seen).toEqual([
      { links: 2, inode: statSync(holder).ino },
      { links: 2, inode: statSync(holder).ino },
    ]);
    expect(JSON.parse(readFileSync(holder, 'utf8'))).toEqual({ pid: process.pid, host: expect.stringContaining(hostname()) });
    expect(existsSync(path.join(dir, 'a.json.lock')) || existsSync(path.join(dir, 'b.json.lock'))).toBe(false);
  });

  it('keeps the holder file fresh while a lock is held, so a long update is not taken for a dead one', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    const mtimeWhileHeld = await withFileLock(
      file,
      async () => {
        const longAgo = new Date(Date.now() - 60_000);
        utimesSync(`${file}.lock`, longAgo, longAgo);
        // The heartbeat runs every 2 s.
        await new Promise((resolve) => setTimeout(resolve, 2_300));
        return statSync(`${file}.lock`).mtimeMs;
      },
      { holderDir: path.join(dir, 'tmp') },
    );
    expect(Date.now() - mtimeWhileHeld).toBeLessThan(3_000);
  });

  it('makes a new holder file when its holder was removed (a shutdown clean-up, or gc)', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const holderDir = path.join(dir, 'tmp');
    const file = path.join(dir, 'index.json');
    await incrementUnderLock(file, holderDir);
    for (const name of readdirSync(holderDir)) rmSync(path.join(holderDir, name));
    await incrementUnderLock(file, holderDir);
    expect(readFileSync(file, 'utf8')).toBe('2');
    expect(readdirSync(holderDir)).toHaveLength(1);
  });

  it('in a server, where answers do not wait for the release, still loses nothing and leaves no lock once settled', async () => {
    deferLockReleases();
    const file = path.join(makeTempDir('artifact-cli-lock-'), 'index.json');
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 10 }, () => incrementUnderLock(file)));
    }
    expect(readFileSync(file, 'utf8')).toBe('30');
    await settleLockReleases();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('withFileLock across processes', () => {
  it('lets processes take turns on one file, losing no update, and removes their holder files when they exit', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const holderDir = path.join(dir, 'tmp');
    const file = path.join(dir, 'counter.json');
    const children = Array.from({ length: 3 }, () => spawnHolder(['count', file, holderDir, '30']));
    for (let i = 0; i < 30; i++) await incrementUnderLock(file, holderDir);
    for (const child of children) expect(await child.exited, child.output()).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('120');
    expect(existsSync(`${file}.lock`)).toBe(false);
    // Only this process's holder is left; the children removed theirs as they exited.
    expect(readdirSync(holderDir)).toEqual([expect.stringMatching(new RegExp(`^lock-holder-${process.pid}-`))]);
  });

  it('waits for a lock another live process holds', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    const holder = spawnHolder(['hold', file, path.join(dir, 'tmp')]);
    await until(() => holder.output().includes('locked'), 'the child to take the lock');
    let ran = false;
    const waiting = withFileLock(file, async () => {
      ran = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toBe(false);
    holder.child.stdin!.end();
    await waiting;
    expect(ran).toBe(true);
    expect(await holder.exited).toBe(0);
  });

  it('takes over at once a lock whose holder was killed', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    const holder = spawnHolder(['hold', file, path.join(dir, 'tmp')]);
    await until(() => holder.output().includes('locked'), 'the child to take the lock');
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(existsSync(`${file}.lock`)).toBe(true);
    const started = Date.now();
    await incrementUnderLock(file);
    // Well inside the 10 s after which a silent holder counts as gone: its pid is known dead.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(readFileSync(file, 'utf8')).toBe('1');
  });

  it('waits for a holder on another host while its heartbeat is fresh, and takes over once it has stopped', async () => {
    const file = await waitForForeignHolderThenTakeOver();
    await settleLockReleases();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
