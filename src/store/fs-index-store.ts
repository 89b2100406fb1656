/** The filesystem IndexStore: one JSON file per record, laid out as docs/storage.md describes. */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { decodePathSegment, DIRECTORY_SEGMENT_MAX, isHashedSegment, storedSegment, validateDomainName, validateRepositoryName } from '../core/names.js';
import type { DomainRecord, PackageFormat, PackageKey, PackageRecord, RepositoryRecord } from '../core/model.js';
import type { PackageGroupsFile } from '../core/package-group-origin.js';
import type { StoredPolicy } from '../core/permissions-policy.js';
import { compareRefs, type IndexStore, type Mutation, type PackageRef, type TokensFile } from './index-store.js';
import { ChangeMarker, packageScope } from './change-marker.js';
import { JsonFileCache } from './json-file-cache.js';
import { ListingMemo } from './listing-memo.js';
import { readJsonFileSync, writeJsonFileAtomic } from './json-file.js';
import { withFileLock } from './lock.js';

const NO_NAMESPACE = '_';
// What a domain's directory holds besides its record and the locks.
const DOMAIN_CONTENTS = ['tokens.json', 'permissions-policy.json', 'package-groups.json', 'repositories', 'asset-sizes.json'];

export class FsIndexStore implements IndexStore {
  private readonly cache: JsonFileCache;
  // Validating a name and joining paths costs more than the cached read they lead to.
  private readonly directories = new BoundedMemo<string>(4096);
  // tmp/: where lock holder files go (gc and the server's shutdown clear leftovers) and where a
  // running server keeps the empty files index writes go into (temp-file-pool.ts).
  private readonly tmpDir: string;
  private readonly lockOptions: { holderDir: string };
  private readonly listings = new ListingMemo();

  /**
   * `formats`: the formats whose directories listPackages reads (the registry's, given by whoever
   * opens the store, since the store does not know the formats); every directory when not given.
   */
  constructor(
    readonly root: string,
    private readonly changes = new ChangeMarker(root),
    private readonly formats?: readonly PackageFormat[],
  ) {
    this.cache = new JsonFileCache(changes);
    this.tmpDir = path.join(root, 'tmp');
    this.lockOptions = { holderDir: this.tmpDir };
  }

  private domainDir(domain: string): string {
    return this.directories.get(`d\0${domain}`, () => path.join(this.root, 'domains', validateDomainName(domain)));
  }

  private repositoryDir(domain: string, repository: string): string {
    return this.directories.get(`r\0${domain}\0${repository}`, () => path.join(this.domainDir(domain), 'repositories', validateRepositoryName(repository)));
  }

  packageLocation(key: PackageKey): string {
    const namespace = key.namespace === undefined ? NO_NAMESPACE : storedSegment(key.namespace, DIRECTORY_SEGMENT_MAX);
    // Every piece is validated or encoded into one path segment that fits a file name with the
    // lock and temp suffixes, so joining by hand is safe.
    return `${this.repositoryDir(key.domain, key.repository)}${path.sep}packages${path.sep}${key.format}${path.sep}${namespace}${path.sep}${storedSegment(key.name)}.json`;
  }

  getDomain(domain: string): Promise<DomainRecord | undefined> {
    return this.cache.read<DomainRecord>(`${this.domainDir(domain)}${path.sep}domain.json`);
  }

  /** Only directories holding a domain record (see listRepositories). */
  async listDomains(): Promise<string[]> {
    const dir = path.join(this.root, 'domains');
    return (await listDirs(dir)).filter((name) => existsSync(path.join(dir, name, 'domain.json')));
  }

  updateDomain(domain: string, mutate: Mutation<DomainRecord>): Promise<DomainRecord | undefined> {
    return this.update(path.join(this.domainDir(domain), 'domain.json'), mutate, async () => {
      // Aside first, as a repository: a write landing meanwhile (a token being issued) would
      // otherwise make files in the directory while it is being removed, and the removal fail.
      const doomed = await moveAside(this.domainDir(domain), path.join(this.root, 'domains'), domain);
      if (doomed) await fs.rm(doomed, { recursive: true, force: true });
    });
  }

