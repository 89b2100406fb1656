/** Where records live. The filesystem version is the default; a database can replace it. */
import type { DomainRecord, PackageFormat, PackageKey, PackageRecord, RepositoryRecord } from '../core/model.js';
import type { PackageGroupsFile } from '../core/package-group-origin.js';
import type { StoredPolicy } from '../core/permissions-policy.js';

/** A change applied under the index's lock: return the new record, or undefined to delete it. */
export type Mutation<T> = (current: T | undefined) => T | undefined | Promise<T | undefined>;

export interface PackageRef {
  format: PackageFormat;
  namespace?: string;
  name: string;
}

/** The order of listPackages: format, then namespace (none first), then name, by UTF-16 code unit. */
export function compareRefs(a: PackageRef, b: PackageRef): number {
  return compareText(a.format, b.format) || compareText(a.namespace ?? '', b.namespace ?? '') || compareText(a.name, b.name);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TokenRecord {
  /** SHA-256 of the token, hex. The token itself is never stored. */
  hash: string;
  principal: string;
  createdTime: string;
  expiration: string;
}

export interface TokensFile {
  tokens: TokenRecord[];
}

export interface IndexStore {
  readonly root: string;
  getDomain(domain: string): Promise<DomainRecord | undefined>;
  /** The domains that have a record; leftovers of a deleted one are not among them. */
  listDomains(): Promise<string[]>;
  updateDomain(domain: string, mutate: Mutation<DomainRecord>): Promise<DomainRecord | undefined>;
  /** Removes what a deleted domain of this name left behind (writes that landed while it went). */
  removeDomainLeftovers(domain: string): Promise<void>;

  getRepository(domain: string, repository: string): Promise<RepositoryRecord | undefined>;
  /** The repositories that have a record; leftovers of a deleted one are not among them. */
  listRepositories(domain: string): Promise<string[]>;
  updateRepository(domain: string, repository: string, mutate: Mutation<RepositoryRecord>): Promise<RepositoryRecord | undefined>;
  /** Removes the repository with every package index it holds (or what a deleted one left behind). */
  removeRepository(domain: string, repository: string): Promise<void>;

  getPackage(key: PackageKey): Promise<PackageRecord | undefined>;
  /**
   * `summarize` of a package's index, kept while that index is unchanged (`kind` names what
   * summarize makes): for views over every package, which then re-read only changed indexes.
   * The whole record is read for this call alone, never kept, so a scan of thousands of
   * indexes holds one record at a time, not the shared cache full of them.
   */
  summarizePackage<T>(key: PackageKey, kind: string, summarize: (record: PackageRecord | undefined) => T): Promise<T>;
  /**
   * Every package the repository stores (of `format` only, when given), sorted by compareRefs.
   * Shared and frozen: a caller that wants another order or a subset makes its own array.
   */
  listPackages(domain: string, repository: string, format?: PackageFormat): Promise<readonly PackageRef[]>;
  /** `renameAfter`: the new index replaces the old only once this settles well (see writeJsonFileAtomic). */
  updatePackage(key: PackageKey, mutate: Mutation<PackageRecord>, options?: { renameAfter?: Promise<unknown> }): Promise<PackageRecord | undefined>;

  getTokens(domain: string): Promise<TokensFile>;
  updateTokens(domain: string, mutate: (current: TokensFile) => TokensFile): Promise<TokensFile>;

  /** The domain's package groups; undefined until a group is created or the root group changed. */
  getPackageGroups(domain: string): Promise<PackageGroupsFile | undefined>;
  updatePackageGroups(domain: string, mutate: Mutation<PackageGroupsFile>): Promise<PackageGroupsFile | undefined>;

  /** The permissions policy of the domain, or of one of its repositories when `repository` is given. */
  getPermissionsPolicy(domain: string, repository?: string): Promise<StoredPolicy | undefined>;
  updatePermissionsPolicy(domain: string, repository: string | undefined, mutate: Mutation<StoredPolicy>): Promise<StoredPolicy | undefined>;

  /** Runs `work` while no other process changes the set of repositories or their upstreams. */
  withDomainLock<T>(domain: string, work: () => Promise<T>): Promise<T>;

  /** The file that holds a package index, for messages and cache invalidation. */
  packageLocation(key: PackageKey): string;
}
