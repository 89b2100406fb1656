/**
 * Something worked out from every package of one format along a repository's chain (the
 * RubyGems lists, the Swift URL lookup, the npm, NuGet and cargo searches; the measurements are
 * in docs/performance.md), kept by a sampling process (the server) and brought up
 * to date by loading again only the packages that need it: those this process changed since
 * the last update (the change marker's package scopes), those that came into or left the
 * chain's listings, and those whose own summary is due. Another process's write, a shared file
 * changing (the change marker's shared epoch) or another chain starts it afresh. Updates of one
 * kept summary run one at a time, each from where the last finished; one that fails is dropped
 * whole. A process that does not sample (a one-shot command) loads everything every time.
 */
import type { PackageFormat, PackageRecord } from '../core/model.js';
import { packageScope } from './change-marker.js';
import type { PackageRef } from './index-store.js';
import type { Store } from './store.js';

export interface PackageSummary<T> {
  value: T;
  /** When it must be loaded again (milliseconds since 1970); Infinity while its package's files hold. */
  validUntil: number;
}

export interface SummaryRequest<T, A> {
  /** Which kept summary: one per domain, repository and use. */
  key: string;
  domain: string;
  format: PackageFormat;
  /** The chain's repository names in search order, read once the update has begun. */
  chain(): Promise<readonly string[]>;
  /** At most this many packages, the first in listing order along the chain (a bound on the work). */
  maxPackages?: number;
  /** One package's summary, from its files along the chain as they are now. */
  load(ref: PackageRef): Promise<PackageSummary<T>>;
  /** What the caller gets from the summaries, by package (see summaryKey); worked out again only after a change. */
  combine(summaries: ReadonlyMap<string, T>): A;
}

interface Kept<T, A> {
  sharedEpoch: number;
  epoch: number;
  chain: string;
  /** The listings the packages were taken from: while the store hands out the same ones, so are the refs. */
  listings: readonly (readonly PackageRef[])[];
  refs: Map<string, PackageRef>;
  packages: Map<string, PackageSummary<T>>;
  /** The earliest validUntil among the packages. */
  nextDue: number;
  /** The last combined answer: the same object while no summary in it changed. */
  combined?: A;
}

/** A package's key among the summaries: its namespace and name as packageScope joins them. */
function summaryKey(ref: Pick<PackageRef, 'namespace' | 'name'>): string {
  return `${ref.namespace ?? ''}\n${ref.name}`;
}

export class KeptSummaries<T, A> {
  private readonly kept = new WeakMap<Store, Map<string, Kept<T, A>>>();
  private readonly updating = new WeakMap<Store, Map<string, Promise<A>>>();

  /** `maxKept`: summaries kept per store; past it the least recently asked goes. */
  constructor(private readonly maxKept: number) {}

  async read(store: Store, request: SummaryRequest<T, A>): Promise<A> {
    if (store.changes.epoch === undefined) {
      const refs = refsOf((await listChain(store, request)).listings, request.maxPackages);
      const packages = new Map<string, T>();
      for (const [key, ref] of refs) packages.set(key, (await request.load(ref)).value);
      return request.combine(packages);
    }
    const updates = mapOf(this.updating, store);
    for (let busy = updates.get(request.key); busy; busy = updates.get(request.key)) await busy.catch(() => undefined);
    const update = this.update(store, request);
    updates.set(request.key, update);
    try {
      return await update;
    } finally {
      if (updates.get(request.key) === update) updates.delete(request.key);
    }
  }

