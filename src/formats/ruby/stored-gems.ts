/**
 * The gems stored along a repository's chain, each with the versions its /info lists (the public
 * registry's too), as /versions, /names and the spec lists need them. Loading a gem means
 * resolving it along the chain and consulting its public registry file, so a list of thousands
 * took tens of milliseconds on every `bundle install`. A server (a sampling process) keeps each
 * repository's list and, while no other process wrote and nothing shared changed (the change
 * marker's shared epoch), loads again only the gems it changed itself since, the ones that came
 * into or went out of the listings, and the ones whose public registry file is due a refresh
 * (docs/formats/ruby.md, "The list of stored gems").
 */
import { UpstreamError } from '../../errors.js';
import type { RepositoryRecord } from '../../core/model.js';
import type { RequestContext } from '../../server/route.js';
import { packageScope } from '../../store/change-marker.js';
import type { Store } from '../../store/store.js';
import { freshUntil } from '../../upstream/metadata-cache.js';
import { repositoryChain } from '../../upstream/resolve.js';
import type { VersionsLine } from './compact-index.js';
import { loadGemSources, type GemSources } from './gem-sources.js';
import { gemInfo } from './info-cache.js';

export interface StoredGems {
  /** By name; a gem without listed versions is here too, and renderVersions leaves it out. */
  gems: VersionsLine[];
  /** The newest publishing time of a listed stored version, without fractions of a second. */
  newest?: string;
}

interface KeptGem {
  line: VersionsLine;
  newest?: string;
  /** When the public registry's word that went into it must be asked again. */
  validUntil: number;
}

interface KeptList {
  sharedEpoch: number;
  epoch: number;
  chain: string;
  gems: Map<string, KeptGem>;
  /** The last answer: the same object while no gem in it changed, so callers can key on it. */
  answer?: StoredGems;
}

// Repositories whose lists a server keeps; past this the oldest goes.
const MAX_KEPT_LISTS = 64;
const kept = new WeakMap<Store, Map<string, KeptList>>();
const updating = new WeakMap<Store, Map<string, Promise<StoredGems>>>();

export async function storedGems(context: RequestContext): Promise<StoredGems> {
  const { store } = context.deps;
  if (store.changes.epoch === undefined) {
    const { names, hasConnection } = await listNames(context);
    return answerOf(await loadAll(context, names, hasConnection));
  }
  // One update of a list at a time: each starts from what the one before it finished.
  const listKey = `${context.domain}/${context.repository.name}`;
  const updates = updatesOf(store);
  for (let busy = updates.get(listKey); busy; busy = updates.get(listKey)) await busy.catch(() => undefined);
  const update = updateList(context, listKey);
  updates.set(listKey, update);
  try {
    return await update;
  } finally {
    if (updates.get(listKey) === update) updates.delete(listKey);
  }
}

async function updateList(context: RequestContext, listKey: string): Promise<StoredGems> {
  const { store } = context.deps;
  // Taken before anything is read: a change made meanwhile is read again next time.
  const epoch = store.changes.epoch!;
  const sharedEpoch = store.changes.sharedEpoch!;
  const { names, chainKey, hasConnection } = await listNames(context);
  const lists = listsOf(store);
  let list = lists.get(listKey);
  const due = new Set<string>();
  if (!list || list.sharedEpoch !== sharedEpoch || list.chain !== chainKey) {
    list = { sharedEpoch, epoch, chain: chainKey, gems: new Map() };
    for (const name of names) due.add(name);
  } else {
    const prefix = packageScope({ domain: context.domain, format: 'ruby', name: '' });
    for (const scope of store.changes.packagesChangedSince(list.epoch)) {
      const name = scope.slice(prefix.length);
      if (scope.startsWith(prefix) && names.has(name)) due.add(name);
    }
    const now = Date.now();
    for (const [name, gem] of list.gems) {
      if (!names.has(name)) {
        list.gems.delete(name);
        list.answer = undefined;
      } else if (gem.validUntil <= now) due.add(name);
    }
    for (const name of names) if (!list.gems.has(name)) due.add(name);
  }
  lists.delete(listKey);
  if (lists.size >= MAX_KEPT_LISTS) lists.delete(lists.keys().next().value as string);
  lists.set(listKey, list);
  try {
    for (const name of due) list.gems.set(name, await loadGem(context, name, hasConnection));
  } catch (error) {
    // Part of the list may be older than its epoch says: start afresh next time.
    lists.delete(listKey);
    throw error;
  }
  list.epoch = epoch;
  if (due.size > 0 || !list.answer) list.answer = answerOf(list.gems);
  return list.answer;
}

