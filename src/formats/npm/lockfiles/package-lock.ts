/** package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3. */
import { ValidationError } from '../../../errors.js';
import { uniqueLocked, type LockedPackage } from './locked-package.js';

interface V1Dependency {
  version?: string;
  integrity?: string;
  bundled?: boolean;
  dependencies?: Record<string, V1Dependency>;
}

interface PackageLock {
  lockfileVersion?: number;
  packages?: Record<string, { version?: string; integrity?: string; link?: boolean; bundled?: boolean; inBundle?: boolean; name?: string; resolved?: string }>;
  dependencies?: Record<string, V1Dependency>;
}

export function parsePackageLock(text: string, file: string): LockedPackage[] {
  let lock: PackageLock;
  try {
    lock = JSON.parse(text) as PackageLock;
  } catch {
    throw new ValidationError(`${file} is not valid JSON.`);
  }
  if (typeof lock !== 'object' || lock === null) throw new ValidationError(`${file} is not a package-lock.json.`);
  const found: LockedPackage[] = [];
  if (lock.packages) {
    for (const [location, entry] of Object.entries(lock.packages)) {
      // "" is the project itself; links and bundled copies are not fetched from a registry.
      if (location === '' || entry.link || entry.inBundle || entry.bundled || !entry.version) continue;
      if (entry.resolved && !/^https?:/.test(entry.resolved)) continue;
      const name = entry.name ?? nameFromLocation(location);
      if (name) found.push({ name, version: entry.version, integrity: entry.integrity });
    }
  } else if (lock.dependencies) {
    const walk = (dependencies: Record<string, V1Dependency>) => {
      for (const [folder, entry] of Object.entries(dependencies)) {
        // An alias records "npm:<real name>@<version>" under the folder name it installs to.
        const alias = /^npm:(@?[^@]+)@(.+)$/.exec(entry.version ?? '');
        const [name, version] = alias ? [alias[1], alias[2]] : [folder, entry.version];
        if (version && !entry.bundled && !/^(file|git|link|https?)[:+]/.test(version)) found.push({ name, version, integrity: entry.integrity });
        if (entry.dependencies) walk(entry.dependencies);
      }
    };
    walk(lock.dependencies);
  } else {
    throw new ValidationError(`${file} lists no packages.`);
  }
  return uniqueLocked(found);
}

/** "node_modules/a/node_modules/@s/b" -> "@s/b". */
function nameFromLocation(location: string): string | undefined {
  const marker = 'node_modules/';
  const index = location.lastIndexOf(marker);
  return index < 0 ? undefined : location.slice(index + marker.length);
}