  private async update(store: Store, request: SummaryRequest<T, A>): Promise<A> {
    // Taken before anything is read: a change made meanwhile is read again next time.
    const epoch = store.changes.epoch!;
    const sharedEpoch = store.changes.sharedEpoch!;
    const { chain, listings } = await listChain(store, request);
    const all = mapOf(this.kept, store);
    const previous = all.get(request.key);
    const sameListings = previous?.chain === chain && listings.every((listing, index) => listing === previous.listings[index]);
    const refs = sameListings ? previous.refs : refsOf(listings, request.maxPackages);
    const due = new Set<string>();
    let kept: Kept<T, A>;
    let walk = true;
    if (!previous || previous.sharedEpoch !== sharedEpoch || previous.chain !== chain) {
      kept = { sharedEpoch, epoch, chain, listings, refs, packages: new Map(), nextDue: Number.POSITIVE_INFINITY };
      for (const key of refs.keys()) due.add(key);
    } else {
      kept = previous;
      const prefix = packageScope({ domain: request.domain, format: request.format, name: '' }).slice(0, -1);
      for (const scope of store.changes.packagesChangedSince(kept.epoch)) {
        const key = scope.slice(prefix.length);
        if (scope.startsWith(prefix) && refs.has(key)) due.add(key);
      }
      const now = Date.now();
      // The same listings and nothing due: no package came, went or expired.
      walk = !sameListings || kept.nextDue <= now;
      if (walk) {
        for (const [key, summary] of kept.packages) {
          if (!refs.has(key)) {
            kept.packages.delete(key);
            kept.combined = undefined;
          } else if (summary.validUntil <= now) due.add(key);
        }
        for (const key of refs.keys()) if (!kept.packages.has(key)) due.add(key);
      }
      kept.listings = listings;
      kept.refs = refs;
    }
    all.delete(request.key);
    if (all.size >= this.maxKept) all.delete(all.keys().next().value as string);
    all.set(request.key, kept);
    try {
      for (const key of due) kept.packages.set(key, await request.load(refs.get(key)!));
    } catch (error) {
      // Part of it may be older than its epoch says: start afresh next time.
      all.delete(request.key);
      throw error;
    }
    kept.epoch = epoch;
    if (walk || due.size > 0) kept.nextDue = earliest(kept.packages);
    if (due.size > 0 || kept.combined === undefined) kept.combined = request.combine(valuesOf(kept.packages));
    return kept.combined;
  }
}

/** The chain's listings of the format, in search order. */
async function listChain<T, A>(store: Store, request: SummaryRequest<T, A>): Promise<{ chain: string; listings: (readonly PackageRef[])[] }> {
  const chain = await request.chain();
  const listings: (readonly PackageRef[])[] = [];
  for (const repository of chain) listings.push(await store.index.listPackages(request.domain, repository, request.format));
  return { chain: chain.join('\n'), listings };
}

/** The packages of the listings, each once, by summaryKey; at most `maxPackages`. */
function refsOf(listings: readonly (readonly PackageRef[])[], maxPackages = Number.POSITIVE_INFINITY): Map<string, PackageRef> {
  const refs = new Map<string, PackageRef>();
  for (const listing of listings) {
    for (const ref of listing) {
      if (refs.size >= maxPackages) return refs;
      const key = summaryKey(ref);
      if (!refs.has(key)) refs.set(key, ref);
    }
  }
  return refs;
}

function earliest<T>(packages: ReadonlyMap<string, PackageSummary<T>>): number {
  let first = Number.POSITIVE_INFINITY;
  for (const summary of packages.values()) first = Math.min(first, summary.validUntil);
  return first;
}

function valuesOf<T>(packages: ReadonlyMap<string, PackageSummary<T>>): Map<string, T> {
  const values = new Map<string, T>();
  for (const [key, summary] of packages) values.set(key, summary.value);
  return values;
}

function mapOf<V>(maps: WeakMap<Store, Map<string, V>>, store: Store): Map<string, V> {
  let map = maps.get(store);
  if (!map) maps.set(store, (map = new Map<string, V>()));
  return map;
}

/**
 * One document per package stored in a repository itself (not its chain), from its record: the
 * search documents of formats whose search covers only the repository asked.
 */
export class KeptDocuments<T> {
  private readonly summaries: KeptSummaries<T | undefined, T[]>;

  /** `maxKept`: repositories kept per store, as KeptSummaries. */
  constructor(maxKept: number) {
    this.summaries = new KeptSummaries<T | undefined, T[]>(maxKept);
  }

  /**
   * `documentOf`: the package's document, or undefined to leave it out; `kind` names it among
   * the store's derived rows (summarizePackage), so a first read of thousands of packages keeps
   * their documents, not their whole records.
   */
  read(
    store: Store,
    where: { domain: string; repository: string; format: PackageFormat; kind: string; maxPackages?: number },
    documentOf: (record: PackageRecord) => T | undefined,
  ): Promise<T[]> {
    const { domain, repository, format, kind, maxPackages } = where;
    return this.summaries.read(store, {
      key: `${domain}/${repository}`,
      domain,
      format,
      maxPackages,
      chain: () => Promise.resolve([repository]),
      load: async (ref) => ({
        value: await store.index.summarizePackage({ domain, repository, ...ref }, kind, (record) => record && documentOf(record)),
        validUntil: Number.POSITIVE_INFINITY,
      }),
      combine: (found) => [...found.values()].filter((document): document is T => document !== undefined),
    });
  }
}
