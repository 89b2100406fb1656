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

  /**
   * A package's index. `keep: false` is for scans over a whole repository: a record not already
   * in memory is read for this caller alone, so a scan does not push every index through the
   * shared cache (and hold thousands of them) for one answer.
   */
  getPackage(key: PackageKey, options?: { keep?: boolean }): Promise<PackageRecord | undefined>;
  listPackages(domain: string, repository: string, format?: PackageFormat): Promise<PackageRef[]>;
  updatePackage(key: PackageKey, mutate: Mutation<PackageRecord>): Promise<PackageRecord | undefined>;

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
