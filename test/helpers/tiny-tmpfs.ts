/**
 * A tiny tmpfs to hold a store, for tests of a real full or read-only disk. Mounting needs root
 * on Linux (CI runs as root): elsewhere it is a loud skip on a developer's machine and a
 * failure when CI=true. The caller unmounts it.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir.js';

export interface TinyTmpfs {
  dir: string;
  /** Writes a file until the file system has no page left; returns its path. */
  fill(): string;
  remountReadOnly(): void;
  unmount(): void;
}

/** `size` as mount takes it ("4m"); undefined (having said why) when it cannot be mounted here. */
export function mountTinyTmpfs(size: string, what: string): TinyTmpfs | undefined {
  const dir = makeTempDir('artifact-cli-tmpfs-');
  const why =
    process.platform !== 'linux'
      ? 'this is not Linux'
      : process.getuid?.() !== 0
        ? 'mounting a tmpfs needs root'
        : mountError(['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  if (why) {
    const message = `a tmpfs cannot be mounted here (${why}), so ${what} is not checked.`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`SKIPPED: ${message}`);
    return undefined;
  }
  return {
    dir,
    fill() {
      const file = path.join(dir, 'filler');
      const fd = openSync(file, 'w');
      try {
        // Large writes, then page-sized ones, until not one more page fits.
        for (const chunk of [Buffer.alloc(256 * 1024), Buffer.alloc(4096)]) {
          for (;;) {
            try {
              writeSync(fd, chunk);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
              break;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return file;
    },
    remountReadOnly() {
      const error = mountError(['-o', 'remount,ro', dir]);
      if (error) throw new Error(`remounting ${dir} read-only failed: ${error}`);
    },
    unmount() {
      spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mountError(args: string[]): string | undefined {
  const result = spawnSync('mount', args, { encoding: 'utf8' });
  if (result.error) return result.error.message;
  return result.status === 0 ? undefined : result.stderr.trim() || `mount exited ${result.status}`;
}
