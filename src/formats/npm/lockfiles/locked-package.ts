/** One exact package version a lockfile pins. */
export interface LockedPackage {
  name: string;
  version: string;
  /** The SRI integrity the lockfile recorded, when it has one. */
  integrity?: string;
}

/** Deduplicates by name@version, keeping the first integrity seen. */
export function uniqueLocked(packages: Iterable<LockedPackage>): LockedPackage[] {
  const seen = new Map<string, LockedPackage>();
  for (const entry of packages) {
    const id = `${entry.name}@${entry.version}`;
    if (!seen.has(id)) seen.set(id, entry);
  }
  return [...seen.values()];
}
