/** pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. */
import { ValidationError } from '../../../errors.js';
import { uniqueLocked, type LockedPackage } from './locked-package.js';
import { parseLockfileYaml } from './lockfile-yaml.js';

interface PnpmLock {
  lockfileVersion?: string | number;
  packages?: Record<string, { resolution?: { integrity?: string; tarball?: string }; name?: string; version?: string }>;
}

export function parsePnpmLock(text: string, file: string): LockedPackage[] {
  const lock = parseLockfileYaml(text, file) as PnpmLock;
  if (!lock || typeof lock !== 'object') throw new ValidationError(`${file} is not a pnpm lockfile.`);
  const found: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    // Local and git packages carry a tarball or directory resolution instead of an integrity.
    if (entry?.resolution && !entry.resolution.integrity) continue;
    const parsed = parseKey(key);
    if (!parsed) continue;
    found.push({ name: entry?.name ?? parsed.name, version: entry?.version ?? parsed.version, integrity: entry?.resolution?.integrity });
  }
  return uniqueLocked(found);
}

/** "/@s/a/1.0.0" (v5), "/@s/a@1.0.0(peer@2)" (v6), "@s/a@1.0.0(peer@2)" (v9). */
function parseKey(key: string): { name: string; version: string } | undefined {
  const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
  const at = bare.lastIndexOf('@');
  if (at > 0) return { name: bare.slice(0, at), version: bare.slice(at + 1) };
  const slash = bare.lastIndexOf('/');
  if (slash > 0) return { name: bare.slice(0, slash), version: bare.slice(slash + 1) };
  return undefined;
}
