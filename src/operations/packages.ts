/**
 * list-packages, describe-package, delete-package. Like CodeArtifact these look only at what the
 * repository stores itself: upstreams are not searched (docs/reference/upstreams.md).
 */
import type { PackageFormat, PackageKey, PackageRecord, Restriction } from '../core/model.js';
import { ResourceNotFoundError, ValidationError } from '../errors.js';
import { normalizeNamespace, normalizePackageName, packageDisplayName, parsePackageFormat } from '../formats/package-names.js';
import type { PackageRef } from '../store/index-store.js';
import type { Store } from '../store/store.js';
import { paginate, type PageRequest } from './pagination.js';
import { requireRepository } from './require-existing.js';

export interface PackageSummary {
  format: PackageFormat;
  namespace?: string;
  package: string;
  originConfiguration: { restrictions: { publish: Restriction; upstream: Restriction } };
}

function summarizePackage(record: PackageRecord): PackageSummary {
  const { publish, upstream } = record.originConfiguration.restrictions;
  return { format: record.format, namespace: record.namespace, package: record.name, originConfiguration: { restrictions: { publish, upstream } } };
}

/** The package's index, or ResourceNotFound naming the repository it is missing from. */
export async function requirePackage(store: Store, key: PackageKey): Promise<PackageRecord> {
  await requireRepository(store, key.domain, key.repository);
  const record = await store.index.getPackage(key);
  if (!record) throw packageNotFound(key);
  return record;
}

export function packageNotFound(key: PackageKey): ResourceNotFoundError {
  return new ResourceNotFoundError(`Package ${packageDisplayName(key)} (${key.format}) does not exist in repository ${key.repository}.`, {
    resourceType: 'package',
    resourceId: packageDisplayName(key),
    hint: `List what is there with \`artifact-cli list-packages --domain ${key.domain} --repository ${key.repository}\`.`,
  });
}

export async function describePackage(store: Store, key: PackageKey) {
  const record = await requirePackage(store, key);
  const { format, namespace, name, originConfiguration } = record;
  return { package: { format, namespace, name, originConfiguration: { restrictions: { ...originConfiguration.restrictions } } } };
}

/** Removes the package with every version; blobs stay until `gc`. */
export async function deletePackage(store: Store, key: PackageKey) {
  // Checked first too, so a mistyped name leaves no lock or directory behind.
  await requirePackage(store, key);
  let deleted: PackageRecord | undefined;
  await store.index.updatePackage(key, (current) => {
    deleted = current;
    return undefined;
  });
  if (!deleted) throw packageNotFound(key);
  return { deletedPackage: summarizePackage(deleted) };
}

export interface ListPackagesInput extends PageRequest {
  domain: string;
  repository: string;
  format?: string;
  /** Prefix match, as CodeArtifact's ListPackages has it. */
  namespace?: string;
  packagePrefix?: string;
  publish?: string;
  upstream?: string;
}

export async function listPackages(store: Store, input: ListPackagesInput) {
  await requireRepository(store, input.domain, input.repository);
  const format = input.format === undefined ? undefined : parsePackageFormat(input.format);
  const publish = checkRestriction('--publish', input.publish);
  const upstream = checkRestriction('--upstream', input.upstream);
  // Without a format the prefixes are compared as typed; with one, as that format stores names.
  const namespacePrefix = input.namespace !== undefined && format ? normalizeNamespace(format, input.namespace) : input.namespace;
  const packagePrefix = input.packagePrefix !== undefined && format ? normalizePackageName(format, input.packagePrefix) : input.packagePrefix;

  // The listing comes sorted by compareRefs, which is the order of these keys.
  const keyOf = (ref: PackageRef) => [ref.format, ref.namespace ?? '', ref.name].join('\u0000');
  const listed = await store.index.listPackages(input.domain, input.repository, format);
  const refs =
    namespacePrefix === undefined && packagePrefix === undefined
      ? listed
      : listed.filter(
          (ref) =>
            (namespacePrefix === undefined || (ref.namespace ?? '').startsWith(namespacePrefix)) &&
            (packagePrefix === undefined || ref.name.startsWith(packagePrefix)),
        );
  // Index files are read only where needed: for the page, and for every candidate only when
  // the origin-control filters must look inside. A first page of a repository of 10,000
  // packages then opens 1,000 files, not 10,000.
  const records = new Map<PackageRef, PackageRecord | undefined>();
  const recordOf = async (ref: PackageRef) => {
    if (!records.has(ref)) records.set(ref, await store.index.getPackage({ domain: input.domain, repository: input.repository, ...ref }));
    return records.get(ref);
  };
  let candidates = refs;
  if (publish || upstream) {
    const matching: PackageRef[] = [];
    for (const candidate of refs) {
      const restrictions = (await recordOf(candidate))?.originConfiguration.restrictions;
      if (restrictions && (!publish || restrictions.publish === publish) && (!upstream || restrictions.upstream === upstream)) matching.push(candidate);
    }
    candidates = matching;
  }
  const page = paginate(candidates, keyOf, input);
  const packages: PackageSummary[] = [];
  for (const candidate of page.items) {
    const record = await recordOf(candidate);
    if (record) packages.push(summarizePackage(record));
  }
  return { packages, nextToken: page.nextToken };
}

function checkRestriction(flag: string, value: string | undefined): Restriction | undefined {
  if (value === undefined) return undefined;
  if (value !== 'ALLOW' && value !== 'BLOCK') throw new ValidationError(`${flag} must be ALLOW or BLOCK; got ${JSON.stringify(value)}.`);
  return value;
}
