/** Reads whichever npm-family lockfile it is given. */
import path from 'node:path';
import { ValidationError } from '../../../errors.js';
import type { LockedPackage } from './locked-package.js';
import { parsePackageLock } from './package-lock.js';
import { parsePnpmLock } from './pnpm-lock.js';
import { parseYarnLock } from './yarn-lock.js';

export type { LockedPackage } from './locked-package.js';

export function parseLockfile(file: string, text: string): LockedPackage[] {
  const base = path.basename(file);
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json' || base.endsWith('.json')) return parsePackageLock(text, file);
  if (base === 'yarn.lock') return parseYarnLock(text, file);
  if (base === 'pnpm-lock.yaml' || base.endsWith('.yaml') || base.endsWith('.yml')) return parsePnpmLock(text, file);
  throw new ValidationError(`${file} is not a lockfile artifact-cli reads.`, {
    hint: 'Use package-lock.json, npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml.',
  });
}
