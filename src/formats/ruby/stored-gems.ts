/**
 * The gems stored along a repository's chain, each with the versions its /info lists (the public
 * registry's too), as /versions, /names and the spec lists need them. Loading a gem means
 * resolving it along the chain and consulting its public registry file, so a server keeps each
 * repository's list and loads again only the gems that changed (kept-summaries.ts) or whose
 * public registry file is due a refresh (docs/formats/ruby.md, "The list of stored gems").
 */
import { UpstreamError } from '../../errors.js';
import type { RepositoryRecord } from '../../core/model.js';
import type { RequestContext } from '../../server/route.js';
import { KeptSummaries, type PackageSummary } from '../../store/kept-summaries.js';
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
  /** The names of `gems`, built once per list (public-gem-lines.ts leaves them out). */
  names: ReadonlySet<string>;
}

interface KeptGem {
  line: VersionsLine;
  newest?: string;
}

// Repositories whose lists a server keeps; past this the least recently asked goes.
const lists = new KeptSummaries<KeptGem, StoredGems>(64);

export async function storedGems(context: RequestContext): Promise<StoredGems> {
  let hasConnection = false;
  return lists.read(context.deps.store, {
    key: `${context.domain}/${context.repository.name}`,
    domain: context.domain,
    format: 'ruby',
    chain: async () => {
      const chain = await repositoryChain(context.deps.store, context.domain, context.repository);
      hasConnection = chain.some(servesRuby);
      return chain.map((repository) => repository.name);
    },
    load: (ref) => loadGem(context, ref.name, hasConnection),
    combine: answerOf,
  });
}

function servesRuby(repository: RepositoryRecord): boolean {
  return repository.externalConnections.some((connection) => connection.packageFormat === 'ruby');
}

async function loadGem(context: RequestContext, name: string, hasConnection: boolean): Promise<PackageSummary<KeptGem>> {
  const loaded = await loadListedSources(context, name);
  // The same view as /info/<gem>, public registry included, so the md5 here is that of the body /info sends.
  const { entries, info } = gemInfo(`${context.domain}/${context.repository.name}/${name}`, loaded);
  let newest: string | undefined;
  for (const entry of entries) {
    const time = entry.source.kind === 'stored' ? entry.source.record.publishedTime : undefined;
    if (entry.listed && time && (!newest || time > newest)) newest = time;
  }
  // Kept for as long as the list is: only what the lists show, not the records behind it.
  const listed = entries.filter((entry) => entry.listed).map(({ version, platform }) => ({ version, platform, listed: true }));
  return { value: { line: { name, entries: listed, infoMd5: info.md5 }, newest }, validUntil: validUntil(context, loaded, hasConnection) };
}

/**
 * Until when the gem's line holds as far as the public registry goes: its file's freshness; a
 * registry that does not know the gem is asked again after as long; one that failed, next time.
 */
function validUntil(context: RequestContext, loaded: GemSources, hasConnection: boolean): number {
  if (loaded.externalFailed) return 0;
  if (loaded.external) return freshUntil(context.deps, loaded.external.document);
  if (!hasConnection || context.deps.config.offline) return Number.POSITIVE_INFINITY;
  return Date.now() + context.deps.config.upstream.metadataMaxAgeSeconds * 1000;
}

/** One gem's sources for the list: an unreachable registry costs that gem its public versions, not the whole list. */
async function loadListedSources(context: RequestContext, name: string): Promise<GemSources> {
  try {
    return await loadGemSources(context, name);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.deps.log(`warning: listing ${name} without the public registry's versions: ${error.message}`);
    return { ...(await loadGemSources(context, name, true)), externalFailed: true };
  }
}

function answerOf(gems: ReadonlyMap<string, KeptGem>): StoredGems {
  let newest: string | undefined;
  const sorted = [...gems.values()].sort((a, b) => (a.line.name < b.line.name ? -1 : a.line.name > b.line.name ? 1 : 0));
  for (const gem of sorted) if (gem.newest && (!newest || gem.newest > newest)) newest = gem.newest;
  const lines = sorted.map((gem) => gem.line);
  return { gems: lines, newest: newest?.replace(/\.\d+Z$/, 'Z'), names: new Set(lines.map((line) => line.name)) };
}
