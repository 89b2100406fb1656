/** list-package-version-assets, get-package-version-readme, list-package-version-dependencies. */
import type { PackageKey, PackageRecord, VersionRecord } from '../core/model.js';
import { formatRules } from '../formats/registry.js';
import type { Store } from '../store/store.js';
import { requireVersion } from './package-versions.js';
import { paginate, type PageRequest } from './pagination.js';

/** The fields every per-version answer starts with. */
function versionHeader(record: PackageRecord, version: VersionRecord) {
  return { format: record.format, namespace: record.namespace, package: record.name, version: version.version, versionRevision: version.revision };
}

/** Pages over a list in its stored order: the token names a position. */
function pageInOrder<T>(items: readonly T[], request: PageRequest) {
  const positions = new Map(items.map((item, index) => [item, String(index).padStart(10, '0')]));
  return paginate(items, (item) => positions.get(item) as string, request);
}

export async function listPackageVersionAssets(store: Store, key: PackageKey, versionName: string, request: PageRequest) {
  const { record, version } = await requireVersion(store, key, versionName);
  const page = pageInOrder(formatRules(record.format).presentAssets(version.assets), request);
  return {
    ...versionHeader(record, version),
    assets: page.items.map((asset) => ({ name: asset.name, size: asset.size, hashes: asset.hashes })),
    nextToken: page.nextToken,
  };
}

export async function getPackageVersionReadme(store: Store, key: PackageKey, versionName: string) {
  const { record, version } = await requireVersion(store, key, versionName);
  return { ...versionHeader(record, version), readme: version.readme };
}

/** CodeArtifact takes only nextToken here, no maxResults. */
export async function listPackageVersionDependencies(store: Store, key: PackageKey, versionName: string, request: Pick<PageRequest, 'nextToken'>) {
  const { record, version } = await requireVersion(store, key, versionName);
  const page = pageInOrder(version.dependencies ?? [], { nextToken: request.nextToken });
  return {
    ...versionHeader(record, version),
    dependencies: page.items.map((dependency) => ({
      dependencyType: dependency.dependencyType,
      namespace: dependency.namespace,
      package: dependency.package,
      versionRequirement: dependency.versionRequirement,
    })),
    nextToken: page.nextToken,
  };
}
