/**
 * Makes sure the store root is a directory this process can write, before a server says it is
 * serving: a root that is a file, read-only, or on a file system like /proc fails here with one
 * line naming it. Directories are made one level at a time: Node's recursive mkdir never returns
 * on /proc, where mkdir of a missing entry answers ENOENT under a parent that exists.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.js';

const HINT = 'Pass --root DIR (or set ARTIFACT_CLI_ROOT) to a directory you can write.';

export async function prepareRoot(root: string): Promise<void> {
  const absolute = path.resolve(root);
  const missing = await missingDirectories(absolute);
  for (const dir of missing) {
    await fs.mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw refusal(absolute, `cannot be created (${error.code ?? error.message})`, error);
    });
  }
  // A file written and removed again: the only test of writing that holds for root and for
  // read-only mounts alike. In tmp/, with the pid in its name, as every temp file is, so a
  // leftover is cleaned up like theirs.
  const tmp = path.join(absolute, 'tmp');
  const probe = path.join(tmp, `write-probe-${process.pid}-0`);
  try {
    await fs.mkdir(tmp).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await fs.writeFile(probe, '', { flag: 'w', mode: 0o600 });
  } catch (error) {
    throw refusal(absolute, `is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  await fs.rm(probe, { force: true });
}

/**
 * Refuses a root that is a file or lies under one, creating nothing: every command checks this
 * before it opens the store, so the user reads what is wrong with --root, not an ENOTDIR.
 */
export async function checkRootPath(root: string): Promise<void> {
  // Other failures (a parent it may not read) stay the store's to report, as a command meets them.
  await missingDirectories(path.resolve(root), { unreadable: 'stop' });
}

/** The directories to make for `absolute`, outermost first; refuses a file on the way. */
async function missingDirectories(absolute: string, options: { unreadable: 'refuse' | 'stop' } = { unreadable: 'refuse' }): Promise<string[]> {
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    // undefined: not there; null: not readable, and the walk stops.
    const stat = await fs.stat(existing).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file on the way; the walk up reaches it and says so.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      if (options.unreadable === 'stop') return null;
      throw refusal(absolute, `cannot be read (${error.code ?? error.message})`, error);
    });
    if (stat === null) return missing;
    if (stat) {
      if (!stat.isDirectory()) throw refusal(absolute, existing === absolute ? 'is not a directory' : `is under ${existing}, which is not a directory`);
      return missing;
    }
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) return missing;
    existing = parent;
  }
}

function refusal(root: string, what: string, cause?: unknown): ValidationError {
  return new ValidationError(`The store root ${root} ${what}.`, { hint: HINT, cause });
}
