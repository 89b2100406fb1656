/**
 * Reading a package through a repository's upstream chain (CODEARTIFACT.md §1.1): the
 * repository itself, then its upstreams depth first in list order, each once, at most 25.
 * Formats merge what comes back (e.g. npm takes versions and dist-tags nearest first).
 */
import type { PackageKey, PackageRecord, RepositoryRecord } from '../core/model.js';
import { searchOrder } from '../core/upstream-graph.js';
import type { PackageRef } from '../store/index-store.js';
import type { Store } from '../store/store.js';

export interface PackageSource {
  /** The repository that holds this record. */
  repository: string;
  record: PackageRecord;
}

/** The repositories searched for `repository`, in order. */
export async function repositoryChain(store: Store, domain: string, repository: RepositoryRecord): Promise<RepositoryRecord[]> {
  const records = new Map<string, RepositoryRecord>([[repository.name, repository]]);
  // Load upstream records as the walk reaches them; the walk itself is pure.
  const pending = [repository];
  while (pending.length) {
    const current = pending.pop() as RepositoryRecord;
    for (const upstream of current.upstreams) {
      if (records.has(upstream.repositoryName)) continue;
      const record = await store.index.getRepository(domain, upstream.repositoryName);
      if (record) {
        records.set(record.name, record);
        pending.push(record);
      }
    }
  }
  const order = searchOrder(repository.name, (name) => records.get(name)?.upstreams.map((upstream) => upstream.repositoryName) ?? []);
  return order.map((name) => records.get(name)).filter((record): record is RepositoryRecord => record !== undefined);
}

/**
 * Every stored record of the package along the chain, nearest first. When the asked
 * repository's own record blocks upstreams (origin controls), only that record is returned.
 */
export async function resolvePackage(store: Store, domain: string, repository: RepositoryRecord, ref: PackageRef): Promise<PackageSource[]> {
  const key = (name: string): PackageKey => ({ domain, repository: name, ...ref });
  const own = await store.index.getPackage(key(repository.name));
  if (own?.originConfiguration.restrictions.upstream === 'BLOCK') return [{ repository: repository.name, record: own }];
  const sources: PackageSource[] = own ? [{ repository: repository.name, record: own }] : [];
  const chain = await repositoryChain(store, domain, repository);
  for (const upstream of chain.slice(1)) {
    const record = await store.index.getPackage(key(upstream.name));
    if (record) sources.push({ repository: upstream.name, record });
  }
  return sources;
}
