/** Every file under some top folders of a store root (lock files left out), to compare before and after a refused write. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function listStoredFiles(root: string, tops: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (!entry.name.endsWith('.lock')) found.push(path.relative(root, full));
    }
  };
  for (const top of tops) await walk(path.join(root, top));
  return found.sort();
}
