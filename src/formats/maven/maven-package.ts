/** How a request's coordinates become store keys, and the small rules every Maven handler shares. */
import type { AssetRecord, PackageKey, PackageVersionStatus, VersionRecord } from '../../core/model.js';
import { ResourceNotFoundError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import type { PackageRef } from '../../store/index-store.js';
import type { ChecksumAlgorithm } from './maven-path.js';
import { CHECKSUMS } from './maven-path.js';

/** Versions whose files are served: Unlisted ones too, so builds that pinned them keep working. */
const DOWNLOADABLE = new Set<PackageVersionStatus>(['Published', 'Unlisted']);

export function isDownloadable(version: VersionRecord): boolean {
  return DOWNLOADABLE.has(version.status);
}

export function packageRef(groupId: string, artifactId: string): PackageRef {
  return { format: 'maven', namespace: groupId, name: artifactId };
}

/** The key of the package in the repository the request addressed (or another one of its domain). */
export function packageKey(context: RequestContext, groupId: string, artifactId: string, repository = context.repository.name): PackageKey {
  return { domain: context.domain, repository, ...packageRef(groupId, artifactId) };
}

export function coordinatesText(groupId: string, artifactId: string, version?: string): string {
  return version === undefined ? `${groupId}:${artifactId}` : `${groupId}:${artifactId}:${version}`;
}

export function fileNotFound(context: RequestContext, groupId: string, artifactId: string, version: string, fileName: string): ResourceNotFoundError {
  return new ResourceNotFoundError(
    `${fileName} of ${coordinatesText(groupId, artifactId, version)} is not in repository ${context.repository.name} or its upstreams.`,
    {
      resourceType: 'asset',
      resourceId: fileName,
    },
  );
}

/** The lowercase hex digest of an asset, or undefined for a record that lacks that algorithm. */
export function assetDigest(asset: AssetRecord, algorithm: ChecksumAlgorithm): string | undefined {
  return asset.hashes[CHECKSUMS[algorithm].hash]?.toLowerCase();
}

/** Fields copied when a version found elsewhere is kept in a repository. */
export function versionFields(version: VersionRecord) {
  const { dependencies, summary, homePage, sourceCodeRepository, licenses, readme, formatMetadata } = version;
  return { dependencies, summary, homePage, sourceCodeRepository, licenses, readme, formatMetadata };
}