/** The gems the chain's repositories hold, and what the list depends on besides them. */
async function listNames(context: RequestContext): Promise<{ names: Set<string>; chainKey: string; hasConnection: boolean }> {
  const { store } = context.deps;
  const chain = await repositoryChain(store, context.domain, context.repository);
  const names = new Set<string>();
  for (const repository of chain) {
    for (const ref of await store.index.listPackages(context.domain, repository.name, 'ruby')) names.add(ref.name);
  }
  return { names, chainKey: chain.map((repository) => repository.name).join('\n'), hasConnection: chain.some(servesRuby) };
}

function listsOf(store: Store): Map<string, KeptList> {
  let lists = kept.get(store);
  if (!lists) kept.set(store, (lists = new Map<string, KeptList>()));
  return lists;
}

function updatesOf(store: Store): Map<string, Promise<StoredGems>> {
  let updates = updating.get(store);
  if (!updates) updating.set(store, (updates = new Map<string, Promise<StoredGems>>()));
  return updates;
}

function servesRuby(repository: RepositoryRecord): boolean {
  return repository.externalConnections.some((connection) => connection.packageFormat === 'ruby');
}

async function loadAll(context: RequestContext, names: Iterable<string>, hasConnection: boolean): Promise<Map<string, KeptGem>> {
  const gems = new Map<string, KeptGem>();
  for (const name of names) gems.set(name, await loadGem(context, name, hasConnection));
  return gems;
}

async function loadGem(context: RequestContext, name: string, hasConnection: boolean): Promise<KeptGem> {
  const { loaded, complete } = await loadListedSources(context, name);
  // The same view as /info/<gem>, public registry included, so the md5 here is that of the body /info sends.
  const { entries, info } = gemInfo(`${context.domain}/${context.repository.name}/${name}`, loaded);
  let newest: string | undefined;
  for (const entry of entries) {
    const time = entry.source.kind === 'stored' ? entry.source.record.publishedTime : undefined;
    if (entry.listed && time && (!newest || time > newest)) newest = time;
  }
  // Kept for as long as the list is: only what the lists show, not the records behind it.
  const listed = entries.filter((entry) => entry.listed).map(({ version, platform }) => ({ version, platform, listed: true }));
  return { line: { name, entries: listed, infoMd5: info.md5 }, newest, validUntil: validUntil(context, loaded, complete, hasConnection) };
}

/**
 * Until when the gem's line holds as far as the public registry goes: its file's freshness; a
 * registry that does not know the gem is asked again after as long; one that failed, next time.
 */
function validUntil(context: RequestContext, loaded: GemSources, complete: boolean, hasConnection: boolean): number {
  if (!complete) return 0;
  if (loaded.external) return freshUntil(context.deps, loaded.external.document);
  if (!hasConnection || context.deps.config.offline) return Number.POSITIVE_INFINITY;
  return Date.now() + context.deps.config.upstream.metadataMaxAgeSeconds * 1000;
}

/** One gem's sources for the list: an unreachable registry costs that gem its public versions, not the whole list. */
async function loadListedSources(context: RequestContext, name: string): Promise<{ loaded: GemSources; complete: boolean }> {
  try {
    return { loaded: await loadGemSources(context, name), complete: true };
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.deps.log(`warning: listing ${name} without the public registry's versions: ${error.message}`);
    return { loaded: await loadGemSources(context, name, true), complete: false };
  }
}

function answerOf(gems: ReadonlyMap<string, KeptGem>): StoredGems {
  let newest: string | undefined;
  const lines: VersionsLine[] = [];
  for (const name of [...gems.keys()].sort()) {
    const gem = gems.get(name)!;
    lines.push(gem.line);
    if (gem.newest && (!newest || gem.newest > newest)) newest = gem.newest;
  }
  return { gems: lines, newest: newest?.replace(/\.\d+Z$/, 'Z') };
}
