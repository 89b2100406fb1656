import { spawn, type ChildProcess } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { promises as fsPromises } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { deferLockReleases, settleLockReleases, withFileLock } from '../../src/store/lock.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitForForeignHolderThenTakeOver } from './foreign-lock.js';
import { stringContaining } from '../helpers/matchers.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const LOCK_HOLDER = path.join(PROJECT_DIR, 'test', 'fixtures', 'lock-holder.mjs');

function spawnHolder(args: string[]): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, [LOCK_HOLDER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
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
    const failing = withFileLock(file, () => Promise.reject(new Error('mutation failed')));
    const next = withFileLock(file, () => Promise.resolve('second ran'));
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
        () => {
          const stat = statSync(path.join(dir, `${name}.lock`));
          seen.push({ links: stat.nlink, inode: stat.ino });
          return Promise.resolve();
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
    expect(JSON.parse(readFileSync(holder, 'utf8'))).toEqual({ pid: process.pid, host: stringContaining(hostname()) });
    expect(existsSync(path.join(dir, 'a.json.lock')) || existsSync(path.join(dir, 'b.json.lock'))).toBe(false);
  });

  it('keeps the holder file fresh while a lock is held, so a long update is not taken for a dead one', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    await withFileLock(
      file,
      async () => {
        const aged = Date.now();
        const longAgo = new Date(aged - 60_000);
        utimesSync(`${file}.lock`, longAgo, longAgo);
        // The heartbeat (every 2 s) brings it back to the present while the lock is held; waited
        // for as an event, with room for a machine too busy to run the timer on time.
        await until(() => statSync(`${file}.lock`).mtimeMs >= aged - 1_000, 'the heartbeat to touch the lock', 30_000);
        expect(existsSync(`${file}.lock`)).toBe(true);
      },
      { holderDir: path.join(dir, 'tmp') },
    );
  });

  it('after a quiet spell, links no lock to the holder before its refresh has landed, however many lockers start at once', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const holderDir = path.join(dir, 'tmp');
    await withFileLock(path.join(dir, 'first.json'), () => Promise.resolve(), { holderDir });
    const [holderName] = readdirSync(holderDir);
    const holder = path.join(holderDir, holderName);
    // The server sat idle: no heartbeat has touched the holder for a minute.
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(holder, longAgo, longAgo);
    const realNow = Date.now.bind(Date);
    // Past the 2 s after which a holder is refreshed before it vouches for a lock.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(realNow() + 3_000);
    // What another process would see of each lock at the moment it appears.
    const silenceAtLink: number[] = [];
    const realLink = fsPromises.link.bind(fsPromises);
    const link = vi.spyOn(fsPromises, 'link').mockImplementation((from, to) => {
      silenceAtLink.push(realNow() - statSync(from).mtimeMs);
      return realLink(from, to);
    });
    // A busy thread pool: the refresh takes a while to land.
    const realUtimes = fsPromises.utimes.bind(fsPromises);
    const utimes = vi.spyOn(fsPromises, 'utimes').mockImplementation(async (file, atime, mtime) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return realUtimes(file, atime, mtime);
    });
    try {
      await Promise.all(['a.json', 'b.json', 'c.json'].map((name) => withFileLock(path.join(dir, name), () => Promise.resolve(), { holderDir })));
    } finally {
      vi.useRealTimers();
      link.mockRestore();
      utimes.mockRestore();
    }
    expect(silenceAtLink).toHaveLength(3);
    for (const silence of silenceAtLink) expect(silence).toBeLessThan(5_000);
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
    // An earlier test deferred this process's releases (deferLockReleases is process-wide): wait for them.
    await settleLockReleases();
    expect(existsSync(`${file}.lock`)).toBe(false);
    // Only this process's holder is left; the children removed theirs as they exited.
    expect(readdirSync(holderDir)).toEqual([expect.stringMatching(new RegExp(`^lock-holder-${process.pid}-`))]);
  });

  it('loses no update while short-lived processes come and go and this process looks at their locks through a busy thread pool', async () => {
    // The CLI's shape: each child takes the lock once and exits. Meanwhile this process, its
    // thread pool kept busy as a loaded server's is, keeps meeting their locks. A look at a lock
    // that comes back late must not judge it by a holder that has since released and exited,
    // when another process holds the lock by then.
    const dir = makeTempDir('artifact-cli-lock-');
    const holderDir = path.join(dir, 'tmp');
    const file = path.join(dir, 'counter.json');
    let busy = true;
    const hogThreadPool = async () => {
      while (busy) await new Promise((resolve) => pbkdf2('x', 'y', 20_000, 32, 'sha256', resolve));
    };
    const hogs = Array.from({ length: 4 }, hogThreadPool);
    const children = Array.from({ length: 48 }, () => spawnHolder(['count', file, holderDir, '1']));
    try {
      for (let i = 0; i < 40; i++) {
        await withFileLock(
          file,
          () => {
            const current = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
            writeFileSync(file, String(current + 1));
            return Promise.resolve();
          },
          { holderDir },
        );
      }
      for (const child of children) expect(await child.exited, child.output()).toBe(0);
    } finally {
      busy = false;
      await Promise.all(hogs);
    }
    expect(readFileSync(file, 'utf8')).toBe('88');
  });

  it('waits for a lock another live process holds', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    const holder = spawnHolder(['hold', file, path.join(dir, 'tmp')]);
    await until(() => holder.output().includes('locked'), 'the child to take the lock');
    let ran = false;
    const waiting = withFileLock(file, () => {
      ran = true;
      return Promise.resolve();
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

  it('waits for a live holder on this host whose heartbeat has been silent past 10 s (starved, not dead), and takes over after a minute', async () => {
    const dir = makeTempDir('artifact-cli-lock-');
    const file = path.join(dir, 'index.json');
    const holder = spawnHolder(['hold', file, path.join(dir, 'tmp')]);
    await until(() => holder.output().includes('locked'), 'the child to take the lock');
    // A process the machine does not schedule: alive, but its heartbeat stops.
    holder.child.kill('SIGSTOP');
    try {
      const silentFor = (ms: number) => utimesSync(`${file}.lock`, new Date(Date.now() - ms), new Date(Date.now() - ms));
      silentFor(20_000);
      let ran = false;
      const waiting = withFileLock(file, () => {
        ran = true;
        return Promise.resolve();
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ran).toBe(false);
      // A minute of silence: hung for good, or its pid now names another process after a crash.
      silentFor(61_000);
      await waiting;
      expect(ran).toBe(true);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('waits for a holder on another host while its heartbeat is fresh, and takes over once it has stopped', async () => {
    const file = await waitForForeignHolderThenTakeOver();
    await settleLockReleases();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
