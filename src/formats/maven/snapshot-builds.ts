/**
 * A SNAPSHOT version is one version record whose assets are the files of all its timestamped
 * builds (util-1.3.0-20240501.103000-3.jar, ...). Each file kind (classifier + extension)
 * resolves to its newest build. A build becomes visible when the client's maven-metadata.xml
 * upload commits it, so a reader never sees the jar of build 4 with the pom of build 3 while a
 * deploy is half done.
 */
import type { AssetRecord, VersionRecord } from '../../core/model.js';
import { parseFileName, type FileNameParts, type SnapshotBuild } from './maven-path.js';
import { lastUpdatedOf, type SnapshotFileEntry, type SnapshotMetadata } from './metadata-xml.js';

export interface VisibleFile {
  parts: FileNameParts;
  asset: AssetRecord;
}

export interface SnapshotView {
  /** Newest visible file per classifier + extension. */
  files: Map<string, VisibleFile>;
  newest?: SnapshotBuild;
  lastUpdated: string;
}

export function compareBuilds(a: SnapshotBuild, b: SnapshotBuild): number {
  return a.buildNumber - b.buildNumber || (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0);
}

/** The build the last metadata upload committed, as kept in the version's formatMetadata. */
export function committedBuildOf(version: VersionRecord): SnapshotBuild | undefined {
  const value = version.formatMetadata?.committedBuild as Partial<SnapshotBuild> | undefined;
  if (!value || typeof value.timestamp !== 'string' || typeof value.buildNumber !== 'number') return undefined;
  return { timestamp: value.timestamp, buildNumber: value.buildNumber };
}

/** Every timestamped build that has files in the version, oldest first. */
export function storedBuilds(artifactId: string, version: Pick<VersionRecord, 'version' | 'assets'>): SnapshotBuild[] {
  const builds = new Map<string, SnapshotBuild>();
  for (const asset of version.assets) {
    const build = parseFileName(artifactId, version.version, asset.name)?.build;
    if (build) builds.set(`${build.timestamp}-${build.buildNumber}`, build);
  }
  return [...builds.values()].sort(compareBuilds);
}

/**
 * The build a metadata upload commits: the one it announces when its files are here,
 * otherwise the newest stored build (or none when the client uploads plain -SNAPSHOT files).
 */
export function buildToCommit(
  artifactId: string,
  version: Pick<VersionRecord, 'version' | 'assets'>,
  announced?: Partial<SnapshotBuild>,
): SnapshotBuild | undefined {
  const builds = storedBuilds(artifactId, version);
  const match = builds.find((build) => build.timestamp === announced?.timestamp && build.buildNumber === announced?.buildNumber);
  return match ?? builds.at(-1);
}

export function snapshotView(artifactId: string, version: VersionRecord): SnapshotView {
  const committed = committedBuildOf(version);
  const files = new Map<string, VisibleFile>();
  let newest: SnapshotBuild | undefined;
  for (const asset of version.assets) {
    const parts = parseFileName(artifactId, version.version, asset.name);
    if (!parts) continue;
    if (parts.build && committed && compareBuilds(parts.build, committed) > 0) continue;
    const key = fileKind(parts);
    const current = files.get(key);
    // A timestamped build wins over a plain -SNAPSHOT file, and a newer build over an older.
    const wins = !current || (parts.build && (!current.parts.build || compareBuilds(parts.build, current.parts.build) > 0));
    if (wins) files.set(key, { parts, asset });
    if (parts.build && (!newest || compareBuilds(parts.build, newest) > 0)) newest = parts.build;
  }
  const lastUpdated = newest ? newest.timestamp.replace('.', '') : lastUpdatedOf(version.publishedTime);
  return { files, newest, lastUpdated };
}

/** The asset a SNAPSHOT file name stands for: the file itself, or for a plain -SNAPSHOT name the newest build's. */
export function resolveSnapshotAsset(artifactId: string, version: VersionRecord, fileName: string): AssetRecord | undefined {
  const exact = version.assets.find((asset) => asset.name === fileName);
  if (exact) return exact;
  const parts = parseFileName(artifactId, version.version, fileName);
  if (!parts || parts.build) return undefined;
  return snapshotView(artifactId, version).files.get(fileKind(parts))?.asset;
}

export function snapshotMetadata(groupId: string, artifactId: string, version: VersionRecord): SnapshotMetadata {
  const view = snapshotView(artifactId, version);
  const base = version.version.slice(0, -'SNAPSHOT'.length);
  const files: SnapshotFileEntry[] = [...view.files.values()]
    .map(({ parts }) => ({
      classifier: parts.classifier,
      extension: parts.extension,
      value: parts.build ? `${base}${parts.build.timestamp}-${parts.build.buildNumber}` : version.version,
      updated: parts.build ? parts.build.timestamp.replace('.', '') : view.lastUpdated,
    }))
    .sort((a, b) => fileKind(a).localeCompare(fileKind(b)));
  return { groupId, artifactId, version: version.version, snapshot: view.newest, lastUpdated: view.lastUpdated, files };
}

function fileKind(parts: Pick<FileNameParts, 'classifier' | 'extension'>): string {
  return `${parts.classifier ?? ''}\u0000${parts.extension}`;
}
