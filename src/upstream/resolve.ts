/**
 * Reading a package through a repository's upstream chain (docs/reference/upstreams.md): the
 * repository itself, then its upstreams depth first in list order, each once, at most 25.
 * Origin controls prune the walk: a repository whose record of the package says
 * upstream=BLOCK takes nothing from its upstreams or its external connection, so nothing
 * from beyond it reaches the repository asked. The package's group prunes it too: its
 * INTERNAL_UPSTREAM setting decides whether the repository asked may take versions from its
 * upstreams at all, and EXTERNAL_UPSTREAM which repositories' connections may be used.
 * Formats merge what comes back (npm takes versions and dist-tags nearest first).
 */
import type { PackageKey, PackageRecord, RepositoryRecord } from '../core/model.js';
import { MAX_SEARCHED_REPOSITORIES, searchOrder } from '../core/upstream-graph.js';
import { loadGroupGate } from '../operations/package-groups-enforcement.js';
import type { PackageRef } from '../store/index-store.js';
import type { Store } from '../store/store.js';
import type { ExternalSource } from './external.js';

export interface PackageSource {
  /** The repository that holds this record (for an external source: the one with the connection). */
  repository: string;
  record: PackageRecord;
  /** Set when the record stands for a public registry's versions, not stored ones. */
  external?: ExternalSource;
}

export interface PackageResolution {
  /** Stored records along the chain, nearest first. */
  sources: PackageSource[];
  /** Repositories whose external connection may serve the package, in search order. */
  connectable: RepositoryRecord[];
}

/** The repositories searched for `repository`, in order, ignoring origin controls. */
export async function repositoryChain(store: Store, domain: string, repository: RepositoryRecord): Promise<RepositoryRecord[]> {
  const records = await loadUpstreamRecords(store, domain, repository);
  const order = searchOrder(repository.name, (name) => records.get(name)?.upstreams.map((upstream) => upstream.repositoryName) ?? []);
  return order.map((name) => records.get(name)).filter((record): record is RepositoryRecord => record !== undefined);
}

async function loadUpstreamRecords(store: Store, domain: string, repository: RepositoryRecord): Promise<Map<string, RepositoryRecord>> {
  const records = new Map<string, RepositoryRecord>([[repository.name, repository]]);
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
  return records;
}

/** The package's records along the chain and the repositories whose connections it may use. */
export async function resolvePackageChain(store: Store, domain: string, repository: RepositoryRecord, ref: PackageRef): Promise<PackageResolution> {
  const records = await loadUpstreamRecords(store, domain, repository);
  const gate = await loadGroupGate(store, domain, ref);
  const sources: PackageSource[] = [];
  const connectable: RepositoryRecord[] = [];
  const seen = new Set<string>();
  const visit = async (name: string): Promise<void> => {
    const repositoryRecord = records.get(name);
    if (!repositoryRecord || seen.has(name) || seen.size >= MAX_SEARCHED_REPOSITORIES) return;
    seen.add(name);
    const key: PackageKey = { domain, repository: name, ...ref };
    const record = await store.index.getPackage(key);
    if (record) sources.push({ repository: name, record });
    if (record?.originConfiguration.restrictions.upstream === 'BLOCK') return;
    if (gate.allows('EXTERNAL_UPSTREAM', name)) connectable.push(repositoryRecord);
    // Only the repository asked retains what the walk finds, so only its setting counts here.
    if (name === repository.name && !gate.allows('INTERNAL_UPSTREAM', name)) return;
    for (const upstream of repositoryRecord.upstreams) await visit(upstream.repositoryName);
  };
  await visit(repository.name);
  return { sources, connectable };
}

/** Every stored record of the package that the repository can see, nearest first. */
export async function resolvePackage(store: Store, domain: string, repository: RepositoryRecord, ref: PackageRef): Promise<PackageSource[]> {
  return (await resolvePackageChain(store, domain, repository, ref)).sources;
}
