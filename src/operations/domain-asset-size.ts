/**
 * A domain's assetSizeBytes (the bytes of the distinct blobs its repositories reference)
 * without reading every package on each DescribeDomain. A sampling process (the server) keeps
 * each package's assets in memory and, while no other process wrote (the change marker's shared
 * epoch is unchanged), reads again only the packages it changed itself since the last answer.
 * Anything else (another process's write, a repository or package removed) rebuilds it all.
 * A one-shot command, which does not sample, keeps its last answer on disk instead
 * (domain-asset-size-file.ts).
 */
import type { PackageFormat, PackageRecord } from '../core/model.js';
import { assetPairs, distinctBytes, type AssetPairs } from './asset-pairs.js';
import type { Store } from '../store/store.js';
import { keptDomainAssetSizeBytes } from './domain-asset-size-file.js';

/** Assets as [sha256, size] pairs, by repository, by package (packageScope without the domain). */
type PackageAssets = Map<string, Map<string, AssetPairs>>;

interface DomainSizes {
  sharedEpoch: number;
  epoch: number;
  repositories: string;
  packages: PackageAssets;
}

const kept = new WeakMap<Store, Map<string, DomainSizes>>();

export async function domainAssetSizeBytes(store: Store, domain: string, repositories: string[]): Promise<number> {
  const { epoch, sharedEpoch } = store.changes;
  if (epoch === undefined || sharedEpoch === undefined) return keptDomainAssetSizeBytes(store, domain, repositories);
  let domains = kept.get(store);
  if (!domains) kept.set(store, (domains = new Map<string, DomainSizes>()));
  const listed = repositories.join('\n');
  let sizes = domains.get(domain);
  if (!sizes || sizes.sharedEpoch !== sharedEpoch || sizes.repositories !== listed) {
    // The epochs are taken before reading: a change made meanwhile is read again next time.
    sizes = { sharedEpoch, epoch, repositories: listed, packages: await readAll(store, domain, repositories) };
    domains.set(domain, sizes);
  } else if (sizes.epoch !== epoch) {
    const prefix = `${domain}\n`;
    const changed = store.changes.packagesChangedSince(sizes.epoch).filter((scope) => scope.startsWith(prefix));
    sizes.epoch = epoch;
    for (const scope of changed) await readPackage(store, domain, repositories, scope.slice(prefix.length), sizes.packages);
  }
  return distinctBytes(everyList(sizes.packages));
}

async function readAll(store: Store, domain: string, repositories: string[]): Promise<PackageAssets> {
  const packages: PackageAssets = new Map();
  for (const repository of repositories) {
    for (const ref of await store.index.listPackages(domain, repository)) {
      // Through derived rows, not the shared cache: a scan of 10,000 indexes then holds their
      // asset pairs, not thousands of whole parsed records.
      const assets = await store.index.summarizePackage({ domain, repository, ...ref }, ASSET_PAIRS, pairsIfAny);
      setAssets(packages, `${ref.format}\n${ref.namespace ?? ''}\n${ref.name}`, repository, assets);
    }
  }
  return packages;
}

/** `name`: format, namespace and name as packageScope joins them. */
async function readPackage(store: Store, domain: string, repositories: string[], name: string, packages: PackageAssets): Promise<void> {
  const [format, namespace, packageName] = name.split('\n');
  for (const repository of repositories) {
    const key = { domain, repository, format: format as PackageFormat, namespace: namespace || undefined, name: packageName };
    setAssets(packages, name, repository, await store.index.summarizePackage(key, ASSET_PAIRS, pairsIfAny));
  }
}

const ASSET_PAIRS = 'domain-asset-pairs';

/** The package's asset pairs; undefined when the package is gone. */
function pairsIfAny(record: PackageRecord | undefined): AssetPairs | undefined {
  return record && assetPairs(record);
}

function setAssets(packages: PackageAssets, name: string, repository: string, assets: AssetPairs | undefined): void {
  let byRepository = packages.get(name);
  if (!assets) {
    byRepository?.delete(repository);
    if (byRepository?.size === 0) packages.delete(name);
    return;
  }
  if (!byRepository) packages.set(name, (byRepository = new Map<string, AssetPairs>()));
  byRepository.set(repository, assets);
}

function* everyList(packages: PackageAssets): Iterable<AssetPairs> {
  for (const byRepository of packages.values()) yield* byRepository.values();
}
