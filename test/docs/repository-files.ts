/** The repository's text files that the documentation tests read (references, sections). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The files under `relative` (a file or a folder of the repository) whose names match `text`. */
export function filesUnder(relative: string, text: RegExp): string[] {
  const full = path.join(ROOT, relative);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [relative];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const child = path.join(relative, entry.name);
    return entry.isDirectory() ? filesUnder(child, text) : text.test(entry.name) ? [child] : [];
  });
}
