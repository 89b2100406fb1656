/**
 * One crate as cargo sees it through a repository: the versions stored along the upstream chain
 * (the nearest record of a version decides its status) and then the lines of the external
 * connection's index. Statuses map onto the index as CodeArtifact documents for Cargo:
 * Published is a line, Unlisted and Archived are yanked lines (a lockfile still names them, new
 * resolution skips them), Unfinished and Disposed are left out. Unlisted and yanked versions
 * stay downloadable; Archived ones do not (CodeArtifact's rule for Archived).
 */
import semver from 'semver';
import type { PackageVersionStatus, VersionRecord } from '../../core/model.js';
import type { PackageSource } from '../../upstream/resolve.js';
import type { ExternalLine } from './external-index.js';
import { storedLineOf, type IndexLine } from './index-line.js';

export interface ViewVersion {
  line: IndexLine;
  yanked: boolean;
  downloadable: boolean;
  stored?: { repository: string; record: VersionRecord };
  external?: ExternalLine;
}

const LISTED: readonly PackageVersionStatus[] = ['Published', 'Unlisted', 'Archived'];

/** A SemVer 2.0 version written exactly (no 'v', '=' or spaces); build metadata allowed. */
export function isCrateVersion(version: string): boolean {
  return /^\d/.test(version) && version.trim() === version && semver.parse(version) !== null;
}

/** Versions equal but for build metadata are one version to cargo. */
export function versionIdentity(version: string): string {
  return version.split('+')[0];
}

export function buildCrateView(sources: readonly PackageSource[], external: readonly ExternalLine[] = []): ViewVersion[] {
  const decided = new Map<string, ViewVersion | undefined>();
  for (const source of sources) {
    for (const record of Object.values(source.record.versions)) {
      const identity = versionIdentity(record.version);
      if (decided.has(identity)) continue;
      const line = storedLineOf(record);
      decided.set(
        identity,
        line && LISTED.includes(record.status)
          ? { line, yanked: record.status !== 'Published', downloadable: record.status !== 'Archived', stored: { repository: source.repository, record } }
          : undefined,
      );
    }
  }
  for (const entry of external) {
    const identity = versionIdentity(entry.line.vers);
    if (!decided.has(identity)) decided.set(identity, { line: entry.line, yanked: entry.yanked, downloadable: true, external: entry });
  }
  const versions = [...decided.values()].filter((entry): entry is ViewVersion => entry !== undefined);
  return versions.sort((a, b) => semver.compare(a.line.vers, b.line.vers));
}

export function findViewVersion(view: readonly ViewVersion[], version: string): ViewVersion | undefined {
  const identity = versionIdentity(version);
  return view.find((entry) => versionIdentity(entry.line.vers) === identity);
}
