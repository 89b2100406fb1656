/**
 * Putting versions into a repository: the one path every format's publish takes, so origin
 * controls, conflicts and revisions behave the same everywhere.
 */
import type { AssetRecord, OriginRestrictions, PackageKey, PackageRecord, PackageVersionStatus, VersionRecord } from '../core/model.js';
import { validatePackagePart } from '../core/names.js';
import { packageFlags } from '../core/command-line.js';
import { withRevision } from '../core/revision.js';
import { AccessDeniedError, ConflictError, UpstreamError, ValidationError } from '../errors.js';
import { packageDisplayName } from '../formats/package-names.js';
import type { Store } from '../store/store.js';
import { checkGroupAllowsEntry } from './package-groups-enforcement.js';

export { packageDisplayName };

/**
 * Every version of a package lives in the package's one index file, which is read and written
 * whole on every change. A version listing 50,000 dependencies made that file 3 MB bigger and
 * every later publish to the package pay for it; real packages list at most a few thousand
 * (counting every extra, target framework and scope), so this leaves room and bounds the rest.
 */
export const MAX_DEPENDENCIES_PER_VERSION = 10_000;

/** CodeArtifact's defaults when a package's first version is published directly. */
export const PUBLISHED_FIRST: OriginRestrictions = { publish: 'ALLOW', upstream: 'BLOCK' };
/** ... and when its first version arrives from an upstream or external connection. */
export const INGESTED_FIRST: OriginRestrictions = { publish: 'BLOCK', upstream: 'ALLOW' };

export interface NewVersion {
  version: string;
  status?: PackageVersionStatus;
  assets: AssetRecord[];
  dependencies?: VersionRecord['dependencies'];
  summary?: string;
  homePage?: string;
  sourceCodeRepository?: string;
  licenses?: VersionRecord['licenses'];
  readme?: string;
  formatMetadata?: Record<string, unknown>;
}

export interface PublishOptions {
  /** Changes package-level metadata (e.g. npm dist-tags) in the same locked write. */
  updatePackageMetadata?: (current: Record<string, unknown> | undefined) => Record<string, unknown> | undefined;
  now?: Date;
}

export function emptyPackage(key: PackageKey, restrictions: OriginRestrictions): PackageRecord {
  return { format: key.format, namespace: key.namespace, name: key.name, originConfiguration: { restrictions }, versions: {} };
}

/** Refuses a direct publish that the package's origin controls block. */
export function checkPublishAllowed(key: PackageKey, record: PackageRecord | undefined): void {
  if (record?.originConfiguration.restrictions.publish === 'BLOCK') {
    throw new AccessDeniedError(`Publishing ${packageDisplayName(key)} into ${key.repository} is blocked by the package's origin controls (publish=BLOCK).`, {
      hint: `If this is intended, allow it with \`artifact-cli put-package-origin-configuration ${packageFlags(key)} --restrictions publish=ALLOW,upstream=BLOCK\`.`,
      resourceType: 'package',
      resourceId: packageDisplayName(key),
    });
  }
}

/**
 * Refuses a version that declares more dependencies than MAX_DEPENDENCIES_PER_VERSION: a
 * client's publish is a 400; a version an upstream offers is not taken in (502).
 */
export function checkDependencyCount(key: PackageKey, version: string, count: number, from: 'publish' | 'upstream' = 'publish'): void {
  if (count <= MAX_DEPENDENCIES_PER_VERSION) return;
  const limit = `a version may declare at most ${MAX_DEPENDENCIES_PER_VERSION}`;
  if (from === 'upstream') {
    throw new UpstreamError(
      `The upstream's ${packageDisplayName(key)} ${version} declares ${count} dependencies; ${limit}, so it is not taken into ${key.repository}.`,
    );
  }
  throw new ValidationError(`${packageDisplayName(key)} ${version} declares ${count} dependencies; ${limit}.`);
}

/** Adds a complete new version, published directly (origin INTERNAL). */
export async function publishPackageVersion(store: Store, key: PackageKey, input: NewVersion, options: PublishOptions = {}): Promise<VersionRecord> {
  validatePackagePart('package', key.name);
  if (key.namespace !== undefined) validatePackagePart('namespace', key.namespace);
  validatePackagePart('version', input.version);
  checkDependencyCount(key, input.version, input.dependencies?.length ?? 0);
  const now = (options.now ?? new Date()).toISOString();
  await checkGroupAllowsEntry(store, key, 'PUBLISH');
  let published: VersionRecord | undefined;
  await store.index.updatePackage(key, (current) => {
    checkPublishAllowed(key, current);
    if (current?.versions[input.version]) {
      throw new ConflictError(`${packageDisplayName(key)} version ${input.version} already exists in repository ${key.repository}.`, {
        hint: 'Publish a new version number; published versions never change.',
        resourceType: 'package-version',
        resourceId: `${packageDisplayName(key)}@${input.version}`,
      });
    }
    const base = current ? structuredClone(current) : emptyPackage(key, PUBLISHED_FIRST);
    published = withRevision({
      ...input,
      status: input.status ?? 'Published',
      publishedTime: now,
      origin: { domainEntryPoint: { repositoryName: key.repository }, originType: 'INTERNAL' },
    });
    base.versions[input.version] = published;
    if (options.updatePackageMetadata) base.formatMetadata = options.updatePackageMetadata(base.formatMetadata);
    return base;
  });
  return published as VersionRecord;
}