  /**
   * Removes what a deleted domain of this name left behind: the files that writes landing while
   * it was being deleted made again (a token issued at that moment, a policy, package groups, a
   * repository's index). Each goes aside first, so readers never see half of one.
   */
  async removeDomainLeftovers(domain: string): Promise<void> {
    const dir = this.domainDir(domain);
    let removed = false;
    for (const name of DOMAIN_CONTENTS) {
      const doomed = await moveAside(path.join(dir, name), dir, name);
      if (!doomed) continue;
      removed = true;
      await fs.rm(doomed, { recursive: true, force: true });
    }
    if (removed) await this.changes.recordChange('tree');
  }

  getRepository(domain: string, repository: string): Promise<RepositoryRecord | undefined> {
    return this.cache.read<RepositoryRecord>(`${this.repositoryDir(domain, repository)}${path.sep}repository.json`);
  }

  /**
   * Only directories holding a repository record: a publish that lands while its repository is
   * being deleted makes the directories of its index again, and those leftovers are no
   * repository (createRepository clears them when the name is taken anew).
   */
  async listRepositories(domain: string): Promise<string[]> {
    const dir = path.join(this.domainDir(domain), 'repositories');
    return (await listDirs(dir)).filter((name) => existsSync(path.join(dir, name, 'repository.json')));
  }

  updateRepository(domain: string, repository: string, mutate: Mutation<RepositoryRecord>): Promise<RepositoryRecord | undefined> {
    return this.update(path.join(this.repositoryDir(domain, repository), 'repository.json'), mutate);
  }

  async removeRepository(domain: string, repository: string): Promise<void> {
    // Aside first so readers never see a repository that is half gone.
    const doomed = await moveAside(this.repositoryDir(domain, repository), this.domainDir(domain), repository);
    if (!doomed) return;
    await this.changes.recordChange('tree');
    await fs.rm(doomed, { recursive: true, force: true });
  }

