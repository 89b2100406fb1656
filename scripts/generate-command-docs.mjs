#!/usr/bin/env node
// Writes the command lists of README.md and docs/commands.md from the command table
// (src/cli/command-specs/), between their marker comments. Run by `npm run docs:generate`,
// which builds first: this reads the compiled table in dist/cli/.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { COMMANDS } = await import(path.join(PROJECT_DIR, 'dist', 'cli', 'command-table.js'));
const { readmeCommandList, referenceCommandList, replaceBetweenMarkers } = await import(path.join(PROJECT_DIR, 'dist', 'cli', 'command-docs.js'));

for (const [file, list] of [
  ['README.md', readmeCommandList(COMMANDS)],
  [path.join('docs', 'commands.md'), referenceCommandList(COMMANDS)],
]) {
  const full = path.join(PROJECT_DIR, file);
  const before = readFileSync(full, 'utf8');
  const after = replaceBetweenMarkers(before, list, file);
  if (after !== before) writeFileSync(full, after);
  console.log(`${file}: ${after === before ? 'up to date' : 'written'}`);
}
