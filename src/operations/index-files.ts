/** Walks the JSON index files of a filesystem store, for gc and verify. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Every *.json file under `dir`, depth first. Names starting with '.' are skipped: they are the
 * temp files of atomic writes and repositories being deleted. Lock directories are skipped too.
 */
export async function* listJsonFiles(dir: string, skipTopLevel: readonly string[] = []): AsyncGenerator<string> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || skipTopLevel.includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.endsWith('.lock')) yield* listJsonFiles(full);
    } else if (entry.isFile() && entry.name.endsWith('.json')) {
      yield full;
    }
  }
}