  withDomainLock<T>(domain: string, work: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.domainDir(domain), 'repositories.lock'), work, this.lockOptions);
  }

  getPackage(key: PackageKey): Promise<PackageRecord | undefined> {
    return this.cache.read<PackageRecord>(this.packageLocation(key));
  }

  summarizePackage<T>(key: PackageKey, kind: string, summarize: (record: PackageRecord | undefined) => T): Promise<T> {
    // Synchronous underneath (json-file-cache.ts says why); a failed read still rejects.
    return new Promise((resolve) => resolve(this.cache.readDerived(this.packageLocation(key), kind, summarize)));
  }

  async listPackages(domain: string, repository: string, format?: PackageFormat): Promise<readonly PackageRef[]> {
    // A server remembers each listing while no index under the root has changed (the marker's
    // epoch, own writes included): a page of list-packages over 10,000 packages then neither
    // reads the directories again nor leaves 10,000 new names for the collector to promote.
    const epoch = this.changes.epoch;
    const id = `${domain}\0${repository}\0${format ?? ''}`;
    const kept = this.listings.get(id, epoch);
    if (kept) return kept;
    const refs = Object.freeze((await this.readListing(domain, repository, format)).sort(compareRefs));
    this.listings.keep(id, epoch, refs, this.changes.epoch);
    return refs;
  }

  private async readListing(domain: string, repository: string, format?: PackageFormat): Promise<PackageRef[]> {
    const base = path.join(this.repositoryDir(domain, repository), 'packages');
    // A directory of a format this build does not register (left by another version) is skipped.
    const formats = format ? [format] : (await listDirs(base)).filter((name): name is PackageFormat => this.formats?.includes(name as PackageFormat) ?? true);
    const refs: PackageRef[] = [];
    for (const packageFormat of formats) {
      for (const namespaceDir of await listDirs(path.join(base, packageFormat))) {
        const namespace = namespaceDir === NO_NAMESPACE || isHashedSegment(namespaceDir) ? undefined : decodePathSegment(namespaceDir);
        for (const file of await listFiles(path.join(base, packageFormat, namespaceDir))) {
          if (!file.endsWith('.json') || file.startsWith('.')) continue;
          const stem = file.slice(0, -5);
          if (!isHashedSegment(stem) && !isHashedSegment(namespaceDir)) {
            refs.push(Object.freeze({ format: packageFormat, namespace, name: decodePathSegment(stem) }));
            continue;
          }
          // A long name is stored under a hash: its record says what it is.
          const record = await this.cache.read<PackageRecord>(path.join(base, packageFormat, namespaceDir, file)).catch(() => undefined);
          if (record && typeof record.name === 'string') refs.push(Object.freeze({ format: packageFormat, namespace: record.namespace, name: record.name }));
        }
      }
    }
    return refs;
  }

  updatePackage(key: PackageKey, mutate: Mutation<PackageRecord>, options?: { renameAfter?: Promise<unknown> }): Promise<PackageRecord | undefined> {
    return this.update(this.packageLocation(key), mutate, undefined, undefined, { package: packageScope(key) }, options?.renameAfter);
  }

  async getTokens(domain: string): Promise<TokensFile> {
    return (await this.cache.read<TokensFile>(`${this.domainDir(domain)}${path.sep}tokens.json`)) ?? { tokens: [] };
  }

  async updateTokens(domain: string, mutate: (current: TokensFile) => TokensFile): Promise<TokensFile> {
    const file = path.join(this.domainDir(domain), 'tokens.json');
    const next = await this.update<TokensFile>(file, (current) => mutate(current ?? { tokens: [] }), undefined, 0o600);
    return next ?? { tokens: [] };
  }

  getPackageGroups(domain: string): Promise<PackageGroupsFile | undefined> {
    return this.cache.read<PackageGroupsFile>(`${this.domainDir(domain)}${path.sep}package-groups.json`);
  }

  updatePackageGroups(domain: string, mutate: Mutation<PackageGroupsFile>): Promise<PackageGroupsFile | undefined> {
    return this.update(path.join(this.domainDir(domain), 'package-groups.json'), mutate);
  }

  private policyFile(domain: string, repository: string | undefined): string {
    return `${repository === undefined ? this.domainDir(domain) : this.repositoryDir(domain, repository)}${path.sep}permissions-policy.json`;
  }

  getPermissionsPolicy(domain: string, repository?: string): Promise<StoredPolicy | undefined> {
    return this.cache.read<StoredPolicy>(this.policyFile(domain, repository));
  }

  updatePermissionsPolicy(domain: string, repository: string | undefined, mutate: Mutation<StoredPolicy>): Promise<StoredPolicy | undefined> {
    return this.update(this.policyFile(domain, repository), mutate);
  }

  /** Read-modify-write under the file's lock; the lock spans other processes too. */
  /** `scope`: what the file belongs to, for the change marker; a package's files are told apart. */
  private update<T>(
    file: string,
    mutate: Mutation<T>,
    onDelete?: () => Promise<void>,
    mode?: number,
    scope: 'file' | { package: string } = 'file',
    renameAfter?: Promise<unknown>,
  ): Promise<T | undefined> {
    return withFileLock(
      file,
      async () => {
        const current = readJsonFileSync<T>(file);
        const next = await mutate(current);
        // The mutation handed back what it was given: nothing changed, so nothing is written.
        if (next !== undefined && next === current) return current;
        if (next === undefined) {
          if (current !== undefined) {
            if (onDelete) await onDelete();
            else await fs.rm(file, { force: true });
          }
          this.cache.forget(file);
          // onDelete removes a whole directory, which the caches only learn of from a new epoch.
          await this.changes.recordChange(onDelete ? 'tree' : scope);
          return undefined;
        }
        await writeJsonFileAtomic(file, next, mode, this.tmpDir, renameAfter);
        this.cache.forget(file);
        await this.changes.recordChange(scope);
        return next;
      },
      this.lockOptions,
    );
  }
}

/** Computed strings by key, forgotten all at once when full (names from requests are unbounded). */
class BoundedMemo<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly max: number) {}

  get(key: string, compute: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

/**
 * Renames `target` to a hidden name in `parent` (listings skip names starting with a dot), to be
 * removed there; undefined when there is no `target`.
 */
async function moveAside(target: string, parent: string, label: string): Promise<string | undefined> {
  const doomed = path.join(parent, `.deleted-${label}-${process.pid}-${Date.now()}`);
  try {
    await fs.rename(target, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return doomed;
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Unsorted: the one caller sorts what it makes of the names (listPackages). */
async function listFiles(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
