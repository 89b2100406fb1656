/**
 * The read-only views the web interface shows (docs/web.md): a repository's overview, its
 * packages filtered and sorted a page at a time, a package with all its versions, and a search
 * across repositories. Reads the same index as the list-* and describe-* commands, with the
 * same not-found errors; nothing here writes.
 */
import type { PackageFormat, PackageKey, PackageRecord, VersionRecord } from '../core/model.js';
import { compareNatural } from '../core/natural-order.js';
import { searchOrder } from '../core/upstream-graph.js';
import type { PackageRef } from '../store/index-store.js';
import type { Store } from '../store/store.js';
import { getAssociatedPackageGroup } from './package-groups-association.js';
import { requirePackage } from './packages.js';
import { requireRepository } from './require-existing.js';

export interface RepositoryOverview {
  name: string;
  description?: string;
  upstreams: string[];
  externalConnections: { name: string; format: PackageFormat }[];
  packageCount: number;
  /** Packages per format, only formats that have any. */
  formats: { format: PackageFormat; packages: number }[];
  /** Bytes of the distinct files the repository's own versions hold. */
  assetSizeBytes: number;
}

/** What the repository page shows of a repository: its overview and its package list, ordered by name. */
export interface RepositoryListing {
  overview: RepositoryOverview;
  items: PackageListItem[];
}

/**
 * The overview and the package list in one pass over the package indexes, one at a time. Each
 * index gives a small summary (its list row and asset sizes) that the store keeps while the
 * index is unchanged, so memory holds summaries, never thousands of whole records, and the scan
 * after a publish parses only the changed index. The web interface keeps the answer until an
 * index changes.
 */
export async function repositoryListing(store: Store, domain: string, repository: string): Promise<RepositoryListing> {
  const record = await requireRepository(store, domain, repository);
  const refs = await store.index.listPackages(domain, repository);
  const perFormat = new Map<PackageFormat, number>();
  const sizes = new Map<string, number>();
  const items: PackageListItem[] = [];
  for (const ref of refs) {
    perFormat.set(ref.format, (perFormat.get(ref.format) ?? 0) + 1);
    const summary = await store.index.summarizePackage({ domain, repository, ...ref }, LIST_SUMMARY, (stored) => summaryOf(ref, stored));
    for (const [sha256, size] of summary.assetSizes) sizes.set(sha256, size);
    items.push(summary.item);
  }
  let bytes = 0;
  for (const size of sizes.values()) bytes += size;
  return {
    overview: {
      name: record.name,
      description: record.description,
      upstreams: record.upstreams.map((upstream) => upstream.repositoryName),
      externalConnections: record.externalConnections.map((connection) => ({ name: connection.externalConnectionName, format: connection.packageFormat })),
      packageCount: refs.length,
      formats: [...perFormat].map(([format, packages]) => ({ format, packages })).sort((a, b) => (a.format < b.format ? -1 : 1)),
      assetSizeBytes: bytes,
    },
    items: items.sort(compareByName),
  };
}

const LIST_SUMMARY = 'browse-list-v1';

interface PackageSummary {
  item: PackageListItem;
  /** [SHA-256, bytes] of each distinct file of the package's versions. */
  assetSizes: [string, number][];
}

function summaryOf(ref: PackageRef, record: PackageRecord | undefined): PackageSummary {
  const assetSizes = new Map<string, number>();
  for (const version of Object.values(record?.versions ?? {})) {
    for (const asset of version.assets) assetSizes.set(asset.hashes['SHA-256'], asset.size);
  }
  return { item: itemOf(ref, record), assetSizes: [...assetSizes] };
}

/** The repositories a request for `repository` reads, in the order they are searched (itself first). */
export async function upstreamSearchOrder(
  store: Store,
  domain: string,
  repository: string,
): Promise<{ repository: string; upstreams: string[]; externalConnections: string[] }[]> {
  await requireRepository(store, domain, repository);
  const records = new Map<string, { upstreams: string[]; externalConnections: string[] }>();
  for (const name of await store.index.listRepositories(domain)) {
    const record = await store.index.getRepository(domain, name);
    if (record)
      records.set(name, {
        upstreams: record.upstreams.map((upstream) => upstream.repositoryName),
        externalConnections: record.externalConnections.map((connection) => connection.externalConnectionName),
      });
  }
  return searchOrder(repository, (name) => records.get(name)?.upstreams ?? []).map((name) => ({
    repository: name,
    ...(records.get(name) ?? { upstreams: [], externalConnections: [] }),
  }));
}

export interface PackageListItem {
  format: PackageFormat;
  namespace?: string;
  name: string;
  latestVersion?: string;
  lastPublished?: string;
  versionCount: number;
  summary?: string;
}

export interface PackageFilter {
  format?: PackageFormat;
  /** Case-insensitive parts of the namespace and of the name. */
  namespace?: string;
  name?: string;
  sort?: 'name' | 'published';
  offset?: number;
  limit?: number;
}

