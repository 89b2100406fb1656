/**
 * The releases of a package as a repository serves them: its own versions and its upstream
 * repositories' (nearest first, as CodeArtifact searches them; Swift has no external
 * connection). Published versions are listed; Unlisted ones are not listed but still served,
 * so resolved Package.resolved files keep working; Archived and Disposed ones are gone (410, and
 * listed with that problem so clients know to skip them).
 */
import type { AssetRecord, PackageVersionStatus, VersionRecord } from '../../core/model.js';
import { ResourceNotFoundError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { resolvePackageChain } from '../../upstream/resolve.js';
import { compareVersionsDescending, identifierOf, type SwiftPackage } from './identity.js';
import { GoneError } from './problem.js';

/** What a Swift version keeps in formatMetadata. */
export interface SwiftVersionMetadata {
  /** Scope and name as first published (the stored key is lowercased). */
  scope: string;
  name: string;
  /** The publish's metadata document, served back as is. */
  metadata: Record<string, unknown>;
  repositoryUrls: string[];
  archiveAsset: string;
  manifests: { fileName: string; swiftVersion?: string; toolsVersion?: string }[];
  signing?: { signatureBase64Encoded: string; signatureFormat: string };
  metadataSigning?: { signatureBase64Encoded: string; signatureFormat: string };
}

export interface Release {
  version: VersionRecord;
  /** The repository that holds it. */
  repository: string;
}

export interface PackageReleases {
  /** Every version reachable here, nearest holder first. */
  all: Map<string, Release>;
  /** Published ones, newest first. */
  listed: string[];
  /** Archived and Disposed ones, newest first: listed with a 410 problem, as the specification asks. */
  gone: string[];
}

const LISTED: readonly PackageVersionStatus[] = ['Published'];
const SERVED: readonly PackageVersionStatus[] = ['Published', 'Unlisted'];
const GONE: readonly PackageVersionStatus[] = ['Archived', 'Disposed'];

export function swiftMetadataOf(version: VersionRecord): SwiftVersionMetadata {
  return version.formatMetadata as unknown as SwiftVersionMetadata;
}

export async function loadReleases(context: RequestContext, pkg: SwiftPackage): Promise<PackageReleases> {
  const { key } = pkg;
  const { sources } = await resolvePackageChain(context.deps.store, context.domain, context.repository, {
    format: 'swift',
    namespace: key.namespace,
    name: key.name,
  });
  const all = new Map<string, Release>();
  for (const source of sources) {
    for (const [name, version] of Object.entries(source.record.versions)) {
      if (!all.has(name) && version.formatMetadata) all.set(name, { version, repository: source.repository });
    }
  }
  const listed = [...all.values()].filter((release) => LISTED.includes(release.version.status)).map((release) => release.version.version);
  listed.sort(compareVersionsDescending);
  const gone = [...all.values()].filter((release) => GONE.includes(release.version.status)).map((release) => release.version.version);
  gone.sort(compareVersionsDescending);
  return { all, listed, gone };
}

export function packageNotFound(pkg: SwiftPackage): ResourceNotFoundError {
  return new ResourceNotFoundError(`Package ${identifierOf(pkg.scope, pkg.name)} has no releases here.`, {
    resourceType: 'package',
    resourceId: identifierOf(pkg.scope, pkg.name),
  });
}

/** The release to serve, or the 404 / 410 SwiftPM expects. */
export function servedRelease(releases: PackageReleases, pkg: SwiftPackage, version: string): Release {
  const release = releases.all.get(version);
  const id = `${identifierOf(pkg.scope, pkg.name)} ${version}`;
  if (!release)
    throw new ResourceNotFoundError(`Release ${id} is not in this repository or its upstreams.`, { resourceType: 'package-version', resourceId: id });
  if (!SERVED.includes(release.version.status)) throw new GoneError(goneDetail(id, release), { resourceType: 'package-version', resourceId: id });
  return release;
}

export function goneDetail(id: string, release: Release): string {
  return `Release ${id} is ${release.version.status.toLowerCase()} and can no longer be downloaded.`;
}

export function assetNamed(release: Release, name: string): AssetRecord | undefined {
  return release.version.assets.find((asset) => asset.name === name);
}

/** The archive's file name: `LinkedList-1.1.1.zip`, as the specification's examples name it. */
export function archiveFileName(name: string, version: string): string {
  return `${name}-${version}.zip`;
}
