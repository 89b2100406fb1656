#!/usr/bin/env node
// Rewrites the settings table in docs/configuration.md from the settings table
// (src/config/definitions.ts), as `tsc` compiled it to dist/: run `npm run docs:configuration`,
// which compiles first. `--check [file]` writes nothing and exits 1 when the file (by default
// docs/configuration.md) is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const check = process.argv.includes('--check');
const named = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const DOC = named ? path.resolve(named) : path.join(PROJECT_DIR, 'docs', 'configuration.md');
const SHOWN = path.relative(PROJECT_DIR, DOC);
const COMPILED = path.join(PROJECT_DIR, 'dist', 'config');

if (!existsSync(path.join(COMPILED, 'configuration-doc.js'))) {
  console.error('error: dist/config/configuration-doc.js is missing; run `npm run build` (or `npm run docs:configuration`) first.');
  process.exit(1);
}
const { withSettingsTable } = await import(pathToFileURL(path.join(COMPILED, 'configuration-doc.js')).href);
const { SETTINGS } = await import(pathToFileURL(path.join(COMPILED, 'definitions.js')).href);

const current = readFileSync(DOC, 'utf8');
const updated = withSettingsTable(current, SETTINGS);
if (check) {
  if (updated !== current) {
    console.error(`${SHOWN} is out of date: run \`npm run docs:configuration\`.`);
    process.exit(1);
  }
  console.log(`${SHOWN} matches the settings table.`);
} else if (updated === current) {
  console.log(`${SHOWN} is up to date.`);
} else {
  writeFileSync(DOC, updated);
  console.log(`wrote the settings table of ${SHOWN} (${SETTINGS.length} settings).`);
}
