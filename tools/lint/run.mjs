#!/usr/bin/env node
// `npm run lint`: installs the linters of tools/lint from their own lockfile when they are
// missing or older than it, runs ESLint on the project with eslint.config.mjs, and checks that
// Prettier (.prettierrc.json) would leave every file as it is; `npm run format` rewrites them.
// The linters live apart from the project's dependencies because typescript-eslint needs
// TypeScript 6 (a TypeScript with a JavaScript API), and the project compiles with TypeScript 7;
// in one node_modules the two would be one package.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LINT_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_DIR = path.resolve(LINT_DIR, '..', '..');
const LOCKFILE = path.join(LINT_DIR, 'package-lock.json');
const INSTALLED = path.join(LINT_DIR, 'node_modules', '.package-lock.json');
const shell = process.platform === 'win32';

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(INSTALLED) || statSync(INSTALLED).mtimeMs < statSync(LOCKFILE).mtimeMs) {
  console.error('Installing the linters in tools/lint (npm ci).');
  run('npm', ['ci', '--no-audit', '--no-fund'], LINT_DIR);
}
// What Prettier formats: the code, not the docs (their tables and wrapped prose are written by hand).
const FORMATTED = ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.{mjs,ts}', 'bench/*.mjs', 'bin/*.js', 'tools/lint/*.mjs', '*.{ts,mjs}'];
const prettier = path.join(LINT_DIR, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

if (process.argv[2] === '--format') {
  // `npm run format`: rewrite the files in Prettier's form.
  run(process.execPath, [prettier, '--write', '--log-level', 'warn', ...FORMATTED], PROJECT_DIR);
} else {
  run(process.execPath, [path.join(LINT_DIR, 'node_modules', 'eslint', 'bin', 'eslint.js'), ...process.argv.slice(2)], PROJECT_DIR);
  run(process.execPath, [prettier, '--check', '--log-level', 'warn', ...FORMATTED], PROJECT_DIR);
}
