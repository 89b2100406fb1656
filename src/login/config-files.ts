/**
 * Reading and writing the package managers' own config files. Every file login writes holds a
 * token, so it is written with mode 0600; the write is atomic (temp file, flush, rename), so a
 * crash leaves the old file or the new one; and the first time login changes an existing file it
 * keeps a copy of it as `<file>.bak`, so whatever login does can be undone by hand.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InternalError } from '../errors.js';

/** Files holding a token are readable by their owner only. */
const SECRET_FILE_MODE = 0o600;

export interface WriteOutcome {
  /** The file actually written: the target of a symbolic link rather than the link. */
  path: string;
  /** Set when this write made the backup copy. */
  backup?: string;
}

export async function readConfigFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannot('read', file, error);
  }
}

export async function writeConfigFile(file: string, text: string): Promise<WriteOutcome> {
  // Dotfile managers keep ~/.npmrc and friends as links into a repository; renaming over the
  // link would silently cut it, so the file the link points at is the one replaced.
  const target = await resolveLink(file);
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const backup = await backUpOnce(target);
    await replaceAtomically(target, text);
    return { path: target, ...(backup ? { backup } : {}) };
  } catch (error) {
    throw cannot('write', target, error);
  }
}

async function resolveLink(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw cannot('read', file, error);
  }
  // Missing file, or a link whose target does not exist yet: write where the link points.
  try {
    const link = await fs.readlink(file);
    return path.resolve(path.dirname(file), link);
  } catch {
    return file;
  }
}

/**
 * Copies the current file to `<file>.bak` unless that exists. Only the first copy is kept, so
 * after several logins the backup still holds the file as it was before artifact-cli touched it.
 */
async function backUpOnce(file: string): Promise<string | undefined> {
  let current: Buffer;
  try {
    current = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const backup = `${file}.bak`;
  try {
    // 'wx' refuses to replace an existing backup; 0600 because the old file may hold other tokens.
    await fs.writeFile(backup, current, { flag: 'wx', mode: SECRET_FILE_MODE });
    return backup;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
}

async function replaceAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', SECRET_FILE_MODE);
  try {
    await handle.writeFile(text, 'utf8');
    // open() applies the umask; chmod makes the mode exactly 0600 whatever the umask is.
    await handle.chmod(SECRET_FILE_MODE);
    await handle.sync();
    await handle.close();
    await fs.rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
}

function cannot(verb: 'read' | 'write', file: string, cause: unknown): InternalError {
  const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
  return new InternalError(`Could not ${verb} ${file} (${reason}).`, {
    cause,
    hint: 'Check that the file and its folder belong to you and are writable, then run login again.',
    resourceType: 'file',
    resourceId: file,
  });
}
