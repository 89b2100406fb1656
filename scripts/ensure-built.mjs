#!/usr/bin/env node
// Runs `npm run build` when dist/bundle/main.js (what bin/artifact-cli.js loads) is missing or
// older than a file it is built from. `npm start` calls it: installing no longer builds (the
// build runs on prepack), yet `npm install && npm start` in a checkout must still start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUTPUT = path.join(PROJECT_DIR, 'dist', 'bundle', 'main.js');
const INPUTS = ['src', 'scripts/bundle-cli.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newestChange(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

function reasonToBuild() {
  if (!existsSync(OUTPUT)) return 'dist/ has not been built';
  const built = statSync(OUTPUT).mtimeMs;
  const changed = INPUTS.map((input) => path.join(PROJECT_DIR, input))
    .filter((input) => existsSync(input))
    .find((input) => newestChange(input) > built);
  return changed ? `${path.relative(PROJECT_DIR, changed)} changed since the last build` : undefined;
}

const reason = reasonToBuild();
if (reason) {
  console.error(`${reason}; running \`npm run build\` first.`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_DIR, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(build.status ?? 1);
}
