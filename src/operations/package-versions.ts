/**
 * list-package-versions and describe-package-version, with CodeArtifact's field names. Only the
 * repository's own records count; upstreams are not searched (docs/reference/upstreams.md).
 */
import { packageFlags } from '../core/command-line.js';
import { compareNatural } from '../core/natural-order.js';
import type { OriginType, PackageKey, PackageRecord, PackageVersionStatus, VersionRecord } from '../core/model.js';
import { validatePackagePart } from '../core/names.js';
import { ResourceNotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { requirePackage } from './packages.js';
import { paginate, type PageRequest } from './pagination.js';
import { packageDisplayName } from '../formats/package-names.js';

export const VERSION_STATUSES: readonly PackageVersionStatus[] = ['Published', 'Unfinished', 'Unlisted', 'Archived', 'Disposed'];
const ORIGIN_TYPES: readonly OriginType[] = ['INTERNAL', 'EXTERNAL', 'UNKNOWN'];

export function parseVersionStatus(flag: string, value: string): PackageVersionStatus {
  if (!VERSION_STATUSES.includes(value as PackageVersionStatus)) {
    throw new ValidationError(`${flag} must be one of ${VERSION_STATUSES.join(', ')}; got ${JSON.stringify(value)}.`);
  }
  return value as PackageVersionStatus;
}

/** Orders versions as people read them: 1.9.0 before 1.10.0. */
const compareVersions = compareNatural;

export function versionNotFound(key: PackageKey, version: string): ResourceNotFoundError {
  return new ResourceNotFoundError(`${packageDisplayName(key)} version ${version} does not exist in repository ${key.repository}.`, {
    resourceType: 'package-version',
    resourceId: `${packageDisplayName(key)}@${version}`,
    hint: `List the versions with \`artifact-cli list-package-versions ${packageFlags(key)}\`.`,
  });
}

/** The package's index and the one version, or ResourceNotFound for whichever is missing. */
export async function requireVersion(store: Store, key: PackageKey, version: string): Promise<{ record: PackageRecord; version: VersionRecord }> {
  validatePackagePart('version', version);
  const record = await requirePackage(store, key);
  const found = Object.hasOwn(record.versions, version) ? record.versions[version] : undefined;
  if (!found) throw versionNotFound(key, version);
  return { record, version: found };
}

/** The newest Published version: what a listing shows when no version is asked for. */
function defaultDisplayVersion(versions: VersionRecord[]): string | undefined {
  const published = versions.filter((version) => version.status === 'Published');
  published.sort((a, b) => (a.publishedTime === b.publishedTime ? compareVersions(a.version, b.version) : a.publishedTime < b.publishedTime ? -1 : 1));
  return published.at(-1)?.version;
}

export interface ListPackageVersionsInput extends PageRequest {
  status?: string;
  sortBy?: string;
  originType?: string;
}

export async function listPackageVersions(store: Store, key: PackageKey, input: ListPackageVersionsInput) {
  const status = input.status === undefined ? undefined : parseVersionStatus('--status', input.status);
  if (input.sortBy !== undefined && input.sortBy !== 'PUBLISHED_TIME') {
    throw new ValidationError(`--sort-by takes only PUBLISHED_TIME; got ${JSON.stringify(input.sortBy)}.`);
  }
  if (input.originType !== undefined && !ORIGIN_TYPES.includes(input.originType as OriginType)) {
    throw new ValidationError(`--origin-type must be one of ${ORIGIN_TYPES.join(', ')}; got ${JSON.stringify(input.originType)}.`);
  }
  const record = await requirePackage(store, key);
  const all = Object.values(record.versions);
  const chosen = all.filter((version) => (!status || version.status === status) && (!input.originType || version.origin.originType === input.originType));
  // Newest first by publish time, else by version; the page token names a position in that order.
  if (input.sortBy === 'PUBLISHED_TIME') {
    chosen.sort((a, b) => (a.publishedTime === b.publishedTime ? compareVersions(b.version, a.version) : a.publishedTime < b.publishedTime ? 1 : -1));
  } else {
    chosen.sort((a, b) => compareVersions(a.version, b.version));
  }
  const positions = new Map(chosen.map((version, index) => [version, String(index).padStart(10, '0')]));
  const page = paginate(chosen, (version) => positions.get(version) as string, input);
  return {
    defaultDisplayVersion: defaultDisplayVersion(all),
    format: record.format,
    namespace: record.namespace,
    package: record.name,
    versions: page.items.map((version) => ({
      version: version.version,
      revision: version.revision,
      status: version.status,
      origin: version.origin,
    })),
    nextToken: page.nextToken,
  };
}

export async function describePackageVersion(store: Store, key: PackageKey, versionName: string) {
  const { record, version } = await requireVersion(store, key, versionName);
  return {
    packageVersion: {
      format: record.format,
      namespace: record.namespace,
      packageName: record.name,
      displayName: packageDisplayName(record),
      version: version.version,
      summary: version.summary,
      homePage: version.homePage,
      sourceCodeRepository: version.sourceCodeRepository,
      publishedTime: version.publishedTime,
      licenses: version.licenses ?? [],
      revision: version.revision,
      status: version.status,
      origin: version.origin,
    },
  };
}
