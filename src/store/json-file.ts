/** Atomic JSON files: readers see the old file or the new one, never half of either. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InternalError } from '../errors.js';

export class CorruptIndexError extends InternalError {
  constructor(file: string, cause: unknown) {
    super(`The index file ${file} is not valid JSON.`, {
      cause,
      hint: 'Restore it from a backup or remove it; run `artifact-cli verify` to find other damage.',
      resourceType: 'file',
      resourceId: file,
    });
  }
}

/** Reads and parses a JSON file; undefined when it does not exist. */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseJsonText<T>(file, text);
}

export function parseJsonText<T>(file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new CorruptIndexError(file, error);
  }
}

/**
 * Writes to a temp file beside the target, flushes it to disk, then renames it over the
 * target, so a crash at any point leaves either the previous file or the complete new one.
 */
export async function writeJsonFileAtomic(file: string, value: unknown, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'w', mode);
  try {
    await handle.writeFile(JSON.stringify(value, null, 1));
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