/** One page of `items` (as repositoryListing returns them) that pass the filter, and the formats there are. */
export function filterPackageItems(
  items: readonly PackageListItem[],
  filter: PackageFilter,
): { total: number; items: PackageListItem[]; formats: PackageFormat[] } {
  const formats = [...new Set(items.map((item) => item.format))].sort();
  const namespacePart = filter.namespace?.trim().toLowerCase();
  const namePart = filter.name?.trim().toLowerCase();
  let chosen = items.filter(
    (item) =>
      (!filter.format || item.format === filter.format) &&
      (!namespacePart || (item.namespace ?? '').toLowerCase().includes(namespacePart)) &&
      (!namePart || item.name.toLowerCase().includes(namePart) || displayName(item).toLowerCase().includes(namePart)),
  );
  if (filter.sort === 'published') {
    chosen = [...chosen].sort((a, b) =>
      (a.lastPublished ?? '') === (b.lastPublished ?? '') ? compareByName(a, b) : (a.lastPublished ?? '') < (b.lastPublished ?? '') ? 1 : -1,
    );
  }
  const offset = Math.max(0, filter.offset ?? 0);
  const limit = Math.max(1, Math.min(500, filter.limit ?? 50));
  return { total: chosen.length, items: chosen.slice(offset, offset + limit), formats };
}

/** Packages whose name holds `query`, across repositories (with their items from repositoryListing). */
export function searchPackageItems(
  repositories: { repository: string; items: readonly PackageListItem[] }[],
  query: string,
  limit = 100,
): { items: (PackageListItem & { repository: string })[]; more: boolean } {
  const wanted = query.trim().toLowerCase();
  const items: (PackageListItem & { repository: string })[] = [];
  if (!wanted) return { items, more: false };
  for (const { repository, items: all } of repositories) {
    for (const item of filterPackageItems(all, { name: wanted, limit: limit + 1 }).items) items.push({ ...item, repository });
  }
  // Exact names first, then shorter names (closer matches), then by name.
  const rank = (item: PackageListItem) => (item.name.toLowerCase() === wanted ? 0 : 1);
  items.sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length || compareByName(a, b) || (a.repository < b.repository ? -1 : 1));
  return { items: items.slice(0, limit), more: items.length > limit };
}

export interface PackageDetails {
  format: PackageFormat;
  namespace?: string;
  name: string;
  originConfiguration: PackageRecord['originConfiguration'];
  /** Newest first by publish time. */
  versions: VersionRecord[];
  /** The version shown when none is asked for: the newest Published one, else the newest. */
  defaultVersion?: string;
  distTags: Record<string, string>;
  packageGroup: { pattern: string; associationType: string; originRestrictions: Record<string, string> };
}

export async function packageDetails(store: Store, key: PackageKey): Promise<PackageDetails> {
  const record = await requirePackage(store, key);
  const versions = Object.values(record.versions).sort((a, b) =>
    a.publishedTime === b.publishedTime ? compareNatural(b.version, a.version) : a.publishedTime < b.publishedTime ? 1 : -1,
  );
  const rawTags = record.formatMetadata?.['dist-tags'];
  const distTags: Record<string, string> = {};
  if (rawTags && typeof rawTags === 'object') {
    for (const [tag, version] of Object.entries(rawTags)) if (typeof version === 'string') distTags[tag] = version;
  }
  const { packageGroup, associationType } = await getAssociatedPackageGroup(store, key.domain, {
    format: record.format,
    namespace: record.namespace,
    name: record.name,
  });
  const originRestrictions: Record<string, string> = {};
  for (const [type, restriction] of Object.entries(packageGroup.originConfiguration?.restrictions ?? {})) {
    originRestrictions[type] = restriction.effectiveMode ?? restriction.mode;
  }
  return {
    format: record.format,
    namespace: record.namespace,
    name: record.name,
    originConfiguration: record.originConfiguration,
    versions,
    defaultVersion: (versions.find((version) => version.status === 'Published') ?? versions[0])?.version,
    distTags,
    packageGroup: { pattern: packageGroup.pattern, associationType, originRestrictions },
  };
}

function itemOf(ref: PackageRef, record: PackageRecord | undefined): PackageListItem {
  const versions = Object.values(record?.versions ?? {});
  let newest: VersionRecord | undefined;
  for (const version of versions) if (!newest || version.publishedTime > newest.publishedTime) newest = version;
  return {
    format: ref.format,
    namespace: ref.namespace,
    name: ref.name,
    latestVersion: newest?.version,
    lastPublished: newest?.publishedTime,
    versionCount: versions.length,
    summary: newest?.summary,
  };
}

function displayName(ref: PackageRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

function compareByName(a: PackageRef, b: PackageRef): number {
  const left = a.name.toLowerCase();
  const right = b.name.toLowerCase();
  if (left !== right) return left < right ? -1 : 1;
  const ns = (a.namespace ?? '').localeCompare(b.namespace ?? '');
  return ns || (a.format < b.format ? -1 : a.format > b.format ? 1 : 0);
}
